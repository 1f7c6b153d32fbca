"""The entries of a contact's timeline: one model per source, told apart by `kind`."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import BaseModel, Field

from contacts.entrypoints.task_schemas import TitleCode, TitleParams


class TimelineInteraction(BaseModel):
    kind: Literal["interaction"]
    id: uuid.UUID
    occurred_at: datetime
    interaction_kind: str
    direction: str | None
    channel: str | None
    subject: str | None
    body: str | None
    sentiment: str | None
    cost: Decimal | None
    currency: str | None


class TimelineOrder(BaseModel):
    kind: Literal["order"]
    id: uuid.UUID
    occurred_at: datetime = Field(description="When the order was placed (`ordered_at`)")
    external_id: str | None
    currency: str
    revenue: Decimal
    cost: Decimal
    line_count: int


class TimelineContract(BaseModel):
    kind: Literal["contract"]
    id: uuid.UUID
    occurred_at: datetime = Field(description="When the contract was recorded")
    product_id: uuid.UUID
    start_date: date
    end_date: date
    notice_period_days: int
    auto_renew: bool
    monthly_value: Decimal
    currency: str
    status: str


class TimelineTask(BaseModel):
    kind: Literal["task"]
    id: uuid.UUID
    occurred_at: datetime = Field(description="When the task was created")
    title: str
    title_code: TitleCode
    title_params: TitleParams
    due_at: datetime
    assignee_id: uuid.UUID | None
    status: str
    origin: str
    completed_at: datetime | None


class TimelineSurveyResponse(BaseModel):
    kind: Literal["survey_response"]
    id: uuid.UUID = Field(description="The response's id in survey-service")
    occurred_at: datetime = Field(description="When the contact answered (`responded_at`)")
    survey_id: uuid.UUID
    score: int
    category: str
    comment: str | None
    channel: str


TimelineItem = Annotated[
    TimelineInteraction | TimelineOrder | TimelineContract | TimelineTask | TimelineSurveyResponse,
    Field(discriminator="kind"),
]
