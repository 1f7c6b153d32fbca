"""The CLV histogram and the ABC Pareto curve, from order events through the real inbox, the
recompute job and Postgres."""

from __future__ import annotations

import uuid
from decimal import Decimal

import httpx
from fastapi import FastAPI
from sqlalchemy import update

from analytics.adapters.orm import customers

from .conftest import Deliver
from .test_customer_value import contact, order
from .test_segmentation import RunJobs, recompute


async def test_pareto_slices_rank_the_classified_customers_by_value(
    clean: None, deliver: Deliver, client: httpx.AsyncClient, run_jobs: RunJobs
) -> None:
    # Net values 50, 30, 10, 5, 3, 2 (no CLV run yet) and one negative (acquisition cost).
    ids = [uuid.uuid4() for _ in range(7)]
    events: list[object] = [contact(ids[0], acquisition_cost="100.00")]
    events += [contact(i, acquisition_cost=None) for i in ids[1:]]
    for i, value in zip(ids[1:], ("50", "30", "10", "5", "3", "2"), strict=True):
        events.append(order(i, f"{value}.00", "0.00", days=1))
    await deliver(events)  # type: ignore[arg-type]
    before = (await client.get("/api/v1/analytics/segments/abc/pareto")).json()
    assert before == {"segment_id": None, "customers": 0, "total_value": "0", "buckets": []}

    await recompute(client, run_jobs)

    answer = await client.get("/api/v1/analytics/segments/abc/pareto", params={"buckets": "3"})
    assert answer.status_code == 200
    body = answer.json()
    assert (body["customers"], Decimal(body["total_value"])) == (7, Decimal(100))
    assert [b["customers"] for b in body["buckets"]] == [3, 2, 2]
    assert [Decimal(b["value"]) for b in body["buckets"]] == [90, 8, 2]
    assert [b["cumulative_share"] for b in body["buckets"]] == [0.9, 0.98, 1.0]
    assert body["buckets"][-1]["customer_share"] == 1.0

    # A saved segment's members only: the net values 50, 30 and 10.
    segment = await client.post(
        "/api/v1/analytics/segments", json={"name": "Worth 10", "filters": {"min_net_value": 10}}
    )
    of_segment = await client.get(
        "/api/v1/analytics/segments/abc/pareto",
        params={"buckets": "3", "segment_id": segment.json()["id"]},
    )
    assert of_segment.status_code == 200
    members = of_segment.json()
    assert members["segment_id"] == segment.json()["id"]
    assert (members["customers"], Decimal(members["total_value"])) == (3, Decimal(90))
    assert [Decimal(b["value"]) for b in members["buckets"]] == [50, 30, 10]
    unknown = await client.get(
        "/api/v1/analytics/segments/abc/pareto", params={"segment_id": str(uuid.uuid4())}
    )
    assert unknown.status_code == 404

    wrong = await client.get("/api/v1/analytics/segments/abc/pareto", params={"buckets": "0"})
    assert wrong.status_code == 422
    assert wrong.json()["errors"][0]["field"] == "buckets"


async def test_clv_histogram_counts_the_predictions_by_class(
    clean: None, deliver: Deliver, client: httpx.AsyncClient, run_jobs: RunJobs, app: FastAPI
) -> None:
    ids = [uuid.uuid4() for _ in range(5)]
    await deliver([contact(i, acquisition_cost=None) for i in ids])
    await deliver([order(i, "10.00", "0.00", days=1) for i in ids[:4]])
    # What a CLV run leaves behind: predictions for the customers with orders.
    async with app.state.runtime.session_factory() as session:
        for i, clv in zip(ids, ("100.00", "200.00", "300.00", "1000.00"), strict=False):
            await session.execute(
                update(customers).where(customers.c.contact_id == i).values(clv=Decimal(clv))
            )
        await session.commit()
    await recompute(client, run_jobs)

    answer = await client.get("/api/v1/analytics/clv/distribution", params={"bins": "4"})
    assert answer.status_code == 200
    body = answer.json()
    assert (body["customers"], body["median"], body["mean"]) == (4, "250.00", "400.00")
    assert (body["abc_class"], body["currency"], body["left_out_customers"]) == (None, "EUR", 0)
    # Round edges on a log scale, 1-2-5 steps while they fit in 4 bins.
    assert body["bins"] == [
        {"low": "100.00", "high": "200.00", "customers": 1},
        {"low": "200.00", "high": "500.00", "customers": 2},
        {"low": "500.00", "high": "1000.00", "customers": 0},
        {"low": "1000.00", "high": "2000.00", "customers": 1},
    ]
    # Fewer bins: whole decades.
    coarse = await client.get("/api/v1/analytics/clv/distribution", params={"bins": "3"})
    assert [(b["low"], b["customers"]) for b in coarse.json()["bins"]] == [
        ("100.00", 3),
        ("1000.00", 1),
    ]

    only_a = await client.get("/api/v1/analytics/clv/distribution", params={"abc_class": "A"})
    assert only_a.json()["customers"] == 2  # 1000 and 300 make the first 80 % of 1600
    # A saved segment's members only (300 and 1000), with or without a class.
    segment = await client.post(
        "/api/v1/analytics/segments", json={"name": "CLV 250+", "filters": {"min_clv": 250}}
    )
    segment_id = segment.json()["id"]
    of_segment = await client.get(
        "/api/v1/analytics/clv/distribution", params={"segment_id": segment_id}
    )
    assert of_segment.status_code == 200
    members = of_segment.json()
    assert (members["segment_id"], members["customers"], members["median"]) == (
        segment_id,
        2,
        "650.00",
    )
    both = await client.get(
        "/api/v1/analytics/clv/distribution", params={"segment_id": segment_id, "abc_class": "B"}
    )
    assert both.json()["customers"] == 0
    unknown = await client.get(
        "/api/v1/analytics/clv/distribution", params={"segment_id": str(uuid.uuid4())}
    )
    assert unknown.status_code == 404

    wrong = await client.get("/api/v1/analytics/clv/distribution", params={"abc_class": "D"})
    assert wrong.status_code == 422
    assert wrong.json()["errors"][0]["field"] == "abc_class"
