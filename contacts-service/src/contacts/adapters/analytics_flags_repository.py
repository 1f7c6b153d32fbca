"""The copy of analytics-service's flags (churn risk, ABC class) that the timeline shows."""

from __future__ import annotations

from typing import Any

from sqlalchemy import exists, literal, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from contacts.adapters.orm import analytics_flags, contacts


class AnalyticsFlagRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def keep(self, flag: dict[str, Any]) -> None:
        """Inserts the flag once (its id is the event's) if contacts-service knows the
        contact; a flag of a contact never seen here is dropped."""
        names = list(flag)
        known = exists().where(contacts.c.id == flag["contact_id"])
        rows = select(*(literal(flag[name], analytics_flags.c[name].type) for name in names)).where(
            known
        )
        await self.session.execute(
            insert(analytics_flags)
            .from_select(names, rows)
            .on_conflict_do_nothing(index_elements=[analytics_flags.c.id])
        )
