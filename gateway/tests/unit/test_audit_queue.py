import uuid
from datetime import UTC, datetime
from typing import Any

import pytest

from gateway.adapters import audit_queue
from gateway.adapters.audit_queue import AuditQueue
from gateway.domain.audit import AuditEntry


class RecordingLog:
    def __init__(self) -> None:
        self.errors: list[dict[str, Any]] = []

    def error(self, event: str, **fields: Any) -> None:
        self.errors.append({"event": event, **fields})

    def exception(self, event: str, **fields: Any) -> None:
        self.error(event, **fields)


def broken_database() -> Any:
    raise OSError("connection refused")


def entry() -> AuditEntry:
    return AuditEntry(
        occurred_at=datetime.now(UTC),
        actor_kind="user",
        actor_id=uuid.uuid4(),
        method="DELETE",
        path="/api/v1/contacts/1",
        status_code=202,
        resource_id=None,
        client_address="10.0.0.7",
        user_agent=None,
        request_id="r-1",
    )


async def test_entries_that_cannot_be_stored_are_logged_in_full(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    log = RecordingLog()
    monkeypatch.setattr(audit_queue, "log", log)
    queue = AuditQueue(broken_database)  # type: ignore[arg-type]

    async with queue:
        queue.record(entry())
        queue.record(entry())

    lost = [e for e in log.errors if e["event"] == "audit entry not stored"]
    assert len(lost) == 2
    assert lost[0]["entry"]["path"] == "/api/v1/contacts/1"
    assert lost[0]["entry"]["request_id"] == "r-1"


async def test_a_full_queue_logs_instead_of_dropping_silently(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    log = RecordingLog()
    monkeypatch.setattr(audit_queue, "log", log)
    queue = AuditQueue(broken_database, max_pending=1)  # type: ignore[arg-type]

    queue.record(entry())
    queue.record(entry())

    assert [e["event"] for e in log.errors] == ["audit queue full; entry not stored"]
