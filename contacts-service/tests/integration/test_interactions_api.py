"""Interactions against a real Postgres: logging, the event, errors, newest-first paging."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from typing import Any

import httpx

Factory = Callable[..., Awaitable[dict[str, Any]]]
Outbox = Callable[[str], Awaitable[list[dict[str, Any]]]]

TICKET = {
    "kind": "ticket",
    "direction": "inbound",
    "channel": "helpdesk",
    "subject": "Spindel läuft unrund",
    "body": "Vibrationen nach dem Werkzeugwechsel.",
    "occurred_at": "2026-03-02T09:15:00+01:00",
    "sentiment": "negative",
    "cost": "85.50",
    "currency": "EUR",
}


async def test_a_logged_interaction_is_stored_and_emitted_without_its_text(
    client: httpx.AsyncClient, new_contact: Factory, outbox: Outbox
) -> None:
    contact = await new_contact()

    answer = await client.post(f"/api/v1/contacts/{contact['id']}/interactions", json=TICKET)

    assert answer.status_code == 201, answer.text
    interaction = answer.json()
    assert interaction["cost"] == "85.50"
    assert interaction["occurred_at"] == "2026-03-02T08:15:00Z"
    [event] = await outbox("treue.interaction.logged.v1")
    assert event["_subject"] == contact["id"]
    assert event["interaction_id"] == interaction["id"]
    assert event["contact_id"] == contact["id"]
    assert (event["kind"], event["sentiment"], event["cost"], event["currency"]) == (
        "ticket",
        "negative",
        "85.50",
        "EUR",
    )
    assert "body" not in event
    assert "subject" not in event


async def test_an_interaction_without_a_time_happened_now(
    client: httpx.AsyncClient, new_contact: Factory
) -> None:
    contact = await new_contact()

    answer = await client.post(
        f"/api/v1/contacts/{contact['id']}/interactions", json={"kind": "note", "body": "Notiz"}
    )

    assert answer.status_code == 201
    assert answer.json()["occurred_at"] is not None
    assert answer.json()["direction"] is None


async def test_bad_interactions_name_the_field(
    client: httpx.AsyncClient, new_contact: Factory, outbox: Outbox
) -> None:
    contact = await new_contact()
    path = f"/api/v1/contacts/{contact['id']}/interactions"

    wrong = await client.post(
        path,
        json={
            "kind": "fax",
            "direction": "sideways",
            "sentiment": "angry",
            "cost": "-1",
            "occurred_at": "yesterday",
            "colour": "blue",
        },
    )
    naive = await client.post(path, json={"kind": "call", "occurred_at": "2026-03-02T09:15:00"})
    no_currency = await client.post(path, json={"kind": "call", "cost": "10"})

    assert wrong.status_code == 422
    assert {error["field"] for error in wrong.json()["errors"]} == {
        "kind",
        "direction",
        "sentiment",
        "cost",
        "occurred_at",
        "colour",
    }
    assert naive.status_code == 422
    assert naive.json()["errors"][0]["field"] == "occurred_at"
    assert no_currency.status_code == 422
    assert no_currency.json()["errors"][0]["field"] == "currency"
    assert await outbox("treue.interaction.logged.v1") == []


async def test_an_unknown_contact_is_a_404(client: httpx.AsyncClient) -> None:
    path = f"/api/v1/contacts/{uuid.uuid4()}/interactions"

    posted = await client.post(path, json=TICKET)
    listed = await client.get(path)

    assert posted.status_code == listed.status_code == 404
    assert posted.headers["content-type"] == "application/problem+json"


async def test_interactions_list_newest_first_page_by_page(
    client: httpx.AsyncClient, new_contact: Factory
) -> None:
    contact, other = await new_contact(), await new_contact()
    path = f"/api/v1/contacts/{contact['id']}/interactions"
    for day in (3, 1, 5, 2, 4):
        body = {**TICKET, "occurred_at": f"2026-03-0{day}T10:00:00+00:00", "subject": f"d{day}"}
        assert (await client.post(path, json=body)).status_code == 201
    await client.post(f"/api/v1/contacts/{other['id']}/interactions", json=TICKET)
    await client.post(path, json={"kind": "call", "occurred_at": "2026-03-09T10:00:00+00:00"})

    subjects: list[str] = []
    cursor = None
    while True:
        params = {"limit": "2", "kind": "ticket"} | ({"cursor": cursor} if cursor else {})
        page = (await client.get(path, params=params)).json()
        subjects += [item["subject"] for item in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break

    assert subjects == ["d5", "d4", "d3", "d2", "d1"]
