"""Interactions (touchpoints) with a contact: calls, e-mails, meetings, notes, tickets, chats."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any

from contacts.domain.rules import (
    RuleViolated,
    cents_or_none,
    check_currency,
    check_not_negative,
)


class InteractionKind(StrEnum):
    CALL = "call"
    EMAIL = "email"
    MEETING = "meeting"
    NOTE = "note"
    TICKET = "ticket"
    CHAT = "chat"


class Direction(StrEnum):
    INBOUND = "inbound"
    OUTBOUND = "outbound"


class Sentiment(StrEnum):
    POSITIVE = "positive"
    NEUTRAL = "neutral"
    NEGATIVE = "negative"


@dataclass(frozen=True)
class InteractionLogged:
    interaction: Interaction


@dataclass(eq=False)
class Interaction:
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
    events: list[InteractionLogged] = field(default_factory=list, repr=False)

    @classmethod
    def log(cls, contact_id: uuid.UUID, now: datetime, **details: Any) -> Interaction:
        """Record a touchpoint; without `occurred_at` it happened now."""
        interaction = cls(**new_interaction_fields(contact_id, now, details))
        interaction.events.append(InteractionLogged(interaction))
        return interaction

    def pull_events(self) -> list[InteractionLogged]:
        events, self.events = self.events, []
        return events

    def _check(self) -> None:
        _check_fields(self.kind, self.cost, self.currency)


def new_interaction_fields(
    contact_id: uuid.UUID, now: datetime, details: dict[str, Any]
) -> dict[str, Any]:
    """Every field of a new interaction, checked. `Interaction.log` builds the aggregate from
    them; a bulk import writes them as plain rows and emits interaction.logged for each."""
    fields = {
        "id": uuid.uuid4(),
        "contact_id": contact_id,
        "kind": details["kind"],
        "direction": details.get("direction"),
        "channel": details.get("channel"),
        "subject": details.get("subject"),
        "body": details.get("body"),
        # In UTC, as the database gives it back, so every read shows the same time.
        "occurred_at": (details.get("occurred_at") or now).astimezone(UTC),
        "sentiment": details.get("sentiment"),
        "cost": cents_or_none(details.get("cost")),
        "currency": details.get("currency"),
        "created_at": now,
    }
    _check_fields(fields["kind"], fields["cost"], fields["currency"])
    return fields


def _check_fields(kind: str, cost: Decimal | None, currency: str | None) -> None:
    if kind not in set(InteractionKind):
        raise RuleViolated("kind", f"must be one of {', '.join(InteractionKind)}")
    check_not_negative(cost, "cost")
    check_currency(currency)
    # A cost without its currency cannot be added up by anyone downstream.
    if cost is not None and currency is None:
        raise RuleViolated("currency", "is required when a cost is given")
