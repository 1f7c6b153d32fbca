"""All SQL of GDPR erasure: the person's data goes, their figures stay under a random id."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import delete, func, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from analytics.adapters.orm import (
    CONTACT_ACTIVITY,
    customers,
    erased_contacts,
    segment_members,
)


class ErasureRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def erase(self, contact_id: uuid.UUID, erased_at: datetime) -> None:
        """Remove what identifies the person and what was inferred about them (risk, segment
        memberships); keep their orders, costs and value under a fresh random id, so revenue
        totals, the ABC value shares and the CLV fit's data stay as they were. The contact id
        is kept alone, without data, so that a replayed event cannot restore the person."""
        first_time = await self.session.scalar(
            insert(erased_contacts)
            .values(contact_id=contact_id, erased_at=erased_at)
            .on_conflict_do_nothing()
            .returning(erased_contacts.c.contact_id)
        )
        if first_time is None:
            return
        anonymous = uuid.uuid4()
        for table in CONTACT_ACTIVITY:
            await self.session.execute(
                update(table).where(table.c.contact_id == contact_id).values(contact_id=anonymous)
            )
        await self.session.execute(
            delete(segment_members).where(segment_members.c.contact_id == contact_id)
        )
        await self.session.execute(
            update(customers)
            .where(customers.c.contact_id == contact_id)
            .values(
                contact_id=anonymous,
                first_name="",
                last_name="",
                email=None,
                company=None,
                tags=[],
                acquisition_channel=None,
                churn_risk=None,
                churn_drivers=None,
                churn_alerted=False,
                erased_at=erased_at,
                updated_at=func.now(),
            )
        )
