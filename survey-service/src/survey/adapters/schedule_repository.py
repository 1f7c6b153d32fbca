"""SQL of automatic invitations waiting for their day."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import delete, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from survey.adapters.orm import scheduled_invitations
from survey.domain.model import ScheduledInvitation


class ScheduleRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add_all(self, items: Sequence[ScheduledInvitation], now: datetime) -> None:
        """One per survey, reason and source: scheduling the same event again adds nothing."""
        if not items:
            return
        rows = [
            {
                "id": item.id,
                "survey_id": item.survey_id,
                "contact_id": item.contact_id,
                "reason": item.reason,
                "source_id": item.source_id,
                "due_at": item.due_at,
                "status": "pending",
                "created_at": now,
            }
            for item in items
        ]
        await self.session.execute(insert(scheduled_invitations).on_conflict_do_nothing(), rows)

    async def due(self, now: datetime, limit: int) -> list[ScheduledInvitation]:
        """The oldest pending ones whose day has come, locked for this transaction."""
        table = scheduled_invitations
        query = (
            select(
                table.c.id,
                table.c.survey_id,
                table.c.contact_id,
                table.c.reason,
                table.c.source_id,
                table.c.due_at,
            )
            .where(table.c.status == "pending", table.c.due_at <= now)
            .order_by(table.c.due_at)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
        return [ScheduledInvitation(*row) for row in await self.session.execute(query)]

    async def mark_done(
        self,
        item_id: uuid.UUID,
        outcome: str,
        invitation_id: uuid.UUID | None,
        now: datetime,
    ) -> None:
        await self.session.execute(
            update(scheduled_invitations)
            .where(scheduled_invitations.c.id == item_id)
            .values(status="done", outcome=outcome, invitation_id=invitation_id, processed_at=now)
        )

    async def forget(self, contact_id: uuid.UUID) -> None:
        await self.session.execute(
            delete(scheduled_invitations).where(scheduled_invitations.c.contact_id == contact_id)
        )
