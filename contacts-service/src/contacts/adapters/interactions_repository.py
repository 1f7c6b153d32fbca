"""All SQL of contacts-service's interactions lives here."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from sqlalchemy import ColumnElement, TableClause, Text, cast, select
from sqlalchemy.ext.asyncio import AsyncSession

from contacts.adapters.bulk import insert_with_events, json_object
from contacts.adapters.orm import interactions
from contacts.domain.interactions import Interaction
from treue.events.contracts import InteractionLoggedV1
from treue.outbox import OutboxStream
from treue.pagination import after


def _logged_event(staged: TableClause) -> ColumnElement[Any]:
    """interaction.logged (InteractionLoggedV1) of a staged row; a test validates the shape."""
    return json_object(
        {
            "interaction_id": staged.c.id,
            "contact_id": staged.c.contact_id,
            "kind": staged.c.kind,
            "direction": staged.c.direction,
            "channel": staged.c.channel,
            "occurred_at": staged.c.occurred_at,
            "sentiment": staged.c.sentiment,
            "cost": cast(staged.c.cost, Text),
            "currency": staged.c.currency,
            "logged_at": staged.c.created_at,
        }
    )


class InteractionRepository:
    def __init__(self, session: AsyncSession, outbox: OutboxStream | None = None) -> None:
        self.session = session
        self.outbox = outbox

    def add(self, interaction: Interaction) -> None:
        self.session.add(interaction)

    async def insert_new_rows(self, rows: Sequence[dict[str, Any]]) -> None:
        """Interactions of a bulk import (`new_interaction_fields`, in file order) with their
        interaction.logged events, set-based."""
        if self.outbox is None:
            raise RuntimeError("the repository publishes no events without an outbox stream")
        await insert_with_events(
            self.session, interactions, rows, self.outbox, InteractionLoggedV1, _logged_event
        )

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
