"""All SQL of merging two contacts: the duplicate's history becomes the survivor's."""

from __future__ import annotations

import uuid

from sqlalchemy import delete, literal, select, update
from sqlalchemy.dialects.postgresql import UUID, insert
from sqlalchemy.ext.asyncio import AsyncSession

from analytics.adapters.orm import CONTACT_ACTIVITY, customers, segment_members


class MergeRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def merge(self, duplicate_id: uuid.UUID, contact_id: uuid.UUID) -> None:
        """Move the duplicate's orders, interactions, contracts and NPS answers to the
        survivor `contact_id`, make the survivor a member of each segment either was in (as
        survey-service does with its copy of the memberships), and delete the duplicate's
        customer row. The survivor's totals, risk and memberships are the caller's to
        recompute. A replay finds nothing left under the duplicate and changes nothing."""
        for table in CONTACT_ACTIVITY:
            await self.session.execute(
                update(table)
                .where(table.c.contact_id == duplicate_id)
                .values(contact_id=contact_id)
            )
        memberships = select(
            segment_members.c.segment_id, literal(contact_id, UUID(as_uuid=True))
        ).where(segment_members.c.contact_id == duplicate_id)
        await self.session.execute(
            insert(segment_members)
            .from_select(["segment_id", "contact_id"], memberships)
            .on_conflict_do_nothing()
        )
        await self.session.execute(
            delete(segment_members).where(segment_members.c.contact_id == duplicate_id)
        )
        await self.session.execute(delete(customers).where(customers.c.contact_id == duplicate_id))
