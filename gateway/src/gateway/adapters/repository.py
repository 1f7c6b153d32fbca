"""All SQL of the gateway: users, API keys and the audit log."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Row, delete, exists, func, insert, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from gateway.adapters.orm import api_keys, audit_log, revoked_access_tokens, users
from gateway.adapters.sign_in_cache import NOTIFY_CHANNEL
from gateway.domain.api_keys import ApiKey
from gateway.domain.audit import AuditEntry
from gateway.domain.users import Role, User
from treue.pagination import after


class UserRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    def add(self, user: User) -> None:
        self.session.add(user)

    async def get(self, user_id: uuid.UUID, for_update: bool = False) -> User | None:
        return await self.session.get(User, user_id, with_for_update=for_update)

    async def by_email(self, email: str) -> User | None:
        query = select(User).where(func.lower(users.c.email) == email.lower())
        return (await self.session.execute(query)).scalar_one_or_none()

    async def signed_in(self, user_id: uuid.UUID, token_id: uuid.UUID) -> User | None:
        """The user behind an access token, unless that token was revoked: one round trip,
        as it runs on every request with a bearer token or session cookie."""
        revoked = exists().where(revoked_access_tokens.c.token_id == token_id)
        query = select(User).where(users.c.id == user_id, ~revoked)
        return (await self.session.execute(query)).scalar_one_or_none()

    async def count(self) -> int:
        return int(await self.session.scalar(select(func.count()).select_from(users)) or 0)

    async def lock_active_admins(self) -> list[uuid.UUID]:
        """Locks the active admins' rows, so two admins cannot demote each other at once."""
        query = (
            select(users.c.id)
            .where(users.c.active.is_(True), users.c.role == Role.ADMIN)
            .order_by(users.c.id)
            .with_for_update()
        )
        return list((await self.session.scalars(query)).all())

    async def page(
        self, limit: int, cursor: list[Any] | None, role: str | None, active: bool | None
    ) -> Sequence[User]:
        query = select(User).order_by(users.c.created_at, users.c.id).limit(limit)
        if cursor is not None:
            query = query.where(after([users.c.created_at, users.c.id], cursor, False))
        if role is not None:
            query = query.where(users.c.role == role)
        if active is not None:
            query = query.where(users.c.active.is_(active))
        return (await self.session.scalars(query)).all()


class SignInChanges:
    """Tells every gateway replica, when the transaction commits, that a key, token or user
    changed, so they drop what they remember of callers (adapters/sign_in_cache.py)."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def announce(self) -> None:
        await self.session.execute(func.pg_notify(NOTIFY_CHANNEL, "").select())


class RevokedTokenRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def revoke(self, token_id: uuid.UUID, expires_at: datetime, now: datetime) -> None:
        """Keeps the token's id until it would have expired; older ones are dropped here,
        which keeps the table as small as the number of live, logged-out tokens."""
        await self.session.execute(
            delete(revoked_access_tokens).where(revoked_access_tokens.c.expires_at < now)
        )
        await self.session.execute(
            pg_insert(revoked_access_tokens)
            .values(token_id=token_id, expires_at=expires_at)
            .on_conflict_do_nothing()
        )


class ApiKeyRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    def add(self, key: ApiKey) -> None:
        self.session.add(key)

    async def get(self, key_id: uuid.UUID, for_update: bool = False) -> ApiKey | None:
        return await self.session.get(ApiKey, key_id, with_for_update=for_update)

    async def by_hash(self, key_hash: str) -> ApiKey | None:
        query = select(ApiKey).where(api_keys.c.key_hash == key_hash)
        return (await self.session.execute(query)).scalar_one_or_none()

    async def touch(self, key_id: uuid.UUID, now: datetime) -> None:
        await self.session.execute(
            update(api_keys).where(api_keys.c.id == key_id).values(last_used_at=now)
        )

    async def page(self, limit: int, cursor: list[Any] | None) -> Sequence[ApiKey]:
        columns: list[ColumnElement[Any]] = [api_keys.c.created_at, api_keys.c.id]
        query = select(ApiKey).order_by(*(c.desc() for c in columns)).limit(limit)
        if cursor is not None:
            query = query.where(after(columns, cursor, True))
        return (await self.session.scalars(query)).all()


@dataclass(frozen=True)
class AuditFilter:
    actor_id: uuid.UUID | None = None
    path_prefix: str | None = None
    occurred_from: datetime | None = None
    occurred_to: datetime | None = None
    method: str | None = None


class AuditRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add_all(self, entries: Sequence[AuditEntry]) -> None:
        await self.session.execute(insert(audit_log), [asdict(entry) for entry in entries])

    async def page(
        self, filters: AuditFilter, limit: int, cursor: list[Any] | None
    ) -> Sequence[Row[Any]]:
        columns: list[ColumnElement[Any]] = [audit_log.c.occurred_at, audit_log.c.id]
        query = select(audit_log).order_by(*(c.desc() for c in columns)).limit(limit)
        if cursor is not None:
            query = query.where(after(columns, cursor, True))
        if filters.actor_id is not None:
            query = query.where(audit_log.c.actor_id == filters.actor_id)
        if filters.path_prefix:
            query = query.where(audit_log.c.path.startswith(filters.path_prefix, autoescape=True))
        if filters.occurred_from is not None:
            query = query.where(audit_log.c.occurred_at >= filters.occurred_from)
        if filters.occurred_to is not None:
            query = query.where(audit_log.c.occurred_at < filters.occurred_to)
        if filters.method is not None:
            query = query.where(audit_log.c.method == filters.method)
        return (await self.session.execute(query)).all()
