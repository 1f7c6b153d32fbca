"""The contact's timeline: interactions, orders, analytics' flags and the churn history
merged newest first, paged by cursor."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable, Sequence
from datetime import UTC, datetime
from typing import Any

import asyncpg
import httpx

from treue.events.contracts import CustomerChurnRiskV1, EventContract, SegmentChangedV1
from treue.events.envelope import CloudEvent

Factory = Callable[..., Awaitable[dict[str, Any]]]
Deliver = Callable[[Sequence[EventContract | CloudEvent]], Awaitable[None]]


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


def flag_event(contact_id: str, event: EventContract) -> CloudEvent:
    return CloudEvent(
        source="analytics",
        type=event.event_type,
        subject=contact_id,
        data=event.model_dump(mode="json"),
    )


async def test_the_timeline_shows_analytics_flags_and_each_churn_and_win_back_in_order(
    client: httpx.AsyncClient, new_contact: Factory, deliver: Deliver
) -> None:
    contact = await new_contact()
    base = f"/api/v1/contacts/{contact['id']}"
    await client.post(
        f"{base}/interactions", json={"kind": "call", "occurred_at": "2026-02-01T09:00:00Z"}
    )
    churned = await client.post(
        f"{base}/churn",
        json={"reason": "price", "note": "zu teuer", "churned_at": "2026-02-02T09:00:00Z"},
    )
    assert churned.status_code == 200, churned.text
    risk = flag_event(
        contact["id"],
        CustomerChurnRiskV1(
            contact_id=contact["id"],
            score=0.72,
            previous_score=0.41,
            drivers=["low_p_alive", "detractor"],
            assessed_at=datetime(2026, 2, 3, 9, tzinfo=UTC),
        ),
    )
    abc = flag_event(
        contact["id"],
        SegmentChangedV1(
            contact_id=contact["id"],
            kind="abc",
            segment_id=None,
            previous="B",
            current="A",
            changed_at=datetime(2026, 2, 4, 9, tzinfo=UTC),
        ),
    )
    # A saved segment's in/out is no flag.
    membership = SegmentChangedV1(
        contact_id=contact["id"],
        kind="segment",
        segment_id=uuid.uuid4(),
        previous=None,
        current="in",
        changed_at=datetime(2026, 2, 5, 9, tzinfo=UTC),
    )
    await deliver([risk, abc, membership])
    won_back = await client.post(f"{base}/win-back")
    assert won_back.status_code == 200, won_back.text

    items: list[dict[str, Any]] = []
    cursor = None
    while True:
        params = {"limit": "2"} | ({"cursor": cursor} if cursor else {})
        page = await client.get(f"{base}/timeline", params=params)
        assert page.status_code == 200, page.text
        items += page.json()["items"]
        cursor = page.json()["next_cursor"]
        if cursor is None:
            break

    assert [(item["kind"], item["occurred_at"][:10]) for item in items[1:]] == [
        ("analytics_flag", "2026-02-04"),
        ("analytics_flag", "2026-02-03"),
        ("lifecycle", "2026-02-02"),
        ("interaction", "2026-02-01"),
    ]
    assert items[0]["kind"] == "lifecycle"
    assert items[0]["occurred_at"] == won_back.json()["updated_at"]
    assert (items[0]["change"], items[0]["reason"], items[0]["note"]) == ("won_back", None, None)
    assert (items[3]["change"], items[3]["reason"], items[3]["note"]) == (
        "churned",
        "price",
        "zu teuer",
    )
    assert items[1] | {"id": None} == {
        "kind": "analytics_flag",
        "id": None,
        "occurred_at": "2026-02-04T09:00:00Z",
        "flag": "abc_class",
        "score": None,
        "previous_score": None,
        "drivers": None,
        "previous_class": "B",
        "current_class": "A",
    }
    assert items[1]["id"] == str(abc.id)
    assert (items[2]["flag"], items[2]["score"], items[2]["previous_score"]) == (
        "churn_risk",
        0.72,
        0.41,
    )
    assert items[2]["drivers"] == ["low_p_alive", "detractor"]


async def test_a_flag_is_kept_once_and_one_of_an_unknown_or_erased_contact_is_dropped(
    client: httpx.AsyncClient, new_contact: Factory, deliver: Deliver, db: asyncpg.Connection
) -> None:
    contact, stranger, erased = await new_contact(), str(uuid.uuid4()), await new_contact()
    assert (await client.delete(f"/api/v1/contacts/{erased['id']}")).status_code == 202

    def risk(contact_id: str) -> CloudEvent:
        return flag_event(
            contact_id,
            CustomerChurnRiskV1(
                contact_id=contact_id,
                score=0.8,
                previous_score=None,
                drivers=["contract_cancelled"],
                assessed_at=datetime(2026, 3, 1, tzinfo=UTC),
            ),
        )

    twice = risk(contact["id"])
    await deliver([twice, risk(stranger), risk(erased["id"])])
    await deliver([twice])

    timeline = (await client.get(f"/api/v1/contacts/{contact['id']}/timeline")).json()
    assert [(item["kind"], item["id"]) for item in timeline["items"]] == [
        ("analytics_flag", str(twice.id))
    ]
    flags = "SELECT count(*) FROM analytics_flags WHERE contact_id = $1"
    assert await db.fetchval(flags, uuid.UUID(stranger)) == 0
    assert await db.fetchval(flags, uuid.UUID(erased["id"])) == 0
    assert await db.fetchval("SELECT count(*) FROM dead_letters") == 0
