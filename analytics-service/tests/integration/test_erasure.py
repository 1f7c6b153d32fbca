"""GDPR: on contact.erased the person's data leaves analytics, while revenue totals, the ABC
value shares and the CLV fit's input stay exactly as they were."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from typing import Any

import httpx
from fastapi import FastAPI
from sqlalchemy import text

from analytics.adapters.clv_repository import ClvRepository
from analytics.domain.money import ReportingCurrency
from treue.events.contracts import ContactErasedV1, SegmentChangedV1

from .conftest import Deliver, event_of
from .test_churn_risk import answer
from .test_customer_value import contact, interaction, order
from .test_saved_segments import at_risk, member_ids
from .test_segmentation import RunJobs, outbox_events, recompute

PERSONAL_TABLES = (
    "customers",
    "orders",
    "order_lines",
    "interactions",
    "contracts",
    "nps_responses",
    "churns",
)


async def totals(app: FastAPI) -> dict[str, Any]:
    async with app.state.runtime.session_factory() as session:
        sums = (
            await session.execute(
                text(
                    "SELECT sum(revenue) AS revenue, sum(cost) AS cost, sum(orders) AS orders,"
                    " sum(service_cost) AS service_cost, count(*) AS customers FROM customers"
                )
            )
        ).one()
        found = await ClvRepository(session).purchase_histories(
            date(2026, 12, 31), ReportingCurrency("EUR")
        )
    history = found.history
    summary = sorted(
        zip(
            history.repeat_purchases.tolist(),
            history.recency_days.tolist(),
            history.age_days.tolist(),
            history.repeat_spend.tolist(),
            strict=True,
        )
    )
    return {**sums._asdict(), "clv_input": summary}


async def rows_about(app: FastAPI, contact_id: uuid.UUID) -> dict[str, int]:
    found = {}
    async with app.state.runtime.session_factory() as session:
        for table in (*PERSONAL_TABLES, "segment_members"):
            query = text(f"SELECT count(*) FROM {table} WHERE contact_id = :id")
            found[table] = int(await session.scalar(query, {"id": contact_id}) or 0)
    return found


async def test_erasure_removes_the_person_and_keeps_the_figures(
    clean: None, deliver: Deliver, client: httpx.AsyncClient, run_jobs: RunJobs, app: FastAPI
) -> None:
    jana, bob = uuid.uuid4(), uuid.uuid4()
    created = contact(jana)
    first_order = order(jana, "500.00", "300.00", days=1)
    await deliver([created, contact(bob), first_order, order(jana, "250.00", "100.00", days=9)])
    await deliver([order(bob, "90.00", "10.00", days=3), interaction(jana, "40.00")])
    await deliver([*at_risk(jana), answer(jana, 1, hours_ago=3)])
    await recompute(client, run_jobs)
    segment = await client.post(
        "/api/v1/analytics/segments", json={"name": "vip", "filters": {"tags": ["vip"]}}
    )
    sid = segment.json()["id"]
    assert await member_ids(client, sid) == {str(jana), str(bob)}
    before = await totals(app)
    split_before = (await client.get("/api/v1/analytics/segments/abc")).json()
    events_before = len(await outbox_events(app, SegmentChangedV1.event_type))

    erased = ContactErasedV1(contact_id=jana, erased_at=datetime.now(UTC))
    await deliver([erased])
    # Replays (of the erasure, the contact and an order) change nothing, nor does a newer
    # snapshot of the contact sent before the erasure and delivered after it.
    newer = created.model_copy(update={"version": 7, "first_name": "Janine"})
    await deliver([erased, event_of(created, str(jana)), event_of(first_order, str(jana)), newer])
    await recompute(client, run_jobs)

    assert (await client.get(f"/api/v1/analytics/customers/{jana}")).status_code == 404
    assert await rows_about(app, jana) == dict.fromkeys((*PERSONAL_TABLES, "segment_members"), 0)
    async with app.state.runtime.session_factory() as session:
        anonymous = (
            await session.execute(text("SELECT * FROM customers WHERE erased_at IS NOT NULL"))
        ).one()
    assert (anonymous.first_name, anonymous.last_name, anonymous.email) == ("", "", None)
    assert (anonymous.company, anonymous.tags, anonymous.churn_risk) == (None, [], None)
    assert anonymous.revenue == 750

    assert await totals(app) == before
    assert (await client.get("/api/v1/analytics/segments/abc")).json() == split_before
    listed = (await client.get("/api/v1/analytics/customers")).json()["items"]
    assert [item["contact_id"] for item in listed] == [str(bob)]
    assert await member_ids(client, sid) == {str(bob)}
    # Leaving the segment this way is no event: it would spread the erased id again.
    assert len(await outbox_events(app, SegmentChangedV1.event_type)) == events_before
