"""GDPR: analytics-service's part of a contact's export, before and after the erasure."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import httpx

from treue.events.contracts import ContactErasedV1, CustomerChurnedV1
from treue.identity import Identity
from treue.testing import identity_headers

from .conftest import Deliver
from .test_churn_risk import answer
from .test_customer_value import NOW, contact, interaction, order
from .test_segmentation import RunJobs, recompute


async def test_the_export_holds_value_orders_signals_churns_and_segments_then_only_the_erasure(
    clean: None, deliver: Deliver, client: httpx.AsyncClient, run_jobs: RunJobs
) -> None:
    jana, bob = uuid.uuid4(), uuid.uuid4()
    await deliver([contact(jana), contact(bob), order(jana, "500.00", "300.00", days=1)])
    await deliver([order(bob, "90.00", "10.00", days=3), interaction(jana, "40.00")])
    await deliver([answer(jana, 2, hours_ago=3)])
    await deliver(
        [CustomerChurnedV1(contact_id=jana, reason="price", note="zu teuer", churned_at=NOW)]
    )
    await recompute(client, run_jobs)
    segment = await client.post(
        "/api/v1/analytics/segments", json={"name": "vip", "filters": {"tags": ["vip"]}}
    )
    assert segment.status_code == 201, segment.text

    answer_ = await client.get(f"/api/v1/analytics/customers/{jana}/export")

    assert answer_.status_code == 200, answer_.text
    data = answer_.json()
    assert (data["service"], data["contact_id"], data["erased_at"]) == (
        "analytics",
        str(jana),
        None,
    )
    customer = data["customer"]
    assert (customer["first_name"], customer["revenue"], customer["cost"]) == (
        "Jana",
        "500.00",
        "300.00",
    )
    assert customer["abc_class"] is not None
    assert [o["revenue"] for o in data["orders"]] == ["500.00"]
    assert [(i["kind"], i["cost"]) for i in data["interactions"]] == [("ticket", "40.00")]
    assert [r["category"] for r in data["nps_responses"]] == ["detractor"]
    assert [c["reason"] for c in data["churns"]] == ["price"]
    assert [s["name"] for s in data["segment_memberships"]] == ["vip"]

    await deliver([ContactErasedV1(contact_id=jana, erased_at=datetime.now(UTC))])
    after = (await client.get(f"/api/v1/analytics/customers/{jana}/export")).json()

    assert after["erased_at"] is not None
    assert after["customer"] is None
    for part in ("orders", "order_lines", "interactions", "nps_responses", "churns"):
        assert after[part] == [], part
    assert after["segment_memberships"] == []


async def test_the_export_needs_the_analytics_read_scope(
    clean: None, client: httpx.AsyncClient
) -> None:
    key = Identity(subject="key-1", kind="api_key", scopes=["contacts:read"])
    answer_ = await client.get(
        f"/api/v1/analytics/customers/{uuid.uuid4()}/export", headers=identity_headers(key)
    )
    assert answer_.status_code == 403
