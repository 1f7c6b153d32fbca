"""Contracts: a product sold for a term, with a notice period, renewals and cancellations."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from enum import StrEnum
from typing import Any

from contacts.domain.rules import (
    RuleViolated,
    StateConflict,
    check_currency,
    check_editable,
    check_not_negative,
    to_cents,
)


class ContractStatus(StrEnum):
    ACTIVE = "active"
    NOTICE_GIVEN = "notice_given"
    ENDED = "ended"
    RENEWED = "renewed"


RUNNING = (ContractStatus.ACTIVE, ContractStatus.RENEWED)
EDITABLE_FIELDS = (
    "product_id",
    "start_date",
    "end_date",
    "notice_period_days",
    "auto_renew",
    "monthly_value",
    "currency",
)


@dataclass(frozen=True)
class ContractCreated:
    contract: Contract


@dataclass(frozen=True)
class ContractUpdated:
    contract: Contract
    changed_fields: tuple[str, ...]


@dataclass(frozen=True)
class ContractRenewed:
    contract: Contract
    previous_end_date: date


@dataclass(frozen=True)
class ContractCancelled:
    contract: Contract
    reason: str


@dataclass(frozen=True)
class ContractRenewalDue:
    contract: Contract
    notice_date: date
    task_id: uuid.UUID
    detected_at: datetime


ContractEvent = (
    ContractCreated | ContractUpdated | ContractRenewed | ContractCancelled | ContractRenewalDue
)


@dataclass(eq=False)
class Contract:
    id: uuid.UUID
    contact_id: uuid.UUID
    product_id: uuid.UUID
    start_date: date
    end_date: date
    notice_period_days: int
    auto_renew: bool
    monthly_value: Decimal
    currency: str
    status: str
    cancellation_reason: str | None
    cancelled_at: datetime | None
    # The end date of the term whose renewal was announced: one announcement per term.
    renewal_notified_for: date | None
    version: int
    created_at: datetime
    updated_at: datetime
    events: list[ContractEvent] = field(default_factory=list, repr=False)

    @classmethod
    def create(cls, now: datetime, **details: Any) -> Contract:
        contract = cls(
            id=uuid.uuid4(),
            contact_id=details["contact_id"],
            product_id=details["product_id"],
            start_date=details["start_date"],
            end_date=details["end_date"],
            notice_period_days=details.get("notice_period_days") or 0,
            auto_renew=bool(details.get("auto_renew")),
            monthly_value=to_cents(details["monthly_value"]),
            currency=details["currency"],
            status=ContractStatus.ACTIVE,
            cancellation_reason=None,
            cancelled_at=None,
            renewal_notified_for=None,
            version=1,
            created_at=now,
            updated_at=now,
        )
        contract._check()
        contract.events.append(ContractCreated(contract))
        return contract

    @property
    def notice_date(self) -> date:
        """The last day notice can be given for the current term."""
        return self.end_date - timedelta(days=self.notice_period_days)

    def update(self, now: datetime, changes: dict[str, Any]) -> None:
        check_editable(changes, EDITABLE_FIELDS)
        if "monthly_value" in changes and changes["monthly_value"] is not None:
            changes = {**changes, "monthly_value": to_cents(changes["monthly_value"])}
        changed = tuple(
            name
            for name in EDITABLE_FIELDS
            if name in changes and getattr(self, name) != changes[name]
        )
        if not changed:
            return
        for name in changed:
            setattr(self, name, changes[name])
        self._check()
        self._touch(now)
        self.events.append(ContractUpdated(self, changed))

    def renew(self, now: datetime) -> None:
        """Another term of the same length, starting the day after the current one ends."""
        if self.status not in RUNNING:
            raise StateConflict(f"a contract with the status {self.status} cannot be renewed")
        previous_end = self.end_date
        term = self.end_date - self.start_date
        self.start_date = previous_end + timedelta(days=1)
        self.end_date = self.start_date + term
        self.status = ContractStatus.RENEWED
        self._touch(now)
        self.events.append(ContractRenewed(self, previous_end))

    def cancel(self, now: datetime, reason: str) -> None:
        """Notice is given: the contract runs to its end date and is not renewed."""
        if not reason.strip():
            raise RuleViolated("reason", "must not be empty")
        if self.status not in RUNNING:
            raise StateConflict(f"a contract with the status {self.status} cannot be cancelled")
        self.status = ContractStatus.NOTICE_GIVEN
        self.cancellation_reason = reason.strip()
        self.cancelled_at = now
        self._touch(now)
        self.events.append(ContractCancelled(self, self.cancellation_reason))

    def renewal_is_due(self, today: date, window_days: int) -> bool:
        return (
            self.status in RUNNING
            and self.renewal_notified_for != self.end_date
            and today <= self.notice_date <= today + timedelta(days=window_days)
        )

    def mark_renewal_due(self, now: datetime, task_id: uuid.UUID) -> None:
        """Records that this term's renewal was announced, so it is announced once."""
        self.renewal_notified_for = self.end_date
        self.events.append(ContractRenewalDue(self, self.notice_date, task_id, now))

    def pull_events(self) -> list[ContractEvent]:
        events, self.events = self.events, []
        return events

    def _touch(self, now: datetime) -> None:
        self.version += 1
        self.updated_at = now

    def _check(self) -> None:
        if self.end_date < self.start_date:
            raise RuleViolated("end_date", "must not be before start_date")
        if self.notice_period_days < 0:
            raise RuleViolated("notice_period_days", "must not be negative")
        check_not_negative(self.monthly_value, "monthly_value")
        check_currency(self.currency)
