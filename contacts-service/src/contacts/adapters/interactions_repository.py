"""All SQL of contacts-service's interactions lives here."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import ColumnElement, select
from sqlalchemy.ext.asyncio import AsyncSession

from contacts.adapters.orm import interactions
from contacts.domain.interactions import Interaction
from treue.pagination import after


class InteractionRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    def add(self, interaction: Interaction) -> None:
        self.session.add(interaction)

    async def page_of_contact(
        self, contact_id: uuid.UUID, kind: str | None, limit: int, cursor: list[Any] | None
    ) -> list[Interaction]:
        """Newest first by (occurred_at, id), continuing after `cursor`."""
        key: list[ColumnElement[Any]] = [interactions.c.occurred_at, interactions.c.id]
        query = select(Interaction).where(interactions.c.contact_id == contact_id)
        if kind is not None:
            query = query.where(interactions.c.kind == kind)
        if cursor is not None:
            query = query.where(after(key, cursor, descending=True))
        query = query.order_by(*(column.desc() for column in key)).limit(limit)
        return list((await self.session.scalars(query)).all())
