"""Saved dynamic segments: CRUD with problem+json, members evaluated on create, update,
recompute and risk-changing events, and a `segment.changed` event (kind segment) for each
customer joining or leaving."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
from fastapi import FastAPI

from treue.events.contracts import (
    ContractCancelledV1,
    CustomerChurnedV1,
    EventContract,
    SegmentChangedV1,
)

from .conftest import Deliver
from .test_churn_risk import NOW, answer, contract_state
from .test_customer_value import contact, order
from .test_segmentation import RunJobs, outbox_events, recompute

AT_RISK = {"name": "A customers at risk", "filters": {"abc_class": ["A"], "min_churn_risk": 0.6}}


def at_risk(contact_id: uuid.UUID) -> list[EventContract]:
    """A cancelled contract and a detractor answer: a churn risk of 0.7."""
    cancelled = ContractCancelledV1(
        **contract_state(contact_id, uuid.uuid4(), 1),
        status="notice_given",
        reason="price",
        cancelled_at=NOW,
    )
    return [cancelled, answer(contact_id, 2, hours_ago=2)]


async def membership_changes(app: FastAPI, segment_id: str) -> list[tuple[str, str, str]]:
    found = []
    for data in await outbox_events(app, SegmentChangedV1.event_type):
        event = SegmentChangedV1.model_validate(data)
        if event.kind == "segment" and str(event.segment_id) == segment_id:
            assert event.previous is not None
            assert event.current is not None
            found.append((str(event.contact_id), event.previous, event.current))
    return found


async def member_ids(client: httpx.AsyncClient, segment_id: str) -> set[str]:
    found: set[str] = set()
    params: dict[str, Any] = {"limit": 1}
    while True:
        page = (
            await client.get(f"/api/v1/analytics/segments/{segment_id}/members", params=params)
        ).json()
        found |= {item["contact_id"] for item in page["items"]}
        if page["next_cursor"] is None:
            return found
        params["cursor"] = page["next_cursor"]


async def test_members_follow_the_read_model_and_every_change_is_an_event(
    clean: None, deliver: Deliver, client: httpx.AsyncClient, run_jobs: RunJobs, app: FastAPI
) -> None:
    big, big2, small = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    events: list[Any] = [contact(i, acquisition_cost=None) for i in (big, big2, small)]
    events += [order(big, "1000.00", "0.00", 1), order(big2, "900.00", "0.00", 1)]
    events += [order(small, "10.00", "0.00", 1), *at_risk(big), *at_risk(small)]
    await deliver(events)
    await recompute(client, run_jobs)

    created = await client.post("/api/v1/analytics/segments", json=AT_RISK)
    assert created.status_code == 201, created.text
    segment = created.json()
    sid = segment["id"]
    assert created.headers["location"] == f"/api/v1/analytics/segments/{sid}"
    assert segment["members"] == 1
    assert segment["filters"] == {"abc_class": ["A"], "min_churn_risk": 0.6}
    assert await member_ids(client, sid) == {str(big)}
    assert await membership_changes(app, sid) == [(str(big), "out", "in")]

    # An event that changes a customer's risk re-evaluates their memberships at once; the
    # recompute after it finds nothing left to change.
    await deliver(at_risk(big2))
    assert await member_ids(client, sid) == {str(big), str(big2)}
    await deliver([CustomerChurnedV1(contact_id=big, reason="price", note="", churned_at=NOW)])
    assert await member_ids(client, sid) == {str(big2)}
    await recompute(client, run_jobs)
    assert await member_ids(client, sid) == {str(big2)}
    assert (await membership_changes(app, sid))[1:] == [
        (str(big2), "out", "in"),
        (str(big), "in", "out"),
    ]

    changed = await client.patch(
        f"/api/v1/analytics/segments/{sid}",
        json={"filters": {"abc_class": ["A", "C"], "min_churn_risk": 0.6}, "description": "x"},
    )
    assert changed.status_code == 200
    assert changed.json()["members"] == 2
    assert changed.json()["name"] == AT_RISK["name"]
    assert changed.json()["description"] == "x"
    assert (await membership_changes(app, sid))[3:] == [(str(small), "out", "in")]

    listed = (await client.get("/api/v1/analytics/segments")).json()
    assert [item["id"] for item in listed["items"]] == [sid]

    deleted = await client.delete(f"/api/v1/analytics/segments/{sid}")
    assert deleted.status_code == 204
    assert sorted((await membership_changes(app, sid))[4:]) == sorted(
        [(str(big2), "in", "out"), (str(small), "in", "out")]
    )
    assert (await client.get(f"/api/v1/analytics/segments/{sid}")).status_code == 404
    gone = await client.get(f"/api/v1/analytics/segments/{sid}/members")
    assert gone.status_code == 404


async def test_bad_definitions_are_problems_naming_the_field(
    clean: None, client: httpx.AsyncClient
) -> None:
    async def problem(body: dict[str, Any], status: int) -> str:
        answer = await client.post("/api/v1/analytics/segments", json=body)
        assert answer.status_code == status, answer.text
        assert answer.headers["content-type"].startswith("application/problem+json")
        field: str = answer.json()["errors"][0]["field"]
        return field

    assert (await client.post("/api/v1/analytics/segments", json=AT_RISK)).status_code == 201
    shouting = {**AT_RISK, "name": AT_RISK["name"].upper()}
    assert await problem(shouting, 409) == "name"
    assert await problem({"name": "x", "filters": {"min_clv": 10, "max_clv": 5}}, 422) == (
        "filters.max_clv"
    )
    assert await problem({"name": "x", "filters": {"colour": "red"}}, 422) == "filters.colour"
    assert (await problem({"name": "x", "filters": {"abc_class": ["D"]}}, 422)).startswith(
        "filters.abc_class"
    )
    assert await problem({"name": "x", "filters": {"max_churn_risk": 2}}, 422) == (
        "filters.max_churn_risk"
    )
    late = {"last_order_after": "2026-05-01T00:00:00Z", "last_order_before": "2026-04-01T00:00:00Z"}
    assert await problem({"name": "x", "filters": late}, 422) == "filters.last_order_before"
    assert await problem({"name": "", "filters": {}}, 422) == "name"
    unknown = await client.patch(f"/api/v1/analytics/segments/{uuid.uuid4()}", json={"name": "y"})
    assert unknown.status_code == 404
