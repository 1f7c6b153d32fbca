"""analytics' read model built from contact events, through the real inbox and Postgres."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import httpx
from fastapi import FastAPI

from analytics.entrypoints.events import event_handlers
from treue.events.contracts import ContactCreatedV1, ContactUpdatedV1, EventContract
from treue.events.envelope import CloudEvent
from treue.inbox import Delivery, InboxProcessor
from treue.testing import identity_headers

CONTACT = uuid.uuid4()
NOW = datetime(2026, 5, 1, tzinfo=UTC)


def snapshot(version: int, company: str) -> dict[str, object]:
    return {
        "contact_id": CONTACT,
        "version": version,
        "first_name": "Jana",
        "last_name": "Becker",
        "email": "jana@example.de",
        "company": company,
        "language": "de",
        "lifecycle_stage": "customer",
        "tags": ["a"],
        "acquisition_channel": "fair",
        "acquisition_cost": "250.00",
    }


def delivery(contract: EventContract, offset: int) -> Delivery:
    event = CloudEvent(
        source="contacts",
        type=contract.event_type,
        subject=str(CONTACT),
        data=contract.model_dump(mode="json"),
    )
    record = type("Record", (), {"topic": "treue.contacts", "partition": 0, "offset": offset})
    return Delivery(record, event, None)  # type: ignore[arg-type]


async def test_the_read_model_keeps_the_newest_version_whatever_the_arrival_order(
    app: FastAPI, clean: None
) -> None:
    runtime = app.state.runtime
    handlers = event_handlers(runtime.settings, runtime.tables, app.state.runtime_settings)
    inbox = InboxProcessor(runtime.session_factory, runtime.tables, handlers)
    created = ContactCreatedV1(**snapshot(1, "Alt GmbH"), created_at=NOW)  # type: ignore[arg-type]
    newer = ContactUpdatedV1(  # type: ignore[arg-type]
        **snapshot(3, "Neu AG"), updated_at=NOW, changed_fields=["company"]
    )
    older = ContactUpdatedV1(  # type: ignore[arg-type]
        **snapshot(2, "Zwischen KG"), updated_at=NOW, changed_fields=["company"]
    )

    await inbox.process([delivery(created, 0), delivery(newer, 1)])
    await inbox.process([delivery(older, 2)])

    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://analytics") as client:
        answer = await client.get(
            f"/api/v1/analytics/customers/{CONTACT}", headers=identity_headers()
        )
        unknown = await client.get(
            f"/api/v1/analytics/customers/{uuid.uuid4()}", headers=identity_headers()
        )
    assert answer.status_code == 200
    assert answer.json()["company"] == "Neu AG"
    assert answer.json()["contact_version"] == 3
    assert answer.json()["became_contact_at"] == "2026-05-01T00:00:00Z"
    assert unknown.status_code == 404
