"""The copy of analytics-service's flags (churn risk, ABC class) that the timeline shows."""

from __future__ import annotations

from typing import Any

from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from contacts.adapters.copies import for_live_contact
from contacts.adapters.orm import analytics_flags


class AnalyticsFlagRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def keep(self, flag: dict[str, Any]) -> None:
        """Inserts the flag once (its id is the event's), for a live contact only (see
        `for_live_contact`)."""
        columns, rows = for_live_contact(analytics_flags, flag)
        await self.session.execute(
            insert(analytics_flags)
            .from_select(columns, rows)
            .on_conflict_do_nothing(index_elements=[analytics_flags.c.id])
        )
