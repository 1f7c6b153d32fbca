"""All SQL of analytics-service's customer read model."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import ColumnElement, Row, func, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from analytics.adapters.orm import customers
from treue.pagination import after


class CustomerRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def upsert_newer(self, values: dict[str, Any]) -> None:
        """Insert the customer, or update it when this version is newer than the stored one.

        Comparing versions makes the read model converge even if an older snapshot arrives
        late (e.g. re-delivered after a newer one).
        """
        statement = insert(customers).values(**values)
        changed: dict[str, Any] = {
            k: statement.excluded[k] for k in values if k not in ("contact_id", "became_contact_at")
        }
        changed["updated_at"] = func.now()
        await self.session.execute(
            statement.on_conflict_do_update(
                index_elements=[customers.c.contact_id],
                set_=changed,
                where=customers.c.contact_version < statement.excluded.contact_version,
            )
        )

    async def get(self, contact_id: uuid.UUID) -> Row[Any] | None:
        query = select(customers).where(customers.c.contact_id == contact_id)
        return (await self.session.execute(query)).one_or_none()

    async def page(self, limit: int, cursor: list[Any] | None) -> list[Row[Any]]:
        sort: list[ColumnElement[Any]] = [customers.c.became_contact_at, customers.c.contact_id]
        query = select(customers).order_by(*(c.desc() for c in sort)).limit(limit)
        if cursor is not None:
            query = query.where(after(sort, cursor, descending=True))
        return list((await self.session.execute(query)).all())
