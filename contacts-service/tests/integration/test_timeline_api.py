"""The contact's timeline: interactions and orders merged newest first, paged by cursor."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from typing import Any

import httpx

Factory = Callable[..., Awaitable[dict[str, Any]]]


async def test_the_timeline_merges_interactions_and_orders_newest_first(
    client: httpx.AsyncClient, new_contact: Factory, new_product: Factory
) -> None:
    contact, other = await new_contact(), await new_contact()
    await new_product()
    for day in (1, 3, 5):
        await client.post(
            f"/api/v1/contacts/{contact['id']}/interactions",
            json={
                "kind": "call",
                "subject": f"call {day}",
                "occurred_at": f"2026-02-0{day}T09:00:00Z",
                "cost": "12.00",
                "currency": "EUR",
            },
        )
    for day in (2, 4):
        await client.post(
            "/api/v1/orders",
            json={
                "contact_id": contact["id"],
                "external_id": f"O{day}",
                "ordered_at": f"2026-02-0{day}T09:00:00Z",
                "currency": "EUR",
                "lines": [{"sku": "ET-SPINDEL", "quantity": 1}],
            },
        )
    await client.post(f"/api/v1/contacts/{other['id']}/interactions", json={"kind": "note"})

    items: list[dict[str, Any]] = []
    cursor = None
    while True:
        params = {"limit": "2"} | ({"cursor": cursor} if cursor else {})
        page = await client.get(f"/api/v1/contacts/{contact['id']}/timeline", params=params)
        assert page.status_code == 200, page.text
        items += page.json()["items"]
        cursor = page.json()["next_cursor"]
        if cursor is None:
            break

    assert [(item["kind"], item["occurred_at"][:10]) for item in items] == [
        ("interaction", "2026-02-05"),
        ("order", "2026-02-04"),
        ("interaction", "2026-02-03"),
        ("order", "2026-02-02"),
        ("interaction", "2026-02-01"),
    ]
    call, recorded = items[0], items[1]
    assert (call["interaction_kind"], call["subject"], call["cost"]) == ("call", "call 5", "12.00")
    assert (recorded["external_id"], recorded["revenue"], recorded["cost"]) == (
        "O4",
        "1200.00",
        "700.00",
    )
    assert recorded["line_count"] == 1


async def test_the_timeline_of_an_unknown_contact_is_a_404_and_of_a_new_one_empty(
    client: httpx.AsyncClient, new_contact: Factory
) -> None:
    contact = await new_contact()

    missing = await client.get(f"/api/v1/contacts/{uuid.uuid4()}/timeline")
    empty = await client.get(f"/api/v1/contacts/{contact['id']}/timeline")
    bad_cursor = await client.get(
        f"/api/v1/contacts/{contact['id']}/timeline", params={"cursor": "x"}
    )

    assert missing.status_code == 404
    assert empty.json() == {"items": [], "next_cursor": None}
    assert bad_cursor.status_code == 422
