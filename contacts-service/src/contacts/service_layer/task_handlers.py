"""Tasks: created by hand, or automatically for an order, a contract term or a detractor."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from contacts.domain.tasks import Task
from contacts.service_layer.errors import domain_errors
from contacts.service_layer.events import to_contract
from contacts.service_layer.unit_of_work import ContactsUnitOfWork
from treue.identity import Identity
from treue.problems import NotFound, not_found


@dataclass(frozen=True)
class CreateTask:
    contact_id: uuid.UUID
    title: str
    due_at: datetime
    assignee_id: uuid.UUID | None


@dataclass(frozen=True)
class UpdateTask:
    task_id: uuid.UUID
    changes: dict[str, Any]
    # who asks; their role decides whom they may make assignee (None: trusted internal callers)
    actor: Identity | None = None


async def create_task(command: CreateTask, uow: ContactsUnitOfWork) -> Task:
    async with uow:
        if await uow.contacts.get(command.contact_id) is None:
            raise not_found("contact_id", command.contact_id, "no contact with the id {id}")
        with domain_errors():
            task = Task.create(
                datetime.now(UTC),
                contact_id=command.contact_id,
                title=command.title,
                due_at=command.due_at,
                assignee_id=command.assignee_id,
            )
        uow.tasks.add(task)
        publish(uow, task)
        await uow.commit()
        return task


async def update_task(command: UpdateTask, uow: ContactsUnitOfWork) -> Task:
    async with uow:
        task = await uow.tasks.get(command.task_id, for_update=True)
        if task is None:
            raise NotFound(f"task {command.task_id} does not exist")
        if command.actor is not None and "assignee_id" in command.changes:
            new = command.changes["assignee_id"]
            command.actor.require_assignable("assignee_id", task.assignee_id, new)
        with domain_errors():
            task.update(datetime.now(UTC), command.changes)
        publish(uow, task)
        await uow.commit()
        return task


def publish(uow: ContactsUnitOfWork, task: Task) -> None:
    for event in task.pull_events():
        uow.publish(to_contract(event), subject=str(task.contact_id))
