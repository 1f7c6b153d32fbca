"""Acquisition cohorts (A8) from order events, through the real inbox and Postgres."""

from __future__ import annotations

import uuid

import httpx

from .conftest import Deliver
from .test_customer_value import contact
from .test_dashboard import AS_OF, order_at


async def test_cohorts_by_first_order_month_with_retention_and_revenue(
    clean: None, deliver: Deliver, client: httpx.AsyncClient
) -> None:
    a, b, c, old, late = (uuid.uuid4() for _ in range(5))
    await deliver([contact(x) for x in (a, b, c, old, late)])
    await deliver(
        [
            order_at(a, "100.00", "2026-04-03"),
            order_at(a, "50.00", "2026-04-20"),
            order_at(a, "200.00", "2026-05-10"),
            order_at(a, "10.00", "2026-06-01"),
            order_at(b, "300.00", "2026-04-15"),
            order_at(c, "70.00", "2026-05-05"),
            order_at(c, "30.00", "2026-06-10"),
            order_at(c, "999.00", "2026-06-20"),  # after as_of
            order_at(old, "40.00", "2026-02-01"),  # acquired before the three months
            order_at(old, "40.00", "2026-04-01"),
            order_at(late, "5.00", "2026-07-01"),  # acquired after as_of
        ]
    )

    answer = await client.get("/api/v1/analytics/cohorts", params={"months": "3", "as_of": AS_OF})

    assert answer.status_code == 200
    body = answer.json()
    assert (body["since"], body["months_since"]) == ("2026-04-01T00:00:00Z", [0, 1, 2])
    april, may, june = body["cohorts"]
    assert april == {
        "cohort": "2026-04-01",
        "customers": 2,
        "active": [2, 1, 1],
        "retention": [1.0, 0.5, 0.5],
        "revenue": ["450.00", "200.00", "10.00"],
    }
    assert may == {
        "cohort": "2026-05-01",
        "customers": 1,
        "active": [1, 1],
        "retention": [1.0, 1.0],
        "revenue": ["70.00", "30.00"],
    }
    assert june == {
        "cohort": "2026-06-01",
        "customers": 0,
        "active": [0],
        "retention": [None],
        "revenue": ["0"],
    }

    # A saved segment's members only: those with two orders or more (a, c and old).
    segment = await client.post(
        "/api/v1/analytics/segments", json={"name": "Repeat", "filters": {"min_orders": 2}}
    )
    segment_id = segment.json()["id"]
    of_segment = await client.get(
        "/api/v1/analytics/cohorts",
        params={"months": "3", "as_of": AS_OF, "segment_id": segment_id},
    )
    assert of_segment.status_code == 200
    assert of_segment.json()["segment_id"] == segment_id
    april, may, _ = of_segment.json()["cohorts"]
    assert (april["customers"], april["active"], april["revenue"]) == (
        1,
        [1, 1, 1],
        ["150.00", "200.00", "10.00"],
    )
    assert may["customers"] == 1
    unknown = await client.get(
        "/api/v1/analytics/cohorts", params={"segment_id": str(uuid.uuid4())}
    )
    assert unknown.status_code == 404

    bad = await client.get("/api/v1/analytics/cohorts", params={"months": "61"})
    assert (bad.status_code, bad.json()["errors"][0]["field"]) == (422, "months")
