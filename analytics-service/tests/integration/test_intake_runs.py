"""Interactions and NPS answers arrive in runs (inbox BatchHandlers): a run must leave the
read model and the outbox exactly as the same events handled one by one leave them, with
customers crossing the churn-risk threshold and leaving it again within the run, saved
segments following, revisions out of order and events replayed within the run."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

import httpx
from fastapi import FastAPI
from sqlalchemy import text

from analytics.entrypoints.events import event_handlers
from treue.events.contracts import (
    ContractCancelledV1,
    CustomerChurnRiskV1,
    EventContract,
    InteractionLoggedV1,
    NpsResponseRecordedV1,
    SegmentChangedV1,
)
from treue.events.envelope import CloudEvent
from treue.inbox import BatchHandler
from treue.testing import truncate

from .conftest import READ_MODEL, Deliver, event_of
from .test_churn_risk import NOW, answer, contract_state
from .test_customer_value import contact, interaction

Scenario = list[EventContract | CloudEvent]

SEGMENTS = [
    {"name": "at risk", "filters": {"min_churn_risk": 0.6}},
    {"name": "costly to serve", "filters": {"min_service_cost": "50.00"}},
]


def cancelled(contact_id: uuid.UUID) -> ContractCancelledV1:
    """A cancelled contract: a churn risk of 0.5, so two negative interactions (0.1 each)
    or a detractor answer take the customer over the threshold of 0.6."""
    return ContractCancelledV1(
        **contract_state(contact_id, uuid.uuid4(), 1),
        status="notice_given",
        reason="price",
        cancelled_at=NOW,
    )


def logged(
    contact_id: uuid.UUID, sentiment: str | None, cost: str | None, days_ago: int
) -> InteractionLoggedV1:
    return interaction(contact_id, cost, NOW - timedelta(days=days_ago)).model_copy(
        update={"sentiment": sentiment, "kind": "call" if sentiment != "negative" else "ticket"}
    )


def revised(response: NpsResponseRecordedV1, score: int, revision: int) -> NpsResponseRecordedV1:
    category = "detractor" if score <= 6 else "passive" if score <= 8 else "promoter"
    return response.model_copy(update={"score": score, "category": category, "revision": revision})


async def snapshot(app: FastAPI) -> dict[str, Any]:
    """The read model's rows these events write and the outbox per subject, in order, with
    segments named and the times of the transaction left out."""
    runtime = app.state.runtime
    async with runtime.session_factory() as session:

        async def rows(query: str) -> list[tuple[Any, ...]]:
            return [tuple(row) for row in (await session.execute(text(query))).all()]

        names = dict(await rows("SELECT id::text, name FROM segments"))
        found = {
            "customers": await rows(
                "SELECT contact_id, churn_risk, churn_drivers, churn_alerted, service_cost"
                " FROM customers ORDER BY contact_id"
            ),
            "interactions": await rows(
                "SELECT interaction_id, contact_id, kind, sentiment, occurred_at, cost"
                " FROM interactions ORDER BY interaction_id"
            ),
            "responses": await rows(
                "SELECT response_id, survey_id, contact_id, revision, category, responded_at"
                " FROM nps_responses ORDER BY response_id"
            ),
            "members": sorted(
                (names[str(segment)], contact)
                for segment, contact in await rows(
                    "SELECT segment_id, contact_id FROM segment_members"
                )
            ),
        }
        outbox: dict[str, list[tuple[str, dict[str, Any]]]] = {}
        for event_type, subject, data in await rows(
            "SELECT event_type, subject, data FROM outbox ORDER BY id"
        ):
            kept = {k: v for k, v in data.items() if k not in ("assessed_at", "changed_at")}
            if kept.get("segment_id") is not None:
                kept["segment_id"] = names[kept["segment_id"]]
            outbox.setdefault(subject, []).append((event_type, kept))
        found["outbox"] = outbox
    return found


async def handle_as_one_run(app: FastAPI, events: list[CloudEvent]) -> None:
    """The events to their BatchHandler in one call and one transaction, as the inbox hands
    over a run (which, should the run fail, would split it and hide the failure)."""
    runtime = app.state.runtime
    handlers = event_handlers(runtime.settings, runtime.tables, app.state.runtime_settings)
    [handler] = {handlers[event.type] for event in events}
    assert isinstance(handler, BatchHandler)
    async with runtime.session_factory() as session, session.begin():
        await handler.handle(session, events)


async def both_ways(
    app: FastAPI,
    database_url: str,
    deliver: Deliver,
    client: httpx.AsyncClient,
    setup: Scenario,
    run: Scenario,
) -> tuple[dict[str, Any], dict[str, Any]]:
    """The read model and outbox after `run` went through the inbox one event per batch, and
    after it was handled as one run, each from the same state (`setup`, then the saved
    segments)."""
    found = []
    for one_by_one in (True, False):
        await truncate(database_url, READ_MODEL)
        for body in SEGMENTS:
            created = await client.post("/api/v1/analytics/segments", json=body)
            assert created.status_code == 201, created.text
        await deliver(setup)
        events = [e if isinstance(e, CloudEvent) else event_of(e, str(e.contact_id)) for e in run]  # type: ignore[attr-defined]
        if one_by_one:
            for event in events:
                await deliver([event])
        else:
            await handle_as_one_run(app, events)
        found.append(await snapshot(app))
    return found[0], found[1]


def alerts(found: dict[str, Any]) -> list[tuple[str, float]]:
    return [
        (subject, data["score"])
        for subject, events in found["outbox"].items()
        for event_type, data in events
        if event_type == CustomerChurnRiskV1.event_type
    ]


def moves(found: dict[str, Any]) -> int:
    return sum(
        event_type == SegmentChangedV1.event_type
        for events in found["outbox"].values()
        for event_type, _ in events
    )


async def test_a_run_of_interactions_leaves_what_one_by_one_leaves(
    clean: None, database_url: str, deliver: Deliver, client: httpx.AsyncClient, app: FastAPI
) -> None:
    jana, lukas, mia, felix = (uuid.uuid4() for _ in range(4))
    setup: Scenario = [contact(c) for c in (jana, lukas, mia, felix)]
    setup += [cancelled(jana), cancelled(lukas)]
    complaint = logged(jana, "negative", "20.00", days_ago=2)
    run: Scenario = [
        logged(jana, "neutral", "10.00", days_ago=5),
        complaint,
        logged(lukas, "negative", None, days_ago=3),
        logged(mia, "positive", "30.00", days_ago=1),
        # Replayed within the run, as a new event: no cost twice, no extra negative.
        event_of(complaint, str(jana)),
        logged(jana, "negative", None, days_ago=1),  # jana crosses here
        logged(mia, None, "25.00", days_ago=1),  # mia becomes costly to serve, quietly
        logged(jana, "negative", "5.00", days_ago=1),  # above it, quiet
        logged(felix, "negative", "60.00", days_ago=1),
        logged(lukas, "negative", None, days_ago=200),  # too old to count
        logged(mia, "negative", None, days_ago=1),  # now mia's segments are looked at
    ]
    one_by_one, as_a_run = await both_ways(app, database_url, deliver, client, setup, run)

    assert as_a_run == one_by_one
    assert alerts(one_by_one) == [(str(jana), 0.6)]
    customers = {row[0]: row for row in one_by_one["customers"]}
    assert customers[jana][4] == 35
    assert customers[mia][4] == 55
    assert len(one_by_one["interactions"]) == len(run) - 1
    assert sorted(one_by_one["members"]) == sorted(
        [("at risk", jana), ("costly to serve", felix), ("costly to serve", mia)]
    )


async def test_a_run_of_answers_leaves_what_one_by_one_leaves(
    clean: None, database_url: str, deliver: Deliver, client: httpx.AsyncClient, app: FastAPI
) -> None:
    jana, lukas, mia = (uuid.uuid4() for _ in range(3))
    setup: Scenario = [contact(c) for c in (jana, lukas, mia)]
    setup += [cancelled(jana), cancelled(lukas), cancelled(mia)]
    lukas_first = answer(lukas, 2, hours_ago=10)
    mia_first = answer(mia, 9, hours_ago=10)
    run: Scenario = [
        answer(jana, 3, hours_ago=5),  # jana crosses
        lukas_first,  # lukas crosses
        answer(jana, 10, hours_ago=4),  # jana falls back below
        revised(lukas_first, 9, 2),  # lukas edits his answer: below again
        revised(mia_first, 1, 3),  # mia's third revision before her first two
        answer(jana, 4, hours_ago=3),  # jana crosses a second time
        mia_first,
        revised(mia_first, 8, 2),
        event_of(revised(lukas_first, 2, 1), str(lukas)),  # a stale revision, replayed
    ]
    one_by_one, as_a_run = await both_ways(app, database_url, deliver, client, setup, run)

    assert as_a_run == one_by_one
    # jana crosses twice, each crossing once announced; lukas and mia once.
    assert alerts(one_by_one) == [
        (str(jana), 0.7),
        (str(jana), 0.7),
        (str(lukas), 0.7),
        (str(mia), 0.7),
    ]
    responses = {row[0]: row for row in one_by_one["responses"]}
    assert responses[lukas_first.response_id][3:5] == (2, "promoter")
    assert responses[mia_first.response_id][3:5] == (3, "detractor")
    # Every crossing and every fall moved the customer in or out of "at risk".
    assert moves(one_by_one) == 6
    assert sorted(one_by_one["members"]) == sorted([("at risk", jana), ("at risk", mia)])
