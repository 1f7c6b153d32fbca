"""Command handlers for users and API keys; only the unit of work commits."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from gateway.adapters.security import (
    AccessToken,
    generate_api_key,
    hash_api_key,
    hash_password,
)
from gateway.domain.api_keys import ApiKey
from gateway.domain.users import LastAdminRemains, User
from gateway.service_layer.unit_of_work import GatewayUnitOfWork
from treue.problems import ALREADY_USED, Conflict, FieldError, NotFound


@dataclass(frozen=True)
class CreateUser:
    email: str
    name: str
    role: str
    password: str


@dataclass(frozen=True)
class UpdateUser:
    user_id: uuid.UUID
    changes: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class CreateApiKey:
    name: str
    scopes: list[str]
    created_by: uuid.UUID | None


async def create_user(command: CreateUser, uow: GatewayUnitOfWork) -> User:
    async with uow:
        if await uow.users.by_email(command.email) is not None:
            raise Conflict(
                "a user with this e-mail exists",
                errors=[FieldError(field="email", message="already used", code=ALREADY_USED)],
            )
        user = User(
            id=uuid.uuid4(),
            email=command.email,
            name=command.name,
            role=command.role,
            password_hash=hash_password(command.password),
            active=True,
            created_at=datetime.now(UTC),
        )
        uow.users.add(user)
        await uow.commit()
        return user


async def update_user(command: UpdateUser, uow: GatewayUnitOfWork) -> User:
    changes = dict(command.changes)
    if "password" in changes:
        changes["password_hash"] = hash_password(changes.pop("password"))
    async with uow:
        # Admin rows are locked before the target, in one order, so concurrent demotions
        # queue up instead of each seeing the other as the remaining admin.
        admins = await uow.users.lock_active_admins()
        user = await uow.users.get(command.user_id, for_update=True)
        if user is None:
            raise NotFound(f"user {command.user_id} does not exist")
        try:
            user.change(changes, other_active_admins=len(set(admins) - {user.id}))
        except LastAdminRemains as error:
            raise Conflict(str(error)) from error
        await uow.sign_in_changes.announce()
        await uow.commit()
        return user


async def create_api_key(command: CreateApiKey, uow: GatewayUnitOfWork) -> tuple[ApiKey, str]:
    """The key and its secret, which is returned this once and never stored."""
    secret = generate_api_key()
    key = ApiKey(
        id=uuid.uuid4(),
        name=command.name,
        scopes=list(dict.fromkeys(command.scopes)),
        prefix=secret[:12],
        key_hash=hash_api_key(secret),
        created_by=command.created_by,
        created_at=datetime.now(UTC),
    )
    async with uow:
        uow.api_keys.add(key)
        await uow.commit()
    return key, secret


async def revoke_api_key(key_id: uuid.UUID, uow: GatewayUnitOfWork) -> ApiKey:
    async with uow:
        key = await uow.api_keys.get(key_id, for_update=True)
        if key is None:
            raise NotFound(f"API key {key_id} does not exist")
        key.revoke(datetime.now(UTC))
        await uow.sign_in_changes.announce()
        await uow.commit()
        return key


async def revoke_access_token(token: AccessToken, uow: GatewayUnitOfWork) -> None:
    async with uow:
        await uow.revoked_tokens.revoke(token.token_id, token.expires_at, datetime.now(UTC))
        await uow.sign_in_changes.announce()
        await uow.commit()
