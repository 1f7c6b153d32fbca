"""Request and response bodies of /api/v1/webhooks."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from gateway.domain.webhooks import DeliveryStatus, EventType

Url = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000)]
Description = Annotated[str, StringConstraints(strip_whitespace=True, max_length=500)]
EventTypes = Annotated[
    list[EventType],
    Field(min_length=1, max_length=len(EventType), description="What the endpoint receives"),
]
EXAMPLE: dict[str, Any] = {
    "url": "https://crm-hooks.example.de/treue",
    "event_types": ["nps.detractor", "customer.churned"],
    "description": "Ticketsystem: Rückruf bei Kritikern",
    "enabled": True,
}


class WebhookCreate(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [EXAMPLE]})

    url: Url = Field(description="http(s); hosts in private networks are refused")
    event_types: EventTypes
    description: Description = ""
    enabled: bool = True


class WebhookUpdate(BaseModel):
    """Only the fields sent are changed; `enabled: true` re-enables a disabled endpoint."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"enabled": True}, {"event_types": ["nps.promoter"]}]},
    )

    url: Url | None = None
    event_types: EventTypes | None = None
    description: Description | None = None
    enabled: bool | None = None


class WebhookRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    url: str
    event_types: list[str]
    description: str
    enabled: bool
    disabled_reason: str | None = Field(
        description="Why Treue disabled the endpoint (410 Gone, failing for a day) or "
        "'disabled by an admin'"
    )
    disabled_at: datetime | None
    failing_since: datetime | None = Field(description="Since when every attempt failed")
    previous_secret_expires_at: datetime | None = Field(
        description="Until then deliveries carry the previous secret's signature too"
    )
    created_by: uuid.UUID | None
    created_at: datetime
    updated_at: datetime


class WebhookCreated(WebhookRead):
    secret: str = Field(
        description="The signing secret; shown only in this answer, store it now",
        examples=["whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"],
    )


class SecretRotated(BaseModel):
    secret: str = Field(description="The new secret; shown only in this answer")
    previous_secret_expires_at: datetime = Field(
        description="Until then every delivery is signed with both secrets"
    )


class AttemptRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    attempted_at: datetime
    status_code: int | None = Field(description="None when no answer came (timeout, refused)")
    duration_ms: int
    response_body: str | None = Field(description="The answer's first 2 KB")
    error: str | None


class DeliveryRead(BaseModel):
    id: uuid.UUID
    message_id: str = Field(description="The webhook-id header: the same on every attempt")
    event_type: str
    status: DeliveryStatus
    attempt_count: int
    next_attempt_at: datetime | None
    created_at: datetime
    finished_at: datetime | None
    body: dict[str, Any] = Field(description="The JSON body sent")
    attempts: list[AttemptRead] = Field(description="Oldest first")


class DeliveryQueued(BaseModel):
    delivery_id: uuid.UUID


class RedeliverSince(BaseModel):
    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [{"since": "2026-11-27T08:00:00Z"}]}
    )

    since: datetime = Field(description="Messages from this time on that did not arrive")


class RedeliveriesQueued(BaseModel):
    queued: int = Field(description="How many messages are sent again")
