"""HTTP routes of tasks: thin, they parse, call a handler and shape the answer."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Query, status

from contacts.adapters.tasks_repository import TaskFilter
from contacts.domain.tasks import TaskStatus
from contacts.entrypoints.dependencies import UowDep, problem_responses
from contacts.entrypoints.task_schemas import TaskCreate, TaskRead, TaskUpdate
from contacts.service_layer import task_handlers as handlers
from treue.identity import CurrentIdentity, current_identity
from treue.pagination import Cursor, Limit, Page, decode_cursor
from treue.problems import NotFound, ValidationFailed

router = APIRouter(prefix="/api/v1/tasks", tags=["tasks"], dependencies=[Depends(current_identity)])
NOT_NULLABLE = {"title", "due_at", "status"}


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    response_model=TaskRead,
    responses=problem_responses(403),
)
async def create_task(body: TaskCreate, uow: UowDep, identity: CurrentIdentity) -> TaskRead:
    identity.require_scope("contacts:write")
    identity.require_assignable("assignee_id", None, body.assignee_id)
    command = handlers.CreateTask(body.contact_id, body.title, body.due_at, body.assignee_id)
    return TaskRead.model_validate(await handlers.create_task(command, uow))


@router.get("", response_model=Page[TaskRead])
async def list_tasks(
    uow: UowDep,
    identity: CurrentIdentity,
    status: TaskStatus | None = None,
    assignee_id: uuid.UUID | None = None,
    unassigned: Annotated[
        bool, Query(description="Only tasks nobody is assigned to (not with assignee_id)")
    ] = False,
    contact_id: uuid.UUID | None = None,
    overdue: Annotated[bool, Query(description="Only open tasks whose due_at has passed")] = False,
    limit: Limit = 50,
    cursor: Cursor = None,
) -> Page[TaskRead]:
    """Soonest due first."""
    identity.require_scope("contacts:read")
    if unassigned and assignee_id is not None:
        raise ValidationFailed("unassigned", "cannot be combined with assignee_id")
    filters = TaskFilter(
        status=status,
        assignee_id=assignee_id,
        unassigned=unassigned,
        contact_id=contact_id,
        overdue_at=datetime.now(UTC) if overdue else None,
    )
    position = decode_cursor(cursor, 2) if cursor else None
    async with uow:
        rows = await uow.tasks.page(filters, limit + 1, position)
    return Page.of(
        rows,
        limit,
        key=lambda task: [task.due_at.isoformat(), str(task.id)],
        item=TaskRead.model_validate,
    )


@router.get("/{task_id}", response_model=TaskRead, responses=problem_responses(404))
async def get_task(task_id: uuid.UUID, uow: UowDep, identity: CurrentIdentity) -> TaskRead:
    identity.require_scope("contacts:read")
    async with uow:
        task = await uow.tasks.get(task_id)
    if task is None:
        raise NotFound(f"task {task_id} does not exist")
    return TaskRead.model_validate(task)


@router.patch("/{task_id}", response_model=TaskRead, responses=problem_responses(403, 404))
async def update_task(
    task_id: uuid.UUID, body: TaskUpdate, uow: UowDep, identity: CurrentIdentity
) -> TaskRead:
    """Setting status done completes the task (completed_at) and emits task.completed."""
    identity.require_scope("contacts:write")
    changes = body.model_dump(exclude_unset=True)
    for name in sorted(NOT_NULLABLE & changes.keys()):
        if changes[name] is None:
            raise ValidationFailed(name, "must not be null")
    task = await handlers.update_task(handlers.UpdateTask(task_id, changes, identity), uow)
    return TaskRead.model_validate(task)
