"""API keys for business systems, managed by admins."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Request, Response, status

from gateway.entrypoints.authentication import CurrentPrincipal, forget_sign_ins
from gateway.entrypoints.dependencies import (
    ADMIN_ONLY,
    TOO_LARGE,
    UowDep,
    problems,
)
from gateway.entrypoints.schemas import ApiKeyCreate, ApiKeyCreated, ApiKeyRead
from gateway.service_layer import handlers
from treue.pagination import Cursor, Limit, Page, decode_cursor

router = APIRouter(prefix="/api/v1/api-keys", tags=["api-keys"], responses=ADMIN_ONLY)


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    response_model=ApiKeyCreated,
    summary="Create an API key; the key is shown only in this answer",
    responses=problems(s413=TOO_LARGE),
)
async def create_api_key(
    body: ApiKeyCreate, uow: UowDep, principal: CurrentPrincipal, response: Response
) -> ApiKeyCreated:
    created_by = principal.id if principal.kind == "user" else None
    key, secret = await handlers.create_api_key(
        handlers.CreateApiKey(body.name, [scope.value for scope in body.scopes], created_by), uow
    )
    # The audit log takes the created key's id from here.
    response.headers["Location"] = f"{router.prefix}/{key.id}"
    return ApiKeyCreated(
        id=key.id, name=key.name, scopes=key.scopes, key=secret, created_at=key.created_at
    )


@router.get("", response_model=Page[ApiKeyRead], summary="List API keys, newest first")
async def list_api_keys(uow: UowDep, limit: Limit = 50, cursor: Cursor = None) -> Page[ApiKeyRead]:
    position = decode_cursor(cursor, 2) if cursor else None
    async with uow:
        rows = await uow.api_keys.page(limit + 1, position)
    return Page.of(
        rows,
        limit,
        key=lambda key: [key.created_at.isoformat(), str(key.id)],
        item=ApiKeyRead.model_validate,
    )


@router.delete(
    "/{key_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Revoke an API key (at once; revoking twice is harmless)",
    responses=problems(s404="No such API key"),
)
async def revoke_api_key(key_id: uuid.UUID, uow: UowDep, request: Request) -> Response:
    await handlers.revoke_api_key(key_id, uow)
    forget_sign_ins(request)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
