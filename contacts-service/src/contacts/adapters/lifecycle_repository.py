"""The contact's churn history (each churn and win-back) that the timeline shows."""

from __future__ import annotations

from dataclasses import asdict

from sqlalchemy import insert
from sqlalchemy.ext.asyncio import AsyncSession

from contacts.adapters.orm import lifecycle_changes
from contacts.domain.lifecycle import LifecycleChange


class LifecycleRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, change: LifecycleChange) -> None:
        await self.session.execute(insert(lifecycle_changes).values(asdict(change)))
