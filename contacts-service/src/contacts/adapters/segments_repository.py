"""The contacts' segment memberships, as analytics' segment.changed events tell them."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import delete
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from contacts.adapters.orm import contact_segments


class SegmentRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def keep(
        self, segment_id: uuid.UUID, contact_id: uuid.UUID, member: bool, changed_at: datetime
    ) -> None:
        """Records the change unless a later one is recorded already."""
        statement = insert(contact_segments).values(
            segment_id=segment_id, contact_id=contact_id, member=member, changed_at=changed_at
        )
        await self.session.execute(
            statement.on_conflict_do_update(
                index_elements=[contact_segments.c.segment_id, contact_segments.c.contact_id],
                set_={"member": statement.excluded.member, "changed_at": changed_at},
                where=contact_segments.c.changed_at < statement.excluded.changed_at,
            )
        )

    async def forget_contact(self, contact_id: uuid.UUID) -> None:
        await self.session.execute(
            delete(contact_segments).where(contact_segments.c.contact_id == contact_id)
        )
