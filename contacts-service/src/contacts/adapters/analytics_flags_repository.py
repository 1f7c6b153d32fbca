"""The copy of analytics-service's flags (churn risk, ABC class) that the timeline shows."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, literal, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from contacts.adapters.orm import analytics_flags, contacts


class AnalyticsFlagRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def keep(self, flag: dict[str, Any]) -> None:
        """Inserts the flag once (its id is the event's). A flag of a contact never seen
        here is dropped, and so is one of an erased contact (analytics may still send one
        after the erasure, which must not bring data back); one of a merged-away duplicate
        goes to the survivor, where the duplicate's history went."""
        details = [name for name in flag if name != "contact_id"]
        rows = select(
            func.coalesce(contacts.c.merged_into_id, contacts.c.id),
            *(literal(flag[name], analytics_flags.c[name].type) for name in details),
        ).where(contacts.c.id == flag["contact_id"], contacts.c.erased_at.is_(None))
        await self.session.execute(
            insert(analytics_flags)
            .from_select(["contact_id", *details], rows)
            .on_conflict_do_nothing(index_elements=[analytics_flags.c.id])
        )
