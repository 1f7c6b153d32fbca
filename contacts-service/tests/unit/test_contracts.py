"""Rules of the contract aggregate: term dates, notice, renewal, cancellation."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import pytest

from contacts.domain.contracts import (
    Contract,
    ContractCancelled,
    ContractCreated,
    ContractRenewalDue,
    ContractRenewed,
    ContractStatus,
    ContractUpdated,
)
from contacts.domain.rules import RuleViolated, StateConflict

NOW = datetime(2026, 3, 1, 9, tzinfo=UTC)


def contract(**overrides: Any) -> Contract:
    details: dict[str, Any] = {
        "contact_id": uuid.uuid4(),
        "product_id": uuid.uuid4(),
        "start_date": date(2026, 1, 1),
        "end_date": date(2026, 12, 31),
        "notice_period_days": 90,
        "auto_renew": True,
        "monthly_value": Decimal("400.005"),
        "currency": "EUR",
    }
    return Contract.create(NOW, **(details | overrides))


def test_a_new_contract_is_active_and_announced() -> None:
    created = contract()
    assert created.status == ContractStatus.ACTIVE
    assert created.monthly_value == Decimal("400.01")
    assert created.notice_date == date(2026, 10, 2)
    assert [type(e) for e in created.pull_events()] == [ContractCreated]


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"end_date": date(2025, 12, 31)}, "end_date"),
        ({"notice_period_days": -1}, "notice_period_days"),
        ({"monthly_value": Decimal("-1")}, "monthly_value"),
        ({"currency": "eur"}, "currency"),
    ],
)
def test_broken_rules_name_their_field(overrides: dict[str, Any], field: str) -> None:
    with pytest.raises(RuleViolated) as refused:
        contract(**overrides)
    assert refused.value.field_name == field


def test_update_changes_only_what_differs_and_checks_the_dates() -> None:
    changed = contract()
    changed.pull_events()
    changed.update(NOW, {"auto_renew": True, "notice_period_days": 30})
    events = changed.pull_events()
    assert isinstance(events[0], ContractUpdated)
    assert events[0].changed_fields == ("notice_period_days",)
    assert changed.version == 2
    with pytest.raises(RuleViolated, match="end_date"):
        changed.update(NOW, {"end_date": date(2025, 1, 1)})
    with pytest.raises(RuleViolated, match="status"):
        changed.update(NOW, {"status": "ended"})


def test_renewal_starts_the_next_term_of_the_same_length() -> None:
    renewed = contract()
    renewed.renew(NOW)
    assert (renewed.start_date, renewed.end_date) == (date(2027, 1, 1), date(2027, 12, 31))
    assert renewed.status == ContractStatus.RENEWED
    event = renewed.pull_events()[-1]
    assert isinstance(event, ContractRenewed)
    assert event.previous_end_date == date(2026, 12, 31)


def test_cancel_gives_notice_once_and_a_cancelled_contract_is_not_renewed() -> None:
    cancelled = contract()
    cancelled.cancel(NOW, " too expensive ")
    assert cancelled.status == ContractStatus.NOTICE_GIVEN
    assert cancelled.cancellation_reason == "too expensive"
    assert isinstance(cancelled.pull_events()[-1], ContractCancelled)
    with pytest.raises(StateConflict):
        cancelled.cancel(NOW, "again")
    with pytest.raises(StateConflict):
        cancelled.renew(NOW)
    with pytest.raises(RuleViolated, match="reason"):
        contract().cancel(NOW, "  ")


def test_renewal_is_due_once_per_term_within_the_window() -> None:
    due = contract()  # notice date 2026-10-02
    assert not due.renewal_is_due(date(2026, 8, 1), 30)
    assert due.renewal_is_due(date(2026, 9, 5), 30)
    assert not due.renewal_is_due(date(2026, 10, 3), 30)  # the notice date has passed
    task_id = uuid.uuid4()
    due.mark_renewal_due(NOW, task_id)
    assert not due.renewal_is_due(date(2026, 9, 5), 30)
    event = due.pull_events()[-1]
    assert isinstance(event, ContractRenewalDue)
    assert (event.notice_date, event.task_id) == (date(2026, 10, 2), task_id)
    due.renew(NOW)  # the next term is announced again when its notice date nears
    assert due.renewal_is_due(date(2027, 9, 5), 30)
