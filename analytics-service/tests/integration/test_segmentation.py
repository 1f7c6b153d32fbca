"""ABC classes and RFM quintiles (A3) on hand-made data, through the real inbox, the recompute
job and Postgres; each class change is one `segment.changed` row in the outbox."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from typing import Any

import httpx
from fastapi import FastAPI
from sqlalchemy import select

from treue.events.contracts import SegmentChangedV1

from .conftest import Deliver
from .test_customer_value import contact, order

RunJobs = Callable[[], Awaitable[bool]]


async def recompute(client: httpx.AsyncClient, run_jobs: RunJobs) -> None:
    answer = await client.post("/api/v1/analytics/segments/recompute")
    assert answer.status_code == 202
    assert await run_jobs()
    job = (await client.get(answer.headers["location"])).json()
    assert job["status"] == "succeeded", job["error"]


async def outbox_events(app: FastAPI, event_type: str) -> list[dict[str, Any]]:
    runtime = app.state.runtime
    outbox = runtime.tables.outbox
    async with runtime.session_factory() as session:
        query = select(outbox.c.data, outbox.c.subject, outbox.c.topic).where(
            outbox.c.event_type == event_type
        )
        rows = (await session.execute(query.order_by(outbox.c.id))).all()
    for row in rows:
        assert row.topic == runtime.settings.topic("analytics")
        assert row.subject == row.data["contact_id"]
    return [row.data for row in rows]


async def classes(client: httpx.AsyncClient) -> dict[str, str]:
    page = await client.get("/api/v1/analytics/customers", params={"limit": "100"})
    return {item["contact_id"]: item["abc_class"] for item in page.json()["items"]}


async def test_abc_classes_follow_the_value_shares_and_only_changes_are_events(
    clean: None, deliver: Deliver, client: httpx.AsyncClient, run_jobs: RunJobs, app: FastAPI
) -> None:
    # Net values 50, 30, 10, 5, 3, 2 (total 100, no CLV run yet: the historical net value
    # counts) and one customer whose acquisition cost makes the value negative.
    ids = [uuid.uuid4() for _ in range(7)]
    events: list[Any] = [contact(ids[0], acquisition_cost="100.00")]
    events += [contact(i, acquisition_cost=None) for i in ids[1:]]
    for i, value in zip(ids[1:], ("50", "30", "10", "5", "3", "2"), strict=True):
        events.append(order(i, f"{value}.00", "0.00", days=1))
    await deliver(events)

    await recompute(client, run_jobs)

    found = await classes(client)
    expected = dict(zip(map(str, ids), "CAABBCC", strict=True))
    assert found == expected
    split = (await client.get("/api/v1/analytics/segments/abc")).json()
    assert split["thresholds"] == {"A": "80", "B": "15", "C": "5"}
    assert split["classes"] == [
        {"class": "A", "customers": 2, "value": "80.00", "value_share": 0.8},
        {"class": "B", "customers": 2, "value": "15.00", "value_share": 0.15},
        {"class": "C", "customers": 3, "value": "5.00", "value_share": 0.05},
    ]
    first = await outbox_events(app, SegmentChangedV1.event_type)
    assert len(first) == 7
    for data in first:
        event = SegmentChangedV1.model_validate(data)
        assert event.kind == "abc"
        assert event.segment_id is None
        assert event.previous is None
        assert event.current == expected[str(event.contact_id)]

    # Nothing changed: a recompute emits nothing. Then the negative customer buys for 500:
    # worth 400 of 500 now, they alone are A, and the others move down.
    await recompute(client, run_jobs)
    assert len(await outbox_events(app, SegmentChangedV1.event_type)) == 7
    await deliver([order(ids[0], "500.00", "0.00", days=2)])
    await recompute(client, run_jobs)

    moved = (await outbox_events(app, SegmentChangedV1.event_type))[7:]
    assert {(m["contact_id"], m["previous"], m["current"]) for m in moved} == {
        (str(ids[0]), "C", "A"),
        (str(ids[1]), "A", "B"),
        (str(ids[2]), "A", "B"),
        (str(ids[3]), "B", "C"),
        (str(ids[4]), "B", "C"),
    }
    only_a = await client.get("/api/v1/analytics/customers", params={"abc_class": "A"})
    assert [item["contact_id"] for item in only_a.json()["items"]] == [str(ids[0])]
    wrong = await client.get("/api/v1/analytics/customers", params={"abc_class": "D"})
    assert wrong.status_code == 422
    assert wrong.json()["errors"][0]["field"] == "abc_class"


async def test_rfm_scores_are_quintiles_of_recency_frequency_and_revenue(
    clean: None, deliver: Deliver, client: httpx.AsyncClient, run_jobs: RunJobs
) -> None:
    # Ten buyers: buyer k (0..9) last bought on day k, has k+1 orders of 10 * (10-k) each,
    # so later buyers are more recent and frequent; revenue (k+1) * 10 * (10-k) peaks at
    # k = 4 and 5. One lead without orders gets no score.
    ids = [uuid.uuid4() for _ in range(10)]
    events: list[Any] = [contact(i, acquisition_cost=None) for i in ids]
    for k, i in enumerate(ids):
        events += [order(i, f"{10 * (10 - k)}.00", "0.00", days=day) for day in range(k + 1)]
    lead = uuid.uuid4()
    events.append(contact(lead, acquisition_cost=None))
    await deliver(events)

    await recompute(client, run_jobs)

    page = await client.get("/api/v1/analytics/customers", params={"limit": "20"})
    scores = {item["contact_id"]: item for item in page.json()["items"]}
    assert [scores[str(i)]["rfm_recency"] for i in ids] == [1, 1, 2, 2, 3, 3, 4, 4, 5, 5]
    assert [scores[str(i)]["rfm_frequency"] for i in ids] == [1, 1, 2, 2, 3, 3, 4, 4, 5, 5]
    # Revenues: 100, 180, 240, 280, 300, 300, 280, 240, 180, 100.
    assert [scores[str(i)]["rfm_monetary"] for i in ids] == [1, 2, 3, 4, 5, 5, 4, 3, 2, 1]
    assert scores[str(ids[9])]["rfm"] == "551"
    assert scores[str(lead)]["rfm"] is None

    best = await client.get(
        "/api/v1/analytics/customers", params={"min_rfm_recency": "5", "sort": "-rfm"}
    )
    assert {item["contact_id"] for item in best.json()["items"]} == {str(ids[8]), str(ids[9])}
    out_of_range = await client.get("/api/v1/analytics/customers", params={"min_rfm_recency": 6})
    assert out_of_range.status_code == 422
    assert out_of_range.json()["errors"][0]["field"] == "min_rfm_recency"
