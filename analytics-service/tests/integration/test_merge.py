"""C8: on contact.merged the duplicate's orders, costs and churn signals count for the
survivor, whose value, risk and segments are recomputed; the duplicate's row goes."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import httpx
from fastapi import FastAPI

from treue.events.contracts import ContactMergedV1, SegmentChangedV1

from .conftest import Deliver
from .test_churn_risk import alerts, risk_of
from .test_customer_value import contact, interaction, order
from .test_erasure import PERSONAL_TABLES, rows_about, totals
from .test_product_margins import line
from .test_saved_segments import at_risk, member_ids, membership_changes
from .test_segmentation import outbox_events


async def segment(client: httpx.AsyncClient, name: str, filters: dict[str, str]) -> str:
    created = await client.post(
        "/api/v1/analytics/segments", json={"name": name, "filters": filters}
    )
    assert created.status_code == 201, created.text
    segment_id: str = created.json()["id"]
    return segment_id


async def test_merge_moves_the_history_and_recomputes_the_survivor(
    clean: None, deliver: Deliver, client: httpx.AsyncClient, app: FastAPI
) -> None:
    jana, duplicate, bob = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    await deliver([contact(jana), contact(duplicate), contact(bob)])
    await deliver([order(jana, "500.00", "300.00", days=1), order(bob, "90.00", "10.00", days=3)])
    lined = order(duplicate, "250.00", "100.00", days=9).model_copy(
        update={"lines": [line(1, uuid.uuid4(), "1", "250.00", "100.00")]}
    )
    await deliver([lined, interaction(duplicate, "40.00")])
    await deliver(at_risk(duplicate))
    small = await segment(client, "small spenders", {"max_revenue": "300.00"})
    served = await segment(client, "served", {"min_service_cost": "1.00"})
    assert await member_ids(client, small) == {str(duplicate), str(bob)}
    assert await member_ids(client, served) == {str(duplicate)}
    before = await totals(app)
    merge = ContactMergedV1(contact_id=jana, duplicate_id=duplicate, merged_at=datetime.now(UTC))

    await deliver([merge])
    events_after_merge = len(await outbox_events(app, SegmentChangedV1.event_type))
    survivor = (await client.get(f"/api/v1/analytics/customers/{jana}")).json()
    await deliver([merge])

    assert (await client.get(f"/api/v1/analytics/customers/{jana}")).json() == survivor
    assert len(await outbox_events(app, SegmentChangedV1.event_type)) == events_after_merge
    assert (survivor["revenue"], survivor["margin"], survivor["orders"]) == ("750.00", "350.00", 2)
    assert survivor["service_cost"] == "40.00"
    assert (survivor["first_order_at"], survivor["last_order_at"]) == (
        "2026-05-02T00:00:00Z",
        "2026-05-10T00:00:00Z",
    )
    score, drivers = await risk_of(client, jana)
    assert score >= 0.7
    assert {"contract_cancelled", "detractor"} <= set(drivers)
    assert [alert.contact_id for alert in await alerts(app)] == [duplicate, jana]
    assert (await client.get(f"/api/v1/analytics/customers/{duplicate}")).status_code == 404
    assert (await rows_about(app, jana))["order_lines"] == 1
    assert await rows_about(app, duplicate) == dict.fromkeys(
        (*PERSONAL_TABLES, "segment_members"), 0
    )
    after = await totals(app)
    assert {k: after[k] for k in ("revenue", "cost", "orders", "service_cost")} == {
        k: before[k] for k in ("revenue", "cost", "orders", "service_cost")
    }
    assert after["customers"] == before["customers"] - 1
    # The duplicate leaves without an event; the survivor, a member of both segments by the
    # merge, leaves the one its merged revenue no longer fits (an event) and stays in the other.
    assert await member_ids(client, small) == {str(bob)}
    assert await member_ids(client, served) == {str(jana)}
    changes = await membership_changes(app, small)
    assert sorted(changes[:2]) == sorted([(str(duplicate), "out", "in"), (str(bob), "out", "in")])
    assert changes[2:] == [(str(jana), "in", "out")]
    assert await membership_changes(app, served) == [(str(duplicate), "out", "in")]


async def test_a_merge_before_the_survivors_contact_event_still_adds_up(
    clean: None, deliver: Deliver, client: httpx.AsyncClient
) -> None:
    jana, duplicate = uuid.uuid4(), uuid.uuid4()
    await deliver([contact(duplicate), order(duplicate, "250.00", "100.00", days=9)])
    await deliver([order(jana, "500.00", "300.00", days=1), interaction(duplicate, "40.00")])
    await deliver(
        [ContactMergedV1(contact_id=jana, duplicate_id=duplicate, merged_at=datetime.now(UTC))]
    )
    assert (await client.get(f"/api/v1/analytics/customers/{jana}")).status_code == 404

    await deliver([contact(jana)])

    survivor = (await client.get(f"/api/v1/analytics/customers/{jana}")).json()
    assert (survivor["revenue"], survivor["orders"], survivor["service_cost"]) == (
        "750.00",
        2,
        "40.00",
    )
    assert (await client.get(f"/api/v1/analytics/customers/{duplicate}")).status_code == 404
