"""The entries of a contact's timeline: one model per source, told apart by `kind`."""

from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import BaseModel, Field


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


TimelineItem = Annotated[TimelineInteraction | TimelineOrder, Field(discriminator="kind")]
