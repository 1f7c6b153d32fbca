"""Bulk actions on a real Postgres: a selection or a filter, run as a job by the service's
job runner, each contact changed with its contact.updated event in the outbox."""

from __future__ import annotations

import csv
import io
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import asyncpg
import httpx
import pytest
from fastapi import FastAPI

from contacts.entrypoints.bulk_jobs import bulk_job_handler
from contacts.entrypoints.import_jobs import ImportJobs
from contacts.service_layer.bulk_handlers import BULK_JOB, RunBulkAction, run_bulk_action
from contacts.service_layer.unit_of_work import ContactsUnitOfWork
from treue.jobs import JobRunner

Factory = Callable[..., Awaitable[dict[str, Any]]]
Outbox = Callable[[str], Awaitable[list[dict[str, Any]]]]
RunJobs = Callable[[], Awaitable[None]]
UPDATED = "treue.contact.updated.v1"
UNKNOWN = str(uuid.uuid4())
STAGE = "lifecycle_stage"


@pytest.fixture
async def run_jobs(app: FastAPI) -> AsyncIterator[RunJobs]:
    """Runs the queued bulk jobs with the service's real job runner."""
    runtime = app.state.runtime
    jobs = ImportJobs(app.state.settings, app.state.runtime_settings)
    async with jobs.bind(app, runtime):
        runner = JobRunner(
            runtime.session_factory, runtime.tables, {BULK_JOB: bulk_job_handler(jobs)}
        )

        async def run() -> None:
            while await runner.run_next():
                pass

        yield run


async def bulk(client: httpx.AsyncClient, body: dict[str, Any], **headers: str) -> dict[str, Any]:
    answer = await client.post("/api/v1/contacts/bulk", json=body, headers=headers)
    assert answer.status_code == 202, answer.text
    assert answer.headers["location"] == f"/api/v1/contacts/bulk/{answer.json()['id']}"
    job: dict[str, Any] = answer.json()
    return job


async def finished(client: httpx.AsyncClient, job_id: str) -> dict[str, Any]:
    answer = await client.get(f"/api/v1/contacts/bulk/{job_id}")
    assert answer.status_code == 200, answer.text
    job: dict[str, Any] = answer.json()
    assert job["status"] == "succeeded", job
    return job


async def tags_of(client: httpx.AsyncClient, contact: dict[str, Any]) -> list[str]:
    tags: list[str] = (await client.get(f"/api/v1/contacts/{contact['id']}")).json()["tags"]
    return tags


async def test_a_tag_goes_to_every_contact_a_filter_matches_with_an_event_each(
    client: httpx.AsyncClient, new_contact: Factory, run_jobs: RunJobs, outbox: Outbox
) -> None:
    lead_a = await new_contact(lifecycle_stage="lead", tags=["messe"])
    lead_b = await new_contact(lifecycle_stage="lead")
    customer = await new_contact(lifecycle_stage="customer")
    before = len(await outbox(UPDATED))

    job = await bulk(
        client, {"action": "add_tag", "tag": " Newsletter ", "filter": {"lifecycle_stage": "lead"}}
    )
    assert (job["status"], job["action"], job["matched"], job["changed"]) == (
        "queued",
        "add_tag",
        2,
        None,
    )
    await run_jobs()

    done = await finished(client, job["id"])
    assert (done["progress"], done["changed"], done["unchanged"], done["skipped"]) == (1, 2, 0, 0)
    assert await tags_of(client, lead_a) == ["messe", "newsletter"]
    assert await tags_of(client, lead_b) == ["newsletter"]
    assert await tags_of(client, customer) == []
    updated = (await outbox(UPDATED))[before:]
    assert sorted(event["_subject"] for event in updated) == sorted([lead_a["id"], lead_b["id"]])
    assert all(event["tags"][-1] == "newsletter" for event in updated)

    # Again: nobody changes, no event.
    body = {"action": "add_tag", "tag": "newsletter", "filter": {"tag": "messe"}}
    again = await bulk(client, body)
    await run_jobs()
    assert (await finished(client, again["id"]))["unchanged"] == 1
    assert len(await outbox(UPDATED)) == before + 2


