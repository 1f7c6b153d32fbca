"""The contact's churn history: each churn and win-back, as the timeline shows it."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from contacts.domain.model import CustomerChurned, CustomerWonBack, DomainEvent


class LifecycleChangeKind(StrEnum):
    CHURNED = "churned"
    WON_BACK = "won_back"


@dataclass(frozen=True)
class LifecycleChange:
    contact_id: uuid.UUID
    change: LifecycleChangeKind
    occurred_at: datetime
    reason: str | None = None
    note: str | None = None
    id: uuid.UUID = field(default_factory=uuid.uuid4)


def lifecycle_change(event: DomainEvent) -> LifecycleChange | None:
    """The history entry a churn or win-back leaves; other events leave none."""
    if isinstance(event, CustomerChurned):
        return LifecycleChange(
            event.contact.id,
            LifecycleChangeKind.CHURNED,
            event.churned_at,
            reason=event.reason,
            note=event.note or None,
        )
    if isinstance(event, CustomerWonBack):
        return LifecycleChange(event.contact.id, LifecycleChangeKind.WON_BACK, event.won_back_at)
    return None
