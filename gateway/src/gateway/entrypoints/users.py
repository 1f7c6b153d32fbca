"""User management by admins (the access policy lets only admins reach these routes)."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Request, Response, status

from gateway.domain.users import Role
from gateway.entrypoints.authentication import forget_sign_ins
from gateway.entrypoints.dependencies import ADMIN_ONLY, TOO_LARGE, UowDep, problems
from gateway.entrypoints.schemas import UserCreate, UserRead, UserUpdate
from gateway.service_layer import handlers
from treue.pagination import Cursor, Limit, Page, decode_cursor
from treue.problems import NotFound

router = APIRouter(prefix="/api/v1/users", tags=["users"], responses=ADMIN_ONLY)
LAST_ADMIN = problems(
    s404="No such user", s409="It would leave Treue without an active admin", s413=TOO_LARGE
)


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    response_model=UserRead,
    summary="Create a user",
    responses=problems(s409="The e-mail is taken", s413=TOO_LARGE),
)
async def create_user(body: UserCreate, uow: UowDep, response: Response) -> UserRead:
    user = await handlers.create_user(
        handlers.CreateUser(body.email, body.name, body.role, body.password), uow
    )
    response.headers["Location"] = f"{router.prefix}/{user.id}"
    return UserRead.model_validate(user)


@router.get("", response_model=Page[UserRead], summary="List users, oldest first")
async def list_users(
    uow: UowDep,
    role: Role | None = None,
    active: bool | None = None,
    limit: Limit = 50,
    cursor: Cursor = None,
) -> Page[UserRead]:
    position = decode_cursor(cursor, 2) if cursor else None
    async with uow:
        rows = await uow.users.page(limit + 1, position, role, active)
    return Page.of(
        rows,
        limit,
        key=lambda user: [user.created_at.isoformat(), str(user.id)],
        item=UserRead.model_validate,
    )


@router.get(
    "/{user_id}",
    response_model=UserRead,
    summary="One user",
    responses=problems(s404="No such user"),
)
async def get_user(user_id: uuid.UUID, uow: UowDep) -> UserRead:
    async with uow:
        user = await uow.users.get(user_id)
    if user is None:
        raise NotFound(f"user {user_id} does not exist")
    return UserRead.model_validate(user)


@router.patch(
    "/{user_id}",
    response_model=UserRead,
    summary="Change name, role, password or active",
    responses=LAST_ADMIN,
)
async def update_user(
    user_id: uuid.UUID, body: UserUpdate, uow: UowDep, request: Request
) -> UserRead:
    # null means "leave as is" here: none of these fields can be emptied.
    changes = body.model_dump(exclude_unset=True, exclude_none=True)
    user = await handlers.update_user(handlers.UpdateUser(user_id, changes), uow)
    forget_sign_ins(request)
    return UserRead.model_validate(user)


@router.delete(
    "/{user_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Deactivate a user (their records stay; they can no longer sign in)",
    responses=LAST_ADMIN,
)
async def deactivate_user(user_id: uuid.UUID, uow: UowDep, request: Request) -> Response:
    await handlers.update_user(handlers.UpdateUser(user_id, {"active": False}), uow)
    forget_sign_ins(request)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
