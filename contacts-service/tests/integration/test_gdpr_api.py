"""GDPR on a real Postgres: the export holds everything about the contact; the erasure
removes the personal data, keeps the amounts and emits contact.erased once."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import asyncpg
import httpx
import pytest

Factory = Callable[..., Awaitable[dict[str, Any]]]
Outbox = Callable[[str], Awaitable[list[dict[str, Any]]]]


@pytest.fixture
async def customer(
    client: httpx.AsyncClient,
    new_contact: Factory,
    new_product: Factory,
    new_custom_field: Factory,
    db: asyncpg.Connection,
) -> dict[str, Any]:
    """A contact with some of everything: an interaction, an order, a contract, a task, the
    copy of a survey answer and of an analytics flag, a churn and a win-back."""
    await new_custom_field("hobby")
    contact = await new_contact(
        email="anna.schmidt@example.de",
        phone="+49 30 1234",
        company="Schmidt AG",
        tags=["vip"],
        custom_fields={"hobby": "Segeln"},
        external_id="crm-77",
        marketing_consent=True,
    )
    product = await new_product()
    base = f"/api/v1/contacts/{contact['id']}"
    interaction = await client.post(
        f"{base}/interactions",
        json={
            "kind": "call",
            "subject": "Anna fragt nach Rabatt",
            "body": "Privatnummer 0171 …",
            "channel": "Handy",
            "cost": "8.00",
            "currency": "EUR",
        },
    )
    assert interaction.status_code == 201, interaction.text
    order = await client.post(
        "/api/v1/orders",
        json={
            "contact_id": contact["id"],
            "external_id": "o-77",
            "ordered_at": datetime.now(UTC).isoformat(),
            "currency": "EUR",
            "lines": [{"product_id": product["id"], "quantity": "2"}],
        },
    )
    assert order.status_code == 201, order.text
    contract = await client.post(
        "/api/v1/contracts",
        json={
            "contact_id": contact["id"],
            "product_id": product["id"],
            "start_date": "2025-01-01",
            "end_date": "2026-12-31",
            "notice_period_days": 30,
            "monthly_value": "99.00",
            "currency": "EUR",
        },
    )
    assert contract.status_code == 201, contract.text
    due = (datetime.now(UTC) + timedelta(days=3)).isoformat()
    task = await client.post(
        "/api/v1/tasks",
        json={"contact_id": contact["id"], "title": "Anna Schmidt zurückrufen", "due_at": due},
    )
    assert task.status_code == 201, task.text
    await db.execute(
        "INSERT INTO survey_responses (response_id, survey_id, contact_id, score, category,"
        " comment, responded_at, channel, revision, recorded_at)"
        " VALUES ($1, $2, $3, 3, 'detractor', 'Anna ist unzufrieden', now(), 'email', 1, now())",
        uuid.uuid4(),
        uuid.uuid4(),
        uuid.UUID(contact["id"]),
    )
    await db.execute(
        "INSERT INTO analytics_flags (id, contact_id, flag, occurred_at, score, drivers)"
        " VALUES ($1, $2, 'churn_risk', now(), 0.7, '{detractor}')",
        uuid.uuid4(),
        uuid.UUID(contact["id"]),
    )
    churn = await client.post(
        f"{base}/churn", json={"reason": "moved_or_closed", "note": "Anna zieht nach Wien"}
    )
    assert churn.status_code == 200, churn.text
    assert (await client.post(f"{base}/win-back")).status_code == 200
    return contact


async def test_the_export_holds_everything_about_the_contact(
    client: httpx.AsyncClient, customer: dict[str, Any]
) -> None:
    answer = await client.get(f"/api/v1/contacts/{customer['id']}/export")
    assert answer.status_code == 200
    document = answer.json()
    assert document["service"] == "contacts"
    assert document["contact"]["email"] == "anna.schmidt@example.de"
    assert document["contact"]["custom_fields"] == {"hobby": "Segeln"}
    assert [i["subject"] for i in document["interactions"]] == ["Anna fragt nach Rabatt"]
    assert [o["external_id"] for o in document["orders"]] == ["o-77"]
    assert len(document["orders"][0]["lines"]) == 1
    assert [c["monthly_value"] for c in document["contracts"]] == ["99.00"]
    titles = {t["title"] for t in document["tasks"]}
    assert "Anna Schmidt zurückrufen" in titles
    assert [r["comment"] for r in document["survey_responses"]] == ["Anna ist unzufrieden"]
    assert [(f["flag"], f["score"], f["drivers"]) for f in document["analytics_flags"]] == [
        ("churn_risk", 0.7, ["detractor"])
    ]
    assert [(c["change"], c["reason"], c["note"]) for c in document["lifecycle_changes"]] == [
        ("churned", "moved_or_closed", "Anna zieht nach Wien"),
        ("won_back", None, None),
    ]


async def test_erasure_removes_personal_data_keeps_amounts_and_emits_once(
    client: httpx.AsyncClient,
    customer: dict[str, Any],
    db: asyncpg.Connection,
    outbox: Outbox,
    new_contact: Factory,
) -> None:
    contact_id = uuid.UUID(customer["id"])
    answer = await client.delete(f"/api/v1/contacts/{contact_id}")
    assert answer.status_code == 202
    assert answer.json()["contact_id"] == str(contact_id)

    row = await db.fetchrow("SELECT * FROM contacts WHERE id = $1", contact_id)
    assert (row["first_name"], row["last_name"], row["email"], row["phone"]) == ("", "", None, None)
    assert (row["company"], row["external_id"], row["tags"], row["custom_fields"]) == (
        None,
        None,
        [],
        "{}",
    )
    assert row["marketing_consent"] is False
    assert row["erased_at"] is not None
    interaction = await db.fetchrow("SELECT * FROM interactions WHERE contact_id = $1", contact_id)
    assert (interaction["subject"], interaction["body"], interaction["channel"]) == (None,) * 3
    assert str(interaction["cost"]) == "8.00"
    order = await db.fetchrow("SELECT revenue FROM orders WHERE contact_id = $1", contact_id)
    assert str(order["revenue"]) == "2400.00"
    titles = await db.fetch(
        "SELECT title, title_code, title_params FROM tasks WHERE contact_id = $1", contact_id
    )
    # The order's follow-up goes too: its label would show again through its code.
    assert len(titles) == 2
    assert {tuple(t) for t in titles} == {("(erased)", None, None)}
    for table in ("survey_responses", "analytics_flags", "lifecycle_changes"):
        count = f"SELECT count(*) FROM {table} WHERE contact_id = $1"
        assert await db.fetchval(count, contact_id) == 0, table

    erased = await outbox("treue.contact.erased.v1")
    assert [(e["contact_id"], e["_subject"]) for e in erased] == [(str(contact_id),) * 2]
    when = datetime.fromisoformat(answer.json()["erased_at"])
    assert datetime.fromisoformat(erased[0]["erased_at"]) == when

    assert (await client.get(f"/api/v1/contacts/{contact_id}")).status_code == 404
    assert (await client.get(f"/api/v1/contacts/{contact_id}/export")).status_code == 404
    assert (await client.get("/api/v1/contacts")).json()["items"] == []
    again = await client.delete(f"/api/v1/contacts/{contact_id}")
    assert again.status_code == 202
    assert again.json()["erased_at"] == answer.json()["erased_at"]
    assert len(await outbox("treue.contact.erased.v1")) == 1
    # The e-mail is free again: the person may come back as a new contact.
    await new_contact(email="anna.schmidt@example.de")


async def test_erasing_an_unknown_contact_answers_404(client: httpx.AsyncClient) -> None:
    answer = await client.delete(f"/api/v1/contacts/{uuid.uuid4()}")
    assert answer.status_code == 404
    assert answer.headers["content-type"] == "application/problem+json"
