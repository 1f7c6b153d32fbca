"""The entries of a contact's timeline: one model per source, told apart by `kind`."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from contacts.domain.model import ChurnReason
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


class TimelineAnalyticsFlag(BaseModel):
    """A flag analytics-service raised: the churn risk crossed its threshold upwards
    (`churn_risk`: `score`, `previous_score`, `drivers`), or the customer moved to another
    ABC class (`abc_class`: `previous_class`, `current_class`; null is no class)."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "kind": "analytics_flag",
                    "id": "0b9e4a52-8f1d-4c57-9a3e-2f6c1d7e8a90",
                    "occurred_at": "2026-11-02T03:00:00Z",
                    "flag": "churn_risk",
                    "score": 0.72,
                    "previous_score": 0.41,
                    "drivers": ["low_p_alive", "detractor"],
                    "previous_class": None,
                    "current_class": None,
                },
                {
                    "kind": "analytics_flag",
                    "id": "5d1f0c3b-2e7a-4b8c-9d6e-1a2b3c4d5e6f",
                    "occurred_at": "2026-10-01T03:00:00Z",
                    "flag": "abc_class",
                    "score": None,
                    "previous_score": None,
                    "drivers": None,
                    "previous_class": "B",
                    "current_class": "A",
                },
            ]
        }
    )

    kind: Literal["analytics_flag"]
    id: uuid.UUID = Field(description="The id of analytics' event")
    occurred_at: datetime = Field(description="When analytics assessed or reclassified")
    flag: Literal["churn_risk", "abc_class"]
    score: float | None = Field(description="churn_risk: the score reached, 0 to 1")
    previous_score: float | None = Field(description="churn_risk: the score before, if any")
    drivers: list[str] | None = Field(
        description="churn_risk: what raised the score, strongest first (`low_p_alive`, "
        "`contract_cancelled`, `contract_ending`, `detractor`, `negative_interactions`)"
    )
    previous_class: Literal["A", "B", "C"] | None = Field(description="abc_class: before")
    current_class: Literal["A", "B", "C"] | None = Field(description="abc_class: now")


class TimelineLifecycle(BaseModel):
    """The customer churned (with the reason and note given then) or was won back."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "kind": "lifecycle",
                    "id": "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d",
                    "occurred_at": "2026-06-30T10:00:00Z",
                    "change": "churned",
                    "reason": "price",
                    "note": "Wechsel zum günstigeren Anbieter",
                },
                {
                    "kind": "lifecycle",
                    "id": "1f2e3d4c-5b6a-4978-8a6b-5c4d3e2f1a0b",
                    "occurred_at": "2026-11-20T14:30:00Z",
                    "change": "won_back",
                    "reason": None,
                    "note": None,
                },
            ]
        }
    )

    kind: Literal["lifecycle"]
    id: uuid.UUID
    occurred_at: datetime = Field(description="When the customer churned or was won back")
    change: Literal["churned", "won_back"]
    reason: ChurnReason | None = Field(description="churned: the reason given")
    note: str | None = Field(description="churned: the note given, if any")


TimelineItem = Annotated[
    TimelineInteraction
    | TimelineOrder
    | TimelineContract
    | TimelineTask
    | TimelineSurveyResponse
    | TimelineAnalyticsFlag
    | TimelineLifecycle,
    Field(discriminator="kind"),
]
