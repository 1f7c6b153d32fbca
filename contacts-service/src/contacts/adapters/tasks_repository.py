"""All SQL of contacts-service's tasks lives here."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, select
from sqlalchemy.ext.asyncio import AsyncSession

from contacts.adapters.bulk import insert_rows
from contacts.adapters.orm import tasks
from contacts.domain.tasks import Task, TaskStatus
from treue.pagination import after


@dataclass(frozen=True)
class TaskFilter:
    status: str | None = None
    assignee_id: uuid.UUID | None = None
    # Only tasks nobody is assigned to: the work still to be picked up.
    unassigned: bool = False
    contact_id: uuid.UUID | None = None
    # Open tasks due before this moment.
    overdue_at: datetime | None = None


class TaskRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    def add(self, task: Task) -> None:
        self.session.add(task)

    async def insert_new(self, new: Sequence[Task]) -> None:
        """New tasks of a bulk import, set-based (their events are the caller's to publish)."""
        rows = [{c.name: getattr(task, c.name) for c in tasks.columns} for task in new]
        await insert_rows(self.session, tasks, rows)

    async def get(self, task_id: uuid.UUID, *, for_update: bool = False) -> Task | None:
        query = select(Task).where(tasks.c.id == task_id)
        if for_update:
            query = query.with_for_update()
        return (await self.session.execute(query)).scalar_one_or_none()

    async def by_source_key(self, source_key: str) -> Task | None:
        query = select(Task).where(tasks.c.source_key == source_key)
        return (await self.session.execute(query)).scalar_one_or_none()

    async def page(self, filters: TaskFilter, limit: int, cursor: list[Any] | None) -> list[Task]:
        """Soonest due first by (due_at, id), continuing after `cursor`."""
        key: list[ColumnElement[Any]] = [tasks.c.due_at, tasks.c.id]
        query = select(Task)
        if filters.status is not None:
            query = query.where(tasks.c.status == filters.status)
        if filters.assignee_id is not None:
            query = query.where(tasks.c.assignee_id == filters.assignee_id)
        if filters.unassigned:
            query = query.where(tasks.c.assignee_id.is_(None))
        if filters.contact_id is not None:
            query = query.where(tasks.c.contact_id == filters.contact_id)
        if filters.overdue_at is not None:
            query = query.where(
                tasks.c.status == TaskStatus.OPEN, tasks.c.due_at < filters.overdue_at
            )
        if cursor is not None:
            query = query.where(after(key, cursor, descending=False))
        query = query.order_by(*key).limit(limit)
        return list((await self.session.scalars(query)).all())
