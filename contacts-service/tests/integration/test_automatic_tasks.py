"""The renewal job and the events from survey-service, on a real Postgres: a renewal task
and contract.renewal_due once per term, a call-back per detractor however often its event
comes, and the latest revision of each NPS response."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable, Sequence
from datetime import UTC, date, datetime, timedelta
from typing import Any

import asyncpg
import httpx

from contacts.service_layer.automatic_tasks import (
    RENEWAL_LOCK,
    AnnounceRenewalsDue,
    announce_renewals_due,
)
from contacts.service_layer.unit_of_work import ContactsUnitOfWork
from treue.events.contracts import EventContract, NpsDetractorV1, NpsResponseRecordedV1
from treue.events.envelope import CloudEvent
from treue.outbox import advisory_lock_key

Factory = Callable[..., Awaitable[dict[str, Any]]]
Outbox = Callable[[str], Awaitable[list[dict[str, Any]]]]
Deliver = Callable[[Sequence[EventContract | CloudEvent]], Awaitable[None]]
TODAY = datetime.now(UTC).date()


async def contract_ending(
    client: httpx.AsyncClient, contact: dict[str, Any], product: dict[str, Any], days: int
) -> dict[str, Any]:
    """A contract whose notice date (90 days before the end) is `days` from today."""
    end = TODAY + timedelta(days=90 + days)
    body = {
        "contact_id": contact["id"],
        "product_id": product["id"],
        "start_date": (end - timedelta(days=364)).isoformat(),
        "end_date": end.isoformat(),
        "notice_period_days": 90,
        "monthly_value": "200.00",
        "currency": "EUR",
    }
    answer = await client.post("/api/v1/contracts", json=body)
    assert answer.status_code == 201, answer.text
    created: dict[str, Any] = answer.json()
    return created


async def test_renewal_job_announces_each_term_once(
    client: httpx.AsyncClient,
    new_contact: Factory,
    new_product: Factory,
    uow: ContactsUnitOfWork,
    outbox: Outbox,
) -> None:
    owner = str(uuid.uuid4())
    contact, product = await new_contact(owner_id=owner), await new_product()
    soon = await contract_ending(client, contact, product, 10)
    await contract_ending(client, contact, product, 45)  # outside the 30-day window
    await contract_ending(client, contact, product, -3)  # its notice date has passed
    cancelled = await contract_ending(client, contact, product, 5)
    await client.post(f"/api/v1/contracts/{cancelled['id']}/cancel", json={"reason": "x"})

    assert await announce_renewals_due(AnnounceRenewalsDue(TODAY, 30), uow) == 1
    assert await announce_renewals_due(AnnounceRenewalsDue(TODAY, 30), uow) == 0

    [task] = (await client.get("/api/v1/tasks", params={"contact_id": contact["id"]})).json()[
        "items"
    ]
    assert (task["origin"], task["assignee_id"]) == ("renewal", owner)
    assert task["title"].startswith("Verlängerung: Vertrag endet am")
    assert task["due_at"].startswith(soon["notice_date"])
    assert (task["title_code"], task["title_params"]) == (
        "renewal",
        {"end_date": soon["end_date"], "notice_date": soon["notice_date"]},
    )
    [event] = await outbox("treue.contract.renewal_due.v1")
    assert (event["contract_id"], event["task_id"]) == (soon["id"], task["id"])
    assert event["notice_date"] == soon["notice_date"]
    assert event["_subject"] == contact["id"]

    # The next term is announced again when its notice date nears.
    await client.post(f"/api/v1/contracts/{soon['id']}/renew")
    next_term = TODAY + timedelta(days=10 + 365)
    assert await announce_renewals_due(AnnounceRenewalsDue(next_term, 30), uow) == 1


async def test_renewal_job_stands_by_while_another_replica_runs_it(
    uow: ContactsUnitOfWork, db: asyncpg.Connection
) -> None:
    async with db.transaction():
        await db.execute("SELECT pg_advisory_xact_lock($1)", advisory_lock_key(RENEWAL_LOCK))
        assert await announce_renewals_due(AnnounceRenewalsDue(TODAY, 30), uow) == -1


def detractor(contact_id: str, response_id: uuid.UUID, score: int = 3) -> NpsDetractorV1:
    now = datetime.now(UTC)
    return NpsDetractorV1(
        contact_id=uuid.UUID(contact_id),
        survey_id=uuid.uuid4(),
        response_id=response_id,
        score=score,
        comment="Lieferung kam zu spät",
        responded_at=now,
        feedback_case_id=uuid.uuid4(),
        due_at=now + timedelta(days=2),
    )


async def test_a_detractor_gets_one_call_back_task_in_the_contacts_language(
    client: httpx.AsyncClient,
    new_contact: Factory,
    deliver: Deliver,
    outbox: Outbox,
    db: asyncpg.Connection,
) -> None:
    german, english = await new_contact(), await new_contact(language="en")
    response_id = uuid.uuid4()
    event = detractor(german["id"], response_id)

    await deliver([event, detractor(english["id"], uuid.uuid4(), score=5)])
    # Replayed under a new event id (the inbox cannot tell): still one task.
    await deliver([event])

    [task] = (await client.get("/api/v1/tasks", params={"contact_id": german["id"]})).json()[
        "items"
    ]
    assert (task["title"], task["origin"]) == (
        "Rückruf: Detraktor (Score 3)",
        "detractor_call_back",
    )
    assert datetime.fromisoformat(task["due_at"]) == event.due_at
    [other] = (await client.get("/api/v1/tasks", params={"contact_id": english["id"]})).json()[
        "items"
    ]
    assert other["title"] == "Call back: detractor (score 5)"
    # The same code and values under either language: the reader's locale renders them.
    assert [(t["title_code"], t["title_params"]) for t in (task, other)] == [
        ("detractor_call_back", {"score": 3}),
        ("detractor_call_back", {"score": 5}),
    ]
    rewritten = await client.patch(
        f"/api/v1/tasks/{other['id']}", json={"title": "Ask about the late delivery"}
    )
    assert (rewritten.json()["title_code"], rewritten.json()["title_params"]) == (None, None)
    assert len(await outbox("treue.task.created.v1")) == 2
    assert await db.fetchval("SELECT count(*) FROM dead_letters") == 0


async def test_a_detractor_of_an_unknown_contact_makes_no_task(
    client: httpx.AsyncClient, deliver: Deliver, db: asyncpg.Connection
) -> None:
    await deliver([detractor(str(uuid.uuid4()), uuid.uuid4())])
    assert (await client.get("/api/v1/tasks")).json()["items"] == []
    assert await db.fetchval("SELECT count(*) FROM dead_letters") == 0


def response(contact_id: str, response_id: uuid.UUID, revision: int, score: int) -> EventContract:
    return NpsResponseRecordedV1(
        response_id=response_id,
        survey_id=uuid.uuid4(),
        contact_id=uuid.UUID(contact_id),
        score=score,
        category="promoter" if score >= 9 else "passive" if score >= 7 else "detractor",
        comment=f"revision {revision}",
        responded_at=datetime(2026, 2, 10, 9, tzinfo=UTC),
        channel="link",
        revision=revision,
        recorded_at=datetime.now(UTC),
    )


async def test_the_timeline_shows_contracts_tasks_and_the_latest_survey_response(
    client: httpx.AsyncClient, new_contact: Factory, new_product: Factory, deliver: Deliver
) -> None:
    contact, product = await new_contact(), await new_product()
    contract = await contract_ending(client, contact, product, 100)
    task = (
        await client.post(
            "/api/v1/tasks",
            json={"contact_id": contact["id"], "title": "Anrufen", "due_at": "2026-12-01T09:00Z"},
        )
    ).json()
    response_id = uuid.uuid4()
    await deliver([response(contact["id"], response_id, 2, 9)])
    await deliver([response(contact["id"], response_id, 1, 4)])  # an older revision, late

    items = (await client.get(f"/api/v1/contacts/{contact['id']}/timeline")).json()["items"]

    by_kind = {item["kind"]: item for item in items}
    assert [item["kind"] for item in items] == ["task", "contract", "survey_response"]
    assert by_kind["contract"]["id"] == contract["id"]
    assert by_kind["contract"]["monthly_value"] == "200.00"
    assert by_kind["contract"]["end_date"] == contract["end_date"]
    assert (by_kind["task"]["id"], by_kind["task"]["origin"]) == (task["id"], "manual")
    assert (by_kind["task"]["title_code"], by_kind["task"]["title_params"]) == (None, None)
    survey = by_kind["survey_response"]
    assert (survey["id"], survey["score"], survey["comment"]) == (str(response_id), 9, "revision 2")
    assert survey["occurred_at"].startswith("2026-02-10T09:00:00")
    assert date.fromisoformat(by_kind["contract"]["start_date"]) < TODAY


async def test_a_response_of_an_unknown_or_erased_contact_is_not_kept(
    client: httpx.AsyncClient, new_contact: Factory, deliver: Deliver, db: asyncpg.Connection
) -> None:
    erased, stranger = await new_contact(), str(uuid.uuid4())
    assert (await client.delete(f"/api/v1/contacts/{erased['id']}")).status_code == 202

    # Recorded in survey-service before it heard of the erasure, arriving here after it.
    await deliver([response(erased["id"], uuid.uuid4(), 1, 2)])
    await deliver([response(stranger, uuid.uuid4(), 1, 9)])

    assert await db.fetchval("SELECT count(*) FROM survey_responses") == 0
    assert await db.fetchval("SELECT count(*) FROM dead_letters") == 0


async def test_the_renewal_job_can_be_run_through_the_api(
    client: httpx.AsyncClient, new_contact: Factory, new_product: Factory
) -> None:
    await contract_ending(client, await new_contact(), await new_product(), 7)

    first = await client.post("/api/v1/contracts/renewal-runs")
    again = await client.post("/api/v1/contracts/renewal-runs")

    assert (first.status_code, first.json()) == (200, {"announced": 1})
    assert again.json() == {"announced": 0}
