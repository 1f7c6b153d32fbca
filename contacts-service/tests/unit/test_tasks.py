"""Rules of tasks: completing, reopening, and the automatic ones' titles and due dates."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta

import pytest

from contacts.domain.rules import RuleViolated
from contacts.domain.tasks import (
    Task,
    TaskCompleted,
    TaskCreated,
    TaskOrigin,
    TaskStatus,
    TaskUpdated,
    detractor_call_back,
    order_follow_up,
    renewal_task,
)

NOW = datetime(2026, 3, 1, 9, tzinfo=UTC)


def task() -> Task:
    created = Task.create(NOW, contact_id=uuid.uuid4(), title=" Anrufen ", due_at=NOW)
    created.pull_events()
    return created


def test_a_manual_task_is_open() -> None:
    created = Task.create(NOW, contact_id=uuid.uuid4(), title=" Anrufen ", due_at=NOW)
    assert (created.title, created.status, created.origin) == (
        "Anrufen",
        TaskStatus.OPEN,
        TaskOrigin.MANUAL,
    )
    assert [type(e) for e in created.pull_events()] == [TaskCreated]
    with pytest.raises(RuleViolated, match="title"):
        Task.create(NOW, contact_id=uuid.uuid4(), title="  ", due_at=NOW)


def test_done_completes_and_open_reopens() -> None:
    done = task()
    later = NOW + timedelta(hours=1)
    done.update(later, {"status": TaskStatus.DONE})
    assert done.completed_at == later
    assert [type(e) for e in done.pull_events()] == [TaskCompleted]
    done.update(later, {"status": TaskStatus.OPEN, "title": "Nochmals anrufen"})
    assert done.completed_at is None
    events = done.pull_events()
    assert [type(e) for e in events] == [TaskUpdated]
    assert isinstance(events[0], TaskUpdated)
    assert events[0].changed_fields == ("title", "status")


def test_origin_and_unknown_fields_cannot_be_changed() -> None:
    with pytest.raises(RuleViolated, match="origin"):
        task().update(NOW, {"origin": "renewal"})


def test_overdue_means_open_and_past_due() -> None:
    overdue = task()
    assert overdue.is_overdue(NOW + timedelta(seconds=1))
    overdue.update(NOW, {"status": TaskStatus.DONE})
    assert not overdue.is_overdue(NOW + timedelta(days=1))


def test_order_follow_up_is_due_days_after_the_order_unless_that_passed() -> None:
    order_id = uuid.uuid4()
    arguments = {
        "contact_id": uuid.uuid4(),
        "assignee_id": None,
        "language": "en",
        "order_id": order_id,
        "order_label": "SHOP-1",
        "after_days": 14,
    }
    follow_up = order_follow_up(NOW, ordered_at=NOW - timedelta(days=1), **arguments)  # type: ignore[arg-type]
    assert follow_up is not None
    assert follow_up.due_at == NOW + timedelta(days=13)
    assert follow_up.title == "Follow up: order SHOP-1"
    assert follow_up.source_key == f"order:{order_id}"
    assert (follow_up.title_code, follow_up.title_params) == (
        "order_follow_up",
        {"order": "SHOP-1"},
    )
    assert order_follow_up(NOW, ordered_at=NOW - timedelta(days=20), **arguments) is None  # type: ignore[arg-type]


def test_detractor_call_back_speaks_the_contacts_language() -> None:
    response_id = uuid.uuid4()
    german = detractor_call_back(
        NOW,
        contact_id=uuid.uuid4(),
        assignee_id=None,
        language="de",
        response_id=response_id,
        score=3,
        due_at=NOW + timedelta(days=2),
    )
    assert german.title == "Rückruf: Detraktor (Score 3)"
    assert german.origin == TaskOrigin.DETRACTOR_CALL_BACK
    assert german.source_key == f"detractor:{response_id}"
    assert (german.title_code, german.title_params) == ("detractor_call_back", {"score": 3})


def test_renewal_task_is_due_on_the_notice_date() -> None:
    contract_id = uuid.uuid4()
    renewal = renewal_task(
        NOW,
        contact_id=uuid.uuid4(),
        assignee_id=None,
        language="en",
        contract_id=contract_id,
        end_date=date(2026, 12, 31),
        notice_date=date(2026, 10, 2),
    )
    assert renewal.due_at.date() == date(2026, 10, 2)
    assert "2026-10-02" in renewal.title
    assert renewal.source_key == f"renewal:{contract_id}:2026-12-31"
    assert (renewal.title_code, renewal.title_params) == (
        "renewal",
        {"end_date": "2026-12-31", "notice_date": "2026-10-02"},
    )


def test_a_manual_task_has_no_title_code() -> None:
    assert (task().title_code, task().title_params) == (None, None)


def test_rewriting_an_automatic_title_drops_its_code_but_other_changes_keep_it() -> None:
    call_back = detractor_call_back(
        NOW,
        contact_id=uuid.uuid4(),
        assignee_id=None,
        language="en",
        response_id=uuid.uuid4(),
        score=2,
        due_at=NOW,
    )
    call_back.update(NOW, {"status": TaskStatus.DONE, "title": "Call back: detractor (score 2)"})
    assert (call_back.title_code, call_back.title_params) == ("detractor_call_back", {"score": 2})
    call_back.update(NOW, {"title": "Ask Ms. Weber about the late delivery"})
    assert (call_back.title_code, call_back.title_params) == (None, None)
