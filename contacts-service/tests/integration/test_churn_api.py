"""Churn with a reason code and a note, and win-back, against a real Postgres; each one stays
in the contact's churn history."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any

import asyncpg
import httpx

Factory = Callable[..., Awaitable[dict[str, Any]]]
Outbox = Callable[[str], Awaitable[list[dict[str, Any]]]]


async def test_churn_marks_the_contact_and_emits_churned_and_updated(
    client: httpx.AsyncClient, new_contact: Factory, outbox: Outbox
) -> None:
    contact = await new_contact()
    answer = await client.post(
        f"/api/v1/contacts/{contact['id']}/churn",
        json={"reason": "competitor", "note": "Wechsel zu einem Anbieter vor Ort"},
    )

    assert answer.status_code == 200, answer.text
    churned = answer.json()
    assert (churned["lifecycle_stage"], churned["churn_reason"]) == ("churned", "competitor")
    [event] = await outbox("treue.customer.churned.v1")
    assert event["contact_id"] == contact["id"]
    assert (event["reason"], event["note"]) == ("competitor", "Wechsel zu einem Anbieter vor Ort")
    assert event["churned_at"]
    updates = await outbox("treue.contact.updated.v1")
    assert updates[-1]["lifecycle_stage"] == "churned"
    assert updates[-1]["changed_fields"] == ["lifecycle_stage"]


async def test_churn_refuses_unknown_reasons_empty_notes_and_churning_twice(
    client: httpx.AsyncClient, new_contact: Factory
) -> None:
    path = f"/api/v1/contacts/{(await new_contact())['id']}/churn"

    unknown = await client.post(path, json={"reason": "bored", "note": "x"})
    assert unknown.status_code == 422
    assert unknown.json()["errors"][0]["field"] == "reason"
    empty = await client.post(path, json={"reason": "price", "note": "  "})
    assert empty.status_code == 422
    assert empty.json()["errors"][0]["field"] == "note"
    assert (await client.post(path, json={"reason": "price"})).status_code == 422
    assert (
        await client.post(path, json={"reason": "price", "note": "zu teuer"})
    ).status_code == 200
    again = await client.post(path, json={"reason": "price", "note": "zu teuer"})
    assert again.status_code == 409
    missing = f"/api/v1/contacts/{uuid.uuid4()}/churn"
    assert (await client.post(missing, json={"reason": "price", "note": "x"})).status_code == 404


async def test_win_back_makes_a_churned_contact_a_customer_again(
    client: httpx.AsyncClient, new_contact: Factory, outbox: Outbox
) -> None:
    contact = await new_contact()
    path = f"/api/v1/contacts/{contact['id']}"
    assert (await client.post(f"{path}/win-back")).status_code == 409
    await client.post(f"{path}/churn", json={"reason": "price", "note": "zu teuer"})

    answer = await client.post(f"{path}/win-back")

    assert answer.status_code == 200
    assert answer.json()["lifecycle_stage"] == "customer"
    [event] = await outbox("treue.customer.won_back.v1")
    assert (event["contact_id"], event["reason"]) == (contact["id"], "price")
    assert event["won_back_at"]
    assert (await client.post(f"{path}/win-back")).status_code == 409


async def test_a_churn_recorded_later_keeps_when_it_happened(
    client: httpx.AsyncClient, new_contact: Factory, outbox: Outbox
) -> None:
    path = f"/api/v1/contacts/{(await new_contact())['id']}/churn"
    future = await client.post(
        path, json={"reason": "moved_or_closed", "note": "x", "churned_at": "2999-01-01T00:00Z"}
    )
    assert future.status_code == 422
    assert future.json()["errors"][0]["field"] == "churned_at"

    answer = await client.post(
        path,
        json={
            "reason": "moved_or_closed",
            "note": "Betrieb aufgegeben",
            "churned_at": "2026-02-01T10:00:00Z",
        },
    )

    assert answer.json()["churned_at"].startswith("2026-02-01T10:00:00")
    [event] = await outbox("treue.customer.churned.v1")
    assert event["churned_at"].startswith("2026-02-01T10:00:00")


async def test_a_new_contact_cannot_start_out_churned_without_a_reason(
    client: httpx.AsyncClient, outbox: Outbox
) -> None:
    answer = await client.post(
        "/api/v1/contacts",
        json={"first_name": "Tom", "last_name": "Alt", "lifecycle_stage": "churned"},
    )

    assert answer.status_code == 422
    assert answer.headers["content-type"] == "application/problem+json"
    assert answer.json()["errors"][0]["field"] == "lifecycle_stage"
    assert await outbox("treue.contact.created.v1") == []


async def test_each_churn_and_win_back_stays_in_the_history_with_its_reason_and_note(
    client: httpx.AsyncClient, new_contact: Factory, db: asyncpg.Connection
) -> None:
    contact = await new_contact()
    path = f"/api/v1/contacts/{contact['id']}"
    await client.post(
        f"{path}/churn",
        json={"reason": "price", "note": "zu teuer", "churned_at": "2026-01-10T10:00:00Z"},
    )
    await client.post(f"{path}/win-back")
    await client.post(f"{path}/churn", json={"reason": "service", "note": " Lieferung spät "})
    # Refused changes leave no trace.
    assert (await client.post(f"{path}/churn", json={"reason": "price", "note": "x"})).is_error

    rows = await db.fetch(
        "SELECT change, reason, note, occurred_at FROM lifecycle_changes"
        " WHERE contact_id = $1 ORDER BY occurred_at",
        uuid.UUID(contact["id"]),
    )
    assert [(r["change"], r["reason"], r["note"]) for r in rows] == [
        ("churned", "price", "zu teuer"),
        ("won_back", None, None),
        ("churned", "service", "Lieferung spät"),
    ]
    assert rows[0]["occurred_at"] == datetime(2026, 1, 10, 10, tzinfo=UTC)
    current = (await client.get(path)).json()
    assert datetime.fromisoformat(current["churned_at"]) == rows[2]["occurred_at"]