async def test_contacts_unticked_after_selecting_all_matching_stay_untouched(
    client: httpx.AsyncClient, new_contact: Factory, run_jobs: RunJobs, outbox: Outbox
) -> None:
    leads = [await new_contact(lifecycle_stage="lead") for _ in range(4)]
    unticked = [leads[1]["id"], leads[3]["id"]]
    before = await outbox(UPDATED)

    job = await bulk(
        client,
        {
            "action": "add_tag",
            "tag": "messe",
            "filter": {"lifecycle_stage": "lead"},
            "exclude_ids": [*unticked, UNKNOWN],
        },
    )
    await run_jobs()

    done = await finished(client, job["id"])
    assert (job["matched"], done["changed"]) == (2, 2)
    assert [await tags_of(client, lead) for lead in leads] == [["messe"], [], ["messe"], []]
    updated = (await outbox(UPDATED))[len(before) :]
    assert sorted(event["_subject"] for event in updated) == sorted(
        [leads[0]["id"], leads[2]["id"]]
    )


async def test_a_picked_selection_changes_what_rules_allow_and_says_why_not_the_rest(
    client: httpx.AsyncClient, new_contact: Factory, run_jobs: RunJobs
) -> None:
    lead = await new_contact(lifecycle_stage="lead")
    customer = await new_contact(lifecycle_stage="customer")
    churned = await new_contact(lifecycle_stage="customer")
    churn = {"reason": "price", "note": "zu teuer"}
    assert (await client.post(f"/api/v1/contacts/{churned['id']}/churn", json=churn)).is_success
    untouched = await new_contact(lifecycle_stage="lead")
    picked = [lead["id"], customer["id"], churned["id"], str(uuid.uuid4())]

    body = {"action": "set_lifecycle_stage", "lifecycle_stage": "customer", "contact_ids": picked}
    job = await bulk(client, body)
    assert job["matched"] == 3
    await run_jobs()

    done = await finished(client, job["id"])
    assert (done["changed"], done["unchanged"], done["skipped"]) == (1, 1, 1)
    assert done["skipped_examples"][0]["contact_id"] == churned["id"]
    assert "win-back" in done["skipped_examples"][0]["message"]
    stages = {
        c["id"]: c["lifecycle_stage"]
        for c in (await client.get("/api/v1/contacts", params={"limit": 10})).json()["items"]
    }
    assert stages == {
        lead["id"]: "customer",
        customer["id"]: "customer",
        churned["id"]: "churned",
        untouched["id"]: "lead",
    }

    owner = str(uuid.uuid4())
    job = await bulk(client, {"action": "set_owner", "owner_id": owner, "contact_ids": picked[:2]})
    await run_jobs()
    assert (await finished(client, job["id"]))["changed"] == 2
    owned = await client.get("/api/v1/contacts", params={"owner_id": owner})
    assert {c["id"] for c in owned.json()["items"]} == {lead["id"], customer["id"]}
    job = await bulk(client, {"action": "set_owner", "owner_id": None, "contact_ids": picked[:1]})
    await run_jobs()
    assert (await client.get(f"/api/v1/contacts/{lead['id']}")).json()["owner_id"] is None


