"""Login and the caller's identity."""

from __future__ import annotations

import uuid
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel, Field

from gateway.adapters.repository import UserRepository
from gateway.adapters.security import issue_access_token, read_access_token, verify_password
from gateway.domain.users import User
from gateway.settings import GatewaySettings
from treue.identity import Identity
from treue.problems import Unauthorized

router = APIRouter(prefix="/api/v1/auth", tags=["auth"])


class LoginRequest(BaseModel):
    # Not EmailStr: the first admin may live on a local domain (admin@treue.local).
    email: Annotated[str, Field(min_length=3, max_length=320)]
    password: Annotated[str, Field(min_length=1, max_length=200)]


class UserRead(BaseModel):
    id: uuid.UUID
    email: str
    name: str
    role: str
    active: bool


class LoginResponse(BaseModel):
    access_token: str
    token_type: Literal["bearer"] = "bearer"  # noqa: S105
    expires_in: int
    user: UserRead


def _settings(request: Request) -> GatewaySettings:
    settings: GatewaySettings = request.app.state.settings
    return settings


async def authenticate(request: Request) -> User:
    """The user behind the bearer token; 401 when it is missing, invalid or deactivated."""
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token:
        raise Unauthorized(
            "send Authorization: Bearer <token>", headers={"WWW-Authenticate": "Bearer"}
        )
    user_id = read_access_token(token, _settings(request).access_token_secret)
    async with request.app.state.runtime.session_factory() as session:
        user = await UserRepository(session).get(user_id)
    if user is None or not user.active:
        raise Unauthorized("the user no longer exists or is deactivated")
    return user


CurrentUser = Annotated[User, Depends(authenticate)]


def identity_of(user: User) -> Identity:
    return Identity(subject=str(user.id), kind="user", role=user.role, name=user.name)


@router.post("/login", response_model=LoginResponse)
async def login(body: LoginRequest, request: Request) -> LoginResponse:
    async with request.app.state.runtime.session_factory() as session:
        user = await UserRepository(session).by_email(body.email)
    if not verify_password(body.password, user.password_hash if user else None) or user is None:
        raise Unauthorized("e-mail or password is wrong")
    if not user.active:
        raise Unauthorized("this user is deactivated")
    settings = _settings(request)
    token = issue_access_token(
        user.id, user.role, settings.access_token_secret, settings.access_token_ttl_seconds
    )
    return LoginResponse(
        access_token=token,
        expires_in=settings.access_token_ttl_seconds,
        user=UserRead.model_validate(user, from_attributes=True),
    )


@router.get("/me", response_model=UserRead)
async def me(user: CurrentUser) -> UserRead:
    return UserRead.model_validate(user, from_attributes=True)
