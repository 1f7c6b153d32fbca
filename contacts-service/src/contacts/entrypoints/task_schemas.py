"""Request and response bodies of tasks."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, StringConstraints

from contacts.domain.tasks import TaskOrigin, TaskStatus

Title = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=300)]
TitleCode = Annotated[
    str | None,
    Field(
        description=(
            "What an automatic task's title says, independent of language: its origin "
            "(order_follow_up, renewal, detractor_call_back). Null for manual tasks and once "
            "someone rewrote the title. A client shows `title_code` with `title_params` in "
            "the reader's language and falls back to `title`."
        ),
        examples=["order_follow_up"],
    ),
]
TitleParams = Annotated[
    dict[str, str | int] | None,
    Field(
        description=(
            "The values of the automatic title: `order` (the order's external id or the "
            "start of its id) for order_follow_up; `end_date` and `notice_date` (ISO dates) "
            "for renewal; `score` (0-10) for detractor_call_back. Null when `title_code` is."
        ),
        examples=[{"order": "SHOP-ORD-1042"}],
    ),
]


class TaskCreate(BaseModel):
    """A manual task; automatic ones are created by orders, contracts and detractors."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "contact_id": "0b8f3c36-3f55-4a0c-9a55-2f1d6f0e6b11",
                    "title": "Angebot Wartungsvertrag nachfassen",
                    "due_at": "2026-03-09T09:00:00+01:00",
                    "assignee_id": "7c1e2b0a-9d4f-4f7e-8b8e-1f2a3b4c5d6e",
                }
            ]
        },
    )

    contact_id: uuid.UUID
    title: Title
    due_at: AwareDatetime
    assignee_id: uuid.UUID | None = None


class TaskUpdate(BaseModel):
    """Only the fields sent are changed; status done completes the task, open reopens it."""

    model_config = ConfigDict(extra="forbid")

    title: Title | None = None
    due_at: AwareDatetime | None = None
    assignee_id: uuid.UUID | None = None
    status: TaskStatus | None = None


class TaskRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    contact_id: uuid.UUID
    title: str = Field(
        description="The title as written; automatic ones in the contact's language",
        examples=["Follow up: order SHOP-ORD-1042"],
    )
    title_code: TitleCode
    title_params: TitleParams
    due_at: datetime
    assignee_id: uuid.UUID | None
    status: TaskStatus
    origin: TaskOrigin
    completed_at: datetime | None
    version: int
    created_at: datetime
    updated_at: datetime