async def test_batches_walk_the_whole_target_while_the_action_changes_what_matches(
    client: httpx.AsyncClient, new_contact: Factory, uow: ContactsUnitOfWork, app: FastAPI
) -> None:
    tagged = [await new_contact(tags=["alt", "kunde"]) for _ in range(5)]
    other = await new_contact(tags=["kunde"])
    body = {"action": "remove_tag", "tag": "alt", "filter": {"tag": "alt"}}
    answer = await client.post("/api/v1/contacts/bulk", json=body)
    job_id = uuid.UUID(answer.json()["id"])
    async with uow:
        job = await uow.jobs.get(job_id, BULK_JOB)
    assert job is not None
    progress: list[float] = []

    async def report(fraction: float) -> None:
        progress.append(fraction)

    runtime = app.state.runtime

    def factory() -> ContactsUnitOfWork:
        return ContactsUnitOfWork(runtime.session_factory, runtime.tables, "contacts", "t")

    result = await run_bulk_action(RunBulkAction(job_id, job.params, batch_size=2), factory, report)

    assert result["changed"] == 5
    assert progress == [0.4, 0.8, 0.99]
    assert [await tags_of(client, c) for c in tagged] == [["kunde"]] * 5
    assert await tags_of(client, other) == ["kunde"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"action": "add_tag", "tag": "x"}, "contact_ids"),
        ({"action": "add_tag", "tag": "x", "contact_ids": [UNKNOWN], "filter": {}}, "contact_ids"),
        ({"action": "add_tag", "tag": "  ", "filter": {}}, "tag"),
        ({"action": "remove_tag", "filter": {}}, "tag"),
        ({"action": "set_owner", "filter": {}}, "owner_id"),
        ({"action": "set_lifecycle_stage", "lifecycle_stage": "churned", "filter": {}}, STAGE),
        ({"action": "delete", "filter": {}}, "action"),
        ({"action": "add_tag", "tag": "x", "filter": {"stage": "lead"}}, "filter.stage"),
        ({"action": "add_tag", "tag": "x", "contact_ids": []}, "contact_ids"),
        (
            {"action": "add_tag", "tag": "x", "contact_ids": [UNKNOWN], "exclude_ids": [UNKNOWN]},
            "exclude_ids",
        ),
        ({"action": "add_tag", "tag": "x", "filter": {}, "exclude_ids": ["x"]}, "exclude_ids[0]"),
    ],
)
async def test_a_bad_request_names_its_field_and_queues_nothing(
    client: httpx.AsyncClient, db: asyncpg.Connection, body: dict[str, Any], field: str
) -> None:
    answer = await client.post("/api/v1/contacts/bulk", json=body)
    assert answer.status_code == 422, answer.text
    assert answer.headers["content-type"] == "application/problem+json"
    assert [error["field"] for error in answer.json()["errors"]] == [field]
    assert await db.fetchval("SELECT count(*) FROM jobs") == 0


async def test_the_same_idempotency_key_starts_one_job(
    client: httpx.AsyncClient, new_contact: Factory, db: asyncpg.Connection
) -> None:
    await new_contact()
    body = {"action": "add_tag", "tag": "vip", "filter": {}}
    first = await bulk(client, body, **{"Idempotency-Key": "bulk-1"})
    # The replay is the first answer's status and body (the store keeps no headers).
    second = await client.post(
        "/api/v1/contacts/bulk", json=body, headers={"Idempotency-Key": "bulk-1"}
    )
    assert (second.status_code, second.json()["id"]) == (202, first["id"])
    assert await db.fetchval("SELECT count(*) FROM jobs WHERE kind = $1", BULK_JOB) == 1
    other = await client.post(
        "/api/v1/contacts/bulk", json={**body, "tag": "x"}, headers={"Idempotency-Key": "bulk-1"}
    )
    assert other.status_code == 409


async def test_count_and_export_of_a_selection(
    client: httpx.AsyncClient, new_contact: Factory
) -> None:
    anna = await new_contact(first_name="Anna", lifecycle_stage="lead", tags=["vip"])
    bernd = await new_contact(first_name="Bernd", lifecycle_stage="lead")
    await new_contact(first_name="Carla", lifecycle_stage="customer", tags=["vip"])

    async def count(**params: str) -> int:
        answer = await client.get("/api/v1/contacts/count", params=params)
        assert answer.status_code == 200, answer.text
        value: int = answer.json()["count"]
        return value

    assert await count() == 3
    assert await count(lifecycle_stage="lead") == 2
    assert await count(lifecycle_stage="lead", tag="vip") == 1
    assert await count(q="bernd") == 1
    bad = await client.get("/api/v1/contacts/count", params={"lifecycle_stage": "gone"})
    assert bad.status_code == 422

    async def exported(body: dict[str, Any]) -> list[str]:
        answer = await client.post("/api/v1/contacts/export", json=body)
        assert answer.status_code == 200, answer.text
        assert answer.headers["content-type"].startswith("text/csv")
        return [row["first_name"] for row in csv.DictReader(io.StringIO(answer.text))]

    assert await exported({"contact_ids": [bernd["id"], anna["id"]]}) == ["Anna", "Bernd"]
    assert await exported({"filter": {"tag": "vip"}}) == ["Anna", "Carla"]
    assert await exported({"filter": {"tag": "vip"}, "exclude_ids": [anna["id"]]}) == ["Carla"]
    assert (await client.post("/api/v1/contacts/export", json={})).status_code == 422
