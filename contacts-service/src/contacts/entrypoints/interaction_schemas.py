"""Request and response bodies of interactions."""

from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal
from typing import Annotated

from pydantic import AwareDatetime, BaseModel, ConfigDict, StringConstraints

from contacts.domain.interactions import Direction, InteractionKind, Sentiment
from contacts.entrypoints.schemas import Currency, Money


class InteractionCreate(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "kind": "ticket",
                    "direction": "inbound",
                    "channel": "helpdesk",
                    "subject": "Spindel läuft unrund",
                    "body": "Kunde meldet Vibrationen an der DMU 50 nach dem Werkzeugwechsel.",
                    "occurred_at": "2026-03-02T09:15:00+01:00",
                    "sentiment": "negative",
                    "cost": "85.00",
                    "currency": "EUR",
                }
            ]
        },
    )

    kind: InteractionKind
    direction: Direction | None = None
    channel: Annotated[str, StringConstraints(strip_whitespace=True, max_length=100)] | None = None
    subject: Annotated[str, StringConstraints(strip_whitespace=True, max_length=500)] | None = None
    body: Annotated[str, StringConstraints(max_length=100_000)] | None = None
    occurred_at: AwareDatetime | None = None
    sentiment: Sentiment | None = None
    cost: Money | None = None
    currency: Currency | None = None


class InteractionRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    contact_id: uuid.UUID
    kind: str
    direction: str | None
    channel: str | None
    subject: str | None
    body: str | None
    occurred_at: datetime
    sentiment: str | None
    cost: Decimal | None
    currency: str | None
    created_at: datetime
