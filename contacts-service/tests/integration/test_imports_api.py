"""Bulk import on a real Postgres: the upload answers 202 with a job, the job imports the
good rows with their events, dedups by e-mail and external id, reports the bad rows, and
the contacts export reads back in."""

from __future__ import annotations

import csv
import io
import json
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from datetime import UTC, datetime
from typing import Any

import asyncpg
import httpx
import pytest
from fastapi import FastAPI

from contacts.domain.imports import ImportKind, Record, RowError, email_key
from contacts.entrypoints.import_jobs import ImportJobs
from contacts.service_layer.import_handlers import IMPORT_JOB, _Batch
from treue.events.contracts import ContactCreatedV1, InteractionLoggedV1
from treue.identity import Identity
from treue.jobs import JobRunner
from treue.testing import identity_headers

Factory = Callable[..., Awaitable[dict[str, Any]]]
Outbox = Callable[[str], Awaitable[list[dict[str, Any]]]]
RunJobs = Callable[[], Awaitable[None]]


@pytest.fixture
async def run_jobs(app: FastAPI) -> AsyncIterator[RunJobs]:
    """Runs the queued import jobs with the service's real job runner."""
    runtime = app.state.runtime
    jobs = ImportJobs(app.state.settings, app.state.runtime_settings)
    async with jobs.bind(app, runtime):
        runner = JobRunner(runtime.session_factory, runtime.tables, {IMPORT_JOB: jobs.handle})

        async def run() -> None:
            while await runner.run_next():
                pass

        yield run


async def upload(
    client: httpx.AsyncClient,
    kind: str,
    content: str | bytes,
    filename: str = "data.csv",
    headers: dict[str, str] | None = None,
) -> httpx.Response:
    data = content.encode() if isinstance(content, str) else content
    return await client.post(
        "/api/v1/imports", files={"file": (filename, data)}, data={"kind": kind}, headers=headers
    )


async def imported(
    client: httpx.AsyncClient,
    run_jobs: RunJobs,
    kind: str,
    content: str,
    filename: str = "a.csv",
    headers: dict[str, str] | None = None,
) -> dict[str, Any]:
    answer = await upload(client, kind, content, filename, headers)
    assert answer.status_code == 202, answer.text
    assert answer.headers["location"] == f"/api/v1/imports/{answer.json()['id']}"
    assert answer.json()["status"] == "queued"
    await run_jobs()
    job = await client.get(answer.headers["location"])
    assert job.status_code == 200
    result: dict[str, Any] = job.json()
    return result


async def errors_of(client: httpx.AsyncClient, job: dict[str, Any]) -> list[dict[str, Any]]:
    answer = await client.get(job["errors_url"])
    assert answer.status_code == 200
    report: list[dict[str, Any]] = answer.json()
    return report


CONTACTS_CSV = (
    "first_name,last_name,email,company,tags,external_id,acquisition_cost\n"
    "Anna,Schmidt,anna@example.de,Schmidt AG,vip;b2b,crm-1,100.50\n"
    "Bernd,Maier,not-an-email,,,crm-2,\n"
    "Carla,Weber,carla@example.de,\n"
    '"Dieter","Koch, Jr.",dieter@example.de,"Koch ""&"" Söhne",,crm-4,\n'
    "Eva,Braun,EXISTING@example.de,Braun KG,,,\n"
    "Anna,Schmidt-Neu,,,,crm-1,\n"
    "Fritz,Lang,fritz@example.de,,,,-5\n"
)


async def test_a_contacts_csv_imports_the_good_rows_and_reports_the_bad_ones(
    client: httpx.AsyncClient, run_jobs: RunJobs, new_contact: Factory, outbox: Outbox
) -> None:
    existing = await new_contact(email="existing@example.de", first_name="Eva", last_name="Alt")
    job = await imported(client, run_jobs, "contacts", CONTACTS_CSV)

    assert job["status"] == "succeeded", job
    assert job["progress"] == 1
    assert job["import_kind"] == "contacts"
    assert (job["records"], job["created"], job["updated"], job["failed"]) == (7, 2, 2, 3)
    report = await errors_of(client, job)
    assert [(error["row"], error["field"]) for error in report] == [
        (3, "email"),
        (4, "row"),
        (8, "acquisition_cost"),
    ]
    assert report[0]["message"].startswith("not a valid e-mail address")
    assert report[1]["message"] == "has 4 cells, the header has 7"
    assert report[2]["message"] == "must not be negative"
    # The codes of the API's field errors, so the report can be shown in the user's language.
    assert [(error["code"], error["ctx"]) for error in report] == [
        ("value_error", None),
        ("invalid", None),
        ("greater_than_equal", {"ge": 0}),
    ]
    listed = (await client.get("/api/v1/contacts", params={"limit": 10})).json()["items"]
    by_email = {contact["email"]: contact for contact in listed}
    assert set(by_email) == {"anna@example.de", "dieter@example.de", "existing@example.de"}
    # crm-1 appeared twice: the second row updated the contact the first created.
    assert by_email["anna@example.de"]["last_name"] == "Schmidt-Neu"
    assert by_email["anna@example.de"]["tags"] == ["vip", "b2b"]
    assert by_email["dieter@example.de"]["last_name"] == "Koch, Jr."
    assert by_email["dieter@example.de"]["company"] == 'Koch "&" Söhne'
    # The e-mail matched in any case: the existing contact was updated, not duplicated.
    assert by_email["existing@example.de"]["id"] == existing["id"]
    assert by_email["existing@example.de"]["last_name"] == "Braun"
    created = await outbox("treue.contact.created.v1")
    assert {event["email"] for event in created} == {
        "existing@example.de",
        "anna@example.de",
        "dieter@example.de",
    }
    updated = await outbox("treue.contact.updated.v1")
    assert sorted(event["_subject"] for event in updated) == sorted(
        [existing["id"], by_email["anna@example.de"]["id"]]
    )


async def test_an_imported_contact_cannot_start_out_churned(
    client: httpx.AsyncClient, run_jobs: RunJobs
) -> None:
    rows = (
        "first_name,last_name,email,lifecycle_stage\n"
        "Tom,Alt,tom@example.de,churned\n"
        "Uta,Neu,uta@example.de,customer\n"
    )
    job = await imported(client, run_jobs, "contacts", rows)

    assert (job["created"], job["failed"]) == (1, 1)
    [error] = await errors_of(client, job)
    assert (error["row"], error["field"]) == (2, "lifecycle_stage")
    listed = (await client.get("/api/v1/contacts")).json()["items"]
    assert [contact["email"] for contact in listed] == ["uta@example.de"]


async def test_the_error_report_downloads_as_csv(
    client: httpx.AsyncClient, run_jobs: RunJobs
) -> None:
    job = await imported(
        client, run_jobs, "contacts", "last_name,email\nA,bad\n,\nB,b@example.de\n"
    )
    answer = await client.get(job["errors_url"], params={"format": "csv"})
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("text/csv")
    assert "attachment" in answer.headers["content-disposition"]
    rows = list(csv.reader(io.StringIO(answer.text)))
    assert rows[0] == ["row", "field", "message", "code"]
    assert [(row[:2], row[3]) for row in rows[1:]] == [(["2", "email"], "value_error")]


async def test_importing_the_same_file_twice_creates_nothing_new(
    client: httpx.AsyncClient, run_jobs: RunJobs, outbox: Outbox
) -> None:
    first = await imported(client, run_jobs, "contacts", CONTACTS_CSV)
    second = await imported(client, run_jobs, "contacts", CONTACTS_CSV)
    assert first["created"] == 3
    # Only crm-1 changes on the second run: its two rows alternate the last name.
    assert (second["created"], second["updated"], second["failed"]) == (0, 2, 3)
    assert second["skipped"] == 2
    assert len(await outbox("treue.contact.created.v1")) == 3


async def test_past_imports_list_newest_first_with_who_and_their_error_reports(
    client: httpx.AsyncClient, run_jobs: RunJobs
) -> None:
    first = await imported(client, run_jobs, "contacts", "last_name,email\nA,bad\n", "mo.csv")
    second = await imported(
        client, run_jobs, "interactions", '{"contact_email": "x@example.de"}\n', "di.ndjson"
    )
    third = await imported(client, run_jobs, "contacts", "last_name\nB\n", "heute.csv")

    page = await client.get("/api/v1/imports", params={"limit": 2})
    assert page.status_code == 200, page.text
    rest = await client.get("/api/v1/imports", params={"cursor": page.json()["next_cursor"]})

    listed = page.json()["items"] + rest.json()["items"]
    assert [item["id"] for item in listed] == [third["id"], second["id"], first["id"]]
    assert rest.json()["next_cursor"] is None
    newest, _, oldest = listed
    assert (newest["filename"], newest["import_kind"], newest["status"]) == (
        "heute.csv",
        "contacts",
        "succeeded",
    )
    assert (newest["created"], newest["failed"]) == (1, 0)
    assert (newest["created_by"], newest["created_by_name"]) == ("test-admin", "Test Admin")
    assert listed[1]["format"] == "ndjson"
    assert (oldest["failed"], oldest["errors_url"]) == (1, f"/api/v1/imports/{first['id']}/errors")
    assert [error["field"] for error in await errors_of(client, oldest)] == ["email"]


async def test_the_list_of_imports_refuses_a_cursor_it_did_not_issue(
    client: httpx.AsyncClient,
) -> None:
    answer = await client.get("/api/v1/imports", params={"cursor": "bm90LWEtY3Vyc29y"})

    assert answer.status_code == 422
    assert answer.json()["errors"][0]["field"] == "cursor"


async def test_an_agent_s_import_assigns_contacts_only_as_the_agent_may(
    client: httpx.AsyncClient, run_jobs: RunJobs, new_contact: Factory
) -> None:
    agent_id, colleague_id = str(uuid.uuid4()), str(uuid.uuid4())
    agent = identity_headers(Identity(subject=agent_id, kind="user", role="agent"))
    await new_contact(email="owned@example.de", owner_id=colleague_id)
    await new_contact(email="free@example.de")
    rows = (
        "last_name,email,owner_id\n"
        f"Neu,mine@example.de,{agent_id}\n"
        f"Neu,theirs@example.de,{colleague_id}\n"
        f"Alt,owned@example.de,{agent_id}\n"
        f"Alt,free@example.de,{agent_id}\n"
        f"Alt,owned@example.de,{colleague_id}\n"
    )

    by_agent = await imported(client, run_jobs, "contacts", rows, headers=agent)

    report = await errors_of(client, by_agent)
    assert [(error["row"], error["field"]) for error in report] == [
        (3, "owner_id"),
        (4, "owner_id"),
    ]
    # The last row names the owner the contact has: no change of owner, its name changes.
    assert (by_agent["created"], by_agent["updated"], by_agent["failed"]) == (1, 2, 2)
    listed = (await client.get("/api/v1/contacts", params={"limit": 10})).json()["items"]
    owners = {contact["email"]: contact["owner_id"] for contact in listed}
    assert owners == {
        "mine@example.de": agent_id,
        "owned@example.de": colleague_id,
        "free@example.de": agent_id,
    }


async def test_a_manager_s_import_assigns_contacts_to_anyone(
    client: httpx.AsyncClient, run_jobs: RunJobs, new_contact: Factory
) -> None:
    manager = identity_headers(Identity(subject=str(uuid.uuid4()), kind="user", role="manager"))
    colleague_id = str(uuid.uuid4())
    await new_contact(email="owned@example.de", owner_id=str(uuid.uuid4()))
    rows = (
        "email,last_name,owner_id\n"
        f"owned@example.de,,{colleague_id}\n"
        f"neu@example.de,Neu,{colleague_id}\n"
    )

    by_manager = await imported(client, run_jobs, "contacts", rows, headers=manager)

    assert (by_manager["created"], by_manager["updated"], by_manager["failed"]) == (1, 1, 0)
    listed = (await client.get("/api/v1/contacts", params={"limit": 10})).json()["items"]
    assert {contact["owner_id"] for contact in listed} == {colleague_id}


async def test_orders_import_groups_rows_by_external_id_and_skips_known_orders(
    client: httpx.AsyncClient,
    run_jobs: RunJobs,
    new_contact: Factory,
    new_product: Factory,
    outbox: Outbox,
) -> None:
    lead = await new_contact(email="lead@example.de", lifecycle_stage="lead", external_id="c-1")
    await new_product(sku="SPINDEL", price="100.00", unit_cost="60.00")
    await new_product(sku="FRAESER", price="20.00", unit_cost="5.00")
    known = await client.post(
        "/api/v1/orders",
        json={
            "contact_id": lead["id"],
            "external_id": "o-known",
            "ordered_at": "2025-01-01T10:00:00+00:00",
            "currency": "EUR",
            "lines": [{"sku": "FRAESER", "quantity": "1"}],
        },
    )
    assert known.status_code == 201
    content = (
        "contact_external_id,contact_email,external_id,ordered_at,sku,quantity,unit_price,currency\n"
        "c-1,,o-1,2025-02-01T10:00:00+01:00,SPINDEL,2,,EUR\n"
        "c-1,,o-1,2025-02-01T10:00:00+01:00,FRAESER,3,19.50,EUR\n"
        ",lead@example.de,o-known,2025-01-01T10:00:00+00:00,FRAESER,1,,EUR\n"
        "c-1,,o-2,2025-03-01,SPINDEL,1,,EUR\n"
        "c-1,,o-2,2025-03-01,NOPE,1,,EUR\n"
        "c-9,,o-3,2025-03-01,SPINDEL,1,,EUR\n"
        "c-1,,o-4,2025-03-01,SPINDEL,0,,EUR\n"
    )
    job = await imported(client, run_jobs, "orders", content)

    assert job["status"] == "succeeded", job
    assert (job["created"], job["skipped"], job["failed"]) == (1, 1, 4)
    assert await errors_of(client, job) == [
        {
            "row": 5,
            "field": "external_id",
            "message": "the order is not recorded: row 6 of it is not valid",
            "code": "invalid",
            "ctx": None,
        },
        {
            "row": 6,
            "field": "sku",
            "message": "no product with this SKU",
            "code": "not_found",
            "ctx": None,
        },
        {
            "row": 7,
            "field": "contact_external_id",
            "message": "no contact with this value",
            "code": "not_found",
            "ctx": None,
        },
        {
            "row": 8,
            "field": "quantity",
            "message": "must be greater than 0",
            "code": "greater_than",
            "ctx": {"gt": 0},
        },
    ]
    recorded = await outbox("treue.order.recorded.v1")
    imported_order = next(event for event in recorded if event["external_id"] == "o-1")
    assert imported_order["contact_id"] == lead["id"]
    assert imported_order["revenue"] == "258.50"
    assert [line["sku"] for line in imported_order["lines"]] == ["SPINDEL", "FRAESER"]
    assert len(recorded) == 2
    contact = (await client.get(f"/api/v1/contacts/{lead['id']}")).json()
    assert contact["lifecycle_stage"] == "customer"


async def test_imported_orders_read_back_like_posted_ones_with_their_follow_up_tasks(
    client: httpx.AsyncClient,
    run_jobs: RunJobs,
    new_contact: Factory,
    new_product: Factory,
    outbox: Outbox,
    db: asyncpg.Connection,
) -> None:
    anna = await new_contact(email="anna@example.de", external_id="c-1")
    await new_product(sku="SPINDEL", price="100.00", unit_cost="60.00")
    lines = [
        {"contact_external_id": "c-1", "external_id": "n-1", "sku": "SPINDEL", "quantity": "2"},
        {"contact_external_id": "c-1", "external_id": "n-1", "sku": "SPINDEL", "quantity": "1"},
        {"contact_email": "ANNA@example.de", "external_id": "n-2", "sku": "SPINDEL", "quantity": 1},
        {
            "contact_email": "anna@example.de",
            "external_id": "n-3",
            "sku": "SPINDEL",
            "quantity": -1,
        },
    ]
    # Today: an order's follow-up task is only made while its date is still ahead.
    today = datetime.now(UTC).isoformat()
    content = "".join(
        json.dumps({"ordered_at": today, "currency": "EUR", **line}) + "\n" for line in lines
    )

    job = await imported(client, run_jobs, "orders", content, "orders.ndjson")

    assert (job["created"], job["failed"]) == (2, 1)
    assert [(e["row"], e["field"]) for e in await errors_of(client, job)] == [(4, "quantity")]
    listed = (await client.get("/api/v1/orders", params={"contact_id": anna["id"]})).json()
    by_external_id = {order["external_id"]: order for order in listed["items"]}
    assert set(by_external_id) == {"n-1", "n-2"}
    assert [line["quantity"] for line in by_external_id["n-1"]["lines"]] == ["2.000", "1.000"]
    assert by_external_id["n-1"]["revenue"] == "300.00"
    recorded = await outbox("treue.order.recorded.v1")
    assert [(e["order_id"], e["revenue"]) for e in recorded] == [
        (by_external_id["n-1"]["id"], "300.00"),
        (by_external_id["n-2"]["id"], "100.00"),
    ]
    tasks = (await client.get("/api/v1/tasks", params={"contact_id": anna["id"]})).json()
    follow_ups = [task for task in tasks["items"] if task["origin"] == "order_follow_up"]
    assert len(follow_ups) == 2
    created = await outbox("treue.task.created.v1")
    assert sorted(event["task_id"] for event in created) == sorted(t["id"] for t in follow_ups)
    subjects = await db.fetch(
        "SELECT DISTINCT subject FROM outbox WHERE event_type IN"
        " ('treue.order.recorded.v1', 'treue.task.created.v1')"
    )
    assert [row["subject"] for row in subjects] == [anna["id"]]


async def test_interactions_import_from_ndjson(
    client: httpx.AsyncClient, run_jobs: RunJobs, new_contact: Factory, outbox: Outbox
) -> None:
    contact = await new_contact(email="kunde@example.de")
    lines = [
        {
            "contact_email": "KUNDE@example.de",
            "kind": "call",
            "subject": "Angebot",
            "body": "ok",
            "occurred_at": "2025-05-01T09:00:00+02:00",
            "cost": "12.5",
            "currency": "EUR",
        },
        {"contact_email": "kunde@example.de", "kind": "fax"},
        "not json",
        {"contact_email": "nobody@example.de", "kind": "note"},
        {"contact_email": "kunde@example.de", "kind": "note", "mood": "good"},
    ]
    content = "\n".join(line if isinstance(line, str) else json.dumps(line) for line in lines)
    job = await imported(client, run_jobs, "interactions", content + "\n", "log.ndjson")

    assert job["format"] == "ndjson"
    assert (job["created"], job["failed"]) == (1, 4)
    assert [(e["row"], e["field"]) for e in await errors_of(client, job)] == [
        (2, "kind"),
        (3, "row"),
        (4, "contact_email"),
        (5, "mood"),
    ]
    logged = await outbox("treue.interaction.logged.v1")
    assert [(e["contact_id"], e["kind"], e["cost"]) for e in logged] == [
        (contact["id"], "call", "12.50")
    ]
    event = InteractionLoggedV1.model_validate(logged[0])
    assert logged[0]["_subject"] == contact["id"]
    assert event.occurred_at == datetime.fromisoformat("2025-05-01T09:00:00+02:00")
    assert (event.direction, event.currency) == (None, "EUR")
    timeline = (await client.get(f"/api/v1/contacts/{contact['id']}/interactions")).json()
    assert [item["id"] for item in timeline["items"]] == [str(event.interaction_id)]


@pytest.mark.parametrize(
    ("content", "field", "message"),
    [
        ("first_name,shoe_size\nA,42\n", "file", "unknown column 'shoe_size' for contacts imports"),
        ("", "file", "is empty"),
        (b"last_name\nM\xfcller\n", "file", "is not UTF-8 text (byte 11)"),
        ("last_name\nMü".encode()[:-1], "file", "ends inside a UTF-8 character"),
    ],
)
async def test_an_unreadable_upload_is_refused_naming_the_file(
    client: httpx.AsyncClient, content: str | bytes, field: str, message: str
) -> None:
    answer = await upload(client, "contacts", content)
    assert answer.status_code == 422
    assert answer.headers["content-type"] == "application/problem+json"
    assert answer.json()["errors"] == [{"field": field, "message": message, "code": "invalid"}]


async def test_an_unknown_kind_is_refused(client: httpx.AsyncClient) -> None:
    answer = await upload(client, "pets", "name\nRex\n")
    assert answer.status_code == 422
    assert answer.json()["errors"][0]["field"] == "kind"


async def test_a_file_over_the_limit_is_refused_with_413(
    client: httpx.AsyncClient, app: FastAPI, db: asyncpg.Connection
) -> None:
    settings = app.state.settings
    limit, settings.import_max_bytes = settings.import_max_bytes, 100
    try:
        answer = await upload(client, "contacts", "last_name\n" + "Maier\n" * 50)
    finally:
        settings.import_max_bytes = limit
    assert answer.status_code == 413
    assert await db.fetchval("SELECT count(*) FROM jobs") == 0


async def test_an_unknown_import_answers_404(client: httpx.AsyncClient) -> None:
    missing = "00000000-0000-4000-8000-000000000000"
    assert (await client.get(f"/api/v1/imports/{missing}")).status_code == 404
    assert (await client.get(f"/api/v1/imports/{missing}/errors")).status_code == 404


async def test_the_export_streams_csv_that_imports_back_unchanged(
    client: httpx.AsyncClient, run_jobs: RunJobs, new_contact: Factory, new_custom_field: Factory
) -> None:
    await new_custom_field("branche")
    await new_contact(
        email="a@example.de",
        tags=["vip", "b2b"],
        custom_fields={"branche": "Metall"},
        company="A, B & C",
        external_id="x-1",
        acquisition_cost="10.00",
        marketing_consent=True,
    )
    await new_contact(email="b@example.de", lifecycle_stage="lead")
    answer = await client.get("/api/v1/contacts/export.csv")
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(answer.text)))
    assert [row["email"] for row in rows] == ["a@example.de", "b@example.de"]
    assert rows[0]["tags"] == "vip;b2b"
    assert json.loads(rows[0]["custom_fields"]) == {"branche": "Metall"}
    assert rows[0]["company"] == "A, B & C"

    leads = await client.get("/api/v1/contacts/export.csv", params={"lifecycle_stage": "lead"})
    assert [row["email"] for row in csv.DictReader(io.StringIO(leads.text))] == ["b@example.de"]

    job = await imported(client, run_jobs, "contacts", answer.text)
    assert (job["created"], job["updated"], job["skipped"], job["failed"]) == (0, 0, 2, 0)


@pytest.fixture
def batch_size(app: FastAPI) -> Iterator[Callable[[int], None]]:
    settings = app.state.settings
    default = settings.import_batch_size

    def set_size(size: int) -> None:
        settings.import_batch_size = size

    yield set_size
    settings.import_batch_size = default


async def test_small_batches_keep_the_rows_of_one_order_together(
    client: httpx.AsyncClient,
    run_jobs: RunJobs,
    new_contact: Factory,
    new_product: Factory,
    outbox: Outbox,
    batch_size: Callable[[int], None],
) -> None:
    batch_size(1)
    await new_contact(external_id="c-1")
    await new_product(sku="SPINDEL")
    content = "contact_external_id,external_id,ordered_at,sku,quantity,currency\n" + "".join(
        f"c-1,o-{order},2025-02-01T10:00:00Z,SPINDEL,{line},EUR\n"
        for order in (1, 2)
        for line in (1, 2, 3)
    )
    job = await imported(client, run_jobs, "orders", content)
    assert (job["records"], job["created"], job["failed"]) == (6, 2, 0)
    recorded = await outbox("treue.order.recorded.v1")
    assert [len(event["lines"]) for event in recorded] == [3, 3]


async def test_a_restarted_import_goes_on_after_the_last_committed_batch(
    client: httpx.AsyncClient, run_jobs: RunJobs, db: asyncpg.Connection, outbox: Outbox
) -> None:
    content = "last_name,email\n" + "".join(f"N{n},n{n}@example.de\n" for n in range(5))
    answer = await upload(client, "contacts", content)
    job_id = answer.json()["id"]
    # As if a runner had committed the first two records and died.
    await db.execute(
        "UPDATE imports SET records_done = 2, created = 2 WHERE job_id = $1", uuid.UUID(job_id)
    )
    await run_jobs()
    job = (await client.get(f"/api/v1/imports/{job_id}")).json()
    assert (job["records"], job["created"]) == (5, 5)
    created = await outbox("treue.contact.created.v1")
    assert [event["email"] for event in created] == [f"n{n}@example.de" for n in (2, 3, 4)]
    chunks = await db.fetchval(
        "SELECT count(*) FROM import_chunks WHERE job_id = $1", uuid.UUID(job_id)
    )
    assert chunks == 0


async def test_imported_custom_fields_are_checked_and_add_to_the_contact_s(
    client: httpx.AsyncClient, run_jobs: RunJobs, new_contact: Factory, new_custom_field: Factory
) -> None:
    await new_custom_field("branche", type="select", options=["Metall"])
    await new_custom_field("mitarbeiter", type="number")
    existing = await new_contact(email="m@example.de", custom_fields={"mitarbeiter": 5})
    rows = [
        {"email": "m@example.de", "custom_fields": {"branche": "Metall"}},
        {"last_name": "Neu", "custom_fields": {"branche": "Bergbau"}},
        {"last_name": "Neu", "custom_fields": {"farbe": "rot"}},
    ]
    content = "".join(json.dumps(row) + "\n" for row in rows)
    job = await imported(client, run_jobs, "contacts", content, "contacts.ndjson")
    assert (job["updated"], job["failed"]) == (1, 2)
    assert [(e["row"], e["field"]) for e in await errors_of(client, job)] == [
        (2, "custom_fields.branche"),
        (3, "custom_fields.farbe"),
    ]
    contact = (await client.get(f"/api/v1/contacts/{existing['id']}")).json()
    assert contact["custom_fields"] == {"mitarbeiter": 5, "branche": "Metall"}


async def test_a_new_contact_s_row_with_several_faults_names_the_owner_then_custom_fields_first(
    client: httpx.AsyncClient, run_jobs: RunJobs, new_custom_field: Factory
) -> None:
    # The new contact is made ahead in the reading thread, its custom fields in the
    # batch's transaction: the report names the same fault as checking them in one go.
    await new_custom_field("branche", type="select", options=["Metall"])
    agent_id, colleague_id = str(uuid.uuid4()), str(uuid.uuid4())
    agent = identity_headers(Identity(subject=agent_id, kind="user", role="agent"))
    churned = {"lifecycle_stage": "churned"}
    rows = [
        {"last_name": "A", "owner_id": colleague_id, "custom_fields": {"farbe": "rot"}, **churned},
        {"last_name": "B", "owner_id": agent_id, "custom_fields": {"farbe": "rot"}, **churned},
        {"last_name": "C", "owner_id": agent_id, "custom_fields": {"branche": "Metall"}, **churned},
        {"last_name": "D", "owner_id": agent_id, "custom_fields": {"branche": "Metall"}},
    ]
    content = "".join(json.dumps(row) + "\n" for row in rows)

    job = await imported(client, run_jobs, "contacts", content, "contacts.ndjson", headers=agent)

    assert [(e["row"], e["field"]) for e in await errors_of(client, job)] == [
        (1, "owner_id"),
        (2, "custom_fields.farbe"),
        (3, "lifecycle_stage"),
    ]
    assert (job["created"], job["failed"]) == (1, 3)
    listed = (await client.get("/api/v1/contacts", params={"limit": 10})).json()["items"]
    assert [(c["last_name"], c["owner_id"], c["custom_fields"]) for c in listed] == [
        ("D", agent_id, {"branche": "Metall"})
    ]


async def test_a_new_contact_may_take_the_e_mail_an_updated_one_gave_up_in_the_same_file(
    client: httpx.AsyncClient, run_jobs: RunJobs, new_contact: Factory
) -> None:
    moving = await new_contact(email="info@example.de", external_id="crm-1")
    content = (
        "first_name,last_name,email,external_id\n"
        "Anna,Alt,anna@example.de,crm-1\n"
        "Info,Team,info@example.de,crm-2\n"
    )
    job = await imported(client, run_jobs, "contacts", content)
    assert (job["status"], job["updated"], job["created"], job["failed"]) == (
        "succeeded",
        1,
        1,
        0,
    )
    assert (await client.get(f"/api/v1/contacts/{moving['id']}")).json()["email"] == (
        "anna@example.de"
    )


REPEATS_CSV = (
    "first_name,last_name,email,external_id,company,acquisition_cost\n"
    "Anna,Alt,anna@example.de,crm-1,,10\n"
    "Bernd,Berg,bernd@example.de,,,\n"
    "Anna,,ANNA@Example.de,,Neu GmbH,\n"
    ",Alt-Neu,,crm-1,,\n"
    "Carla,Cramer,,crm-3,,\n"
    "Bernd,Berg,bernd@example.de,,,\n"
)


@pytest.mark.parametrize("size", [1000, 2])
async def test_repeats_within_one_file_update_the_contact_the_first_row_created(
    client: httpx.AsyncClient,
    run_jobs: RunJobs,
    outbox: Outbox,
    batch_size: Callable[[int], None],
    size: int,
) -> None:
    batch_size(size)
    job = await imported(client, run_jobs, "contacts", REPEATS_CSV)
    assert (job["created"], job["updated"], job["skipped"], job["failed"]) == (3, 2, 1, 0)
    listed = (await client.get("/api/v1/contacts", params={"limit": 10})).json()["items"]
    by_last_name = {contact["last_name"]: contact for contact in listed}
    assert set(by_last_name) == {"Alt-Neu", "Berg", "Cramer"}
    anna = by_last_name["Alt-Neu"]
    assert (anna["email"], anna["external_id"], anna["company"]) == (
        "anna@example.de",
        "crm-1",
        "Neu GmbH",
    )
    created = await outbox("treue.contact.created.v1")
    assert [event["_subject"] for event in created] == [
        anna["id"],
        by_last_name["Berg"]["id"],
        by_last_name["Cramer"]["id"],
    ]
    updated = await outbox("treue.contact.updated.v1")
    assert [(event["_subject"], event["changed_fields"]) for event in updated] == [
        (anna["id"], ["company"]),
        (anna["id"], ["last_name"]),
    ]
    assert [event["version"] for event in updated] == [2, 3]


async def test_rows_naming_existing_contacts_update_them_and_new_ones_emit_their_state(
    client: httpx.AsyncClient, run_jobs: RunJobs, new_contact: Factory, outbox: Outbox
) -> None:
    by_email = await new_contact(email="old@example.de", last_name="Alt")
    by_external_id = await new_contact(external_id="crm-7", last_name="Sieben")
    content = (
        "first_name,last_name,email,external_id,company,tags,acquisition_cost,language\n"
        "Olga,Neu,OLD@example.de,,,,,\n"
        "Sven,,,crm-7,Sieben KG,,,\n"
        "Nora,Nagel,nora@example.de,crm-8,Nagel & Co,VIP;b2b;vip,99.5,en\n"
    )
    job = await imported(client, run_jobs, "contacts", content)
    assert (job["created"], job["updated"], job["failed"]) == (1, 2, 0)
    first = (await client.get(f"/api/v1/contacts/{by_email['id']}")).json()
    assert (first["first_name"], first["last_name"], first["email"]) == (
        "Olga",
        "Neu",
        "old@example.de",
    )
    second = (await client.get(f"/api/v1/contacts/{by_external_id['id']}")).json()
    assert (second["first_name"], second["company"]) == ("Sven", "Sieben KG")
    # The existing contacts emitted created once (through the API) and now updated.
    updated = await outbox("treue.contact.updated.v1")
    assert {event["_subject"] for event in updated} == {by_email["id"], by_external_id["id"]}
    created = await outbox("treue.contact.created.v1")
    assert len(created) == 3
    event = created[-1]
    nora = (await client.get("/api/v1/contacts", params={"q": "nora@example.de"})).json()["items"][
        0
    ]
    assert event["_subject"] == nora["id"]
    contract = ContactCreatedV1.model_validate(event)
    assert contract.model_dump(mode="json", exclude={"created_at"}) == {
        "contact_id": nora["id"],
        "version": 1,
        "first_name": "Nora",
        "last_name": "Nagel",
        "email": "nora@example.de",
        "company": "Nagel & Co",
        "language": "en",
        "lifecycle_stage": "lead",
        "tags": ["vip", "b2b"],
        "acquisition_channel": None,
        "acquisition_cost": "99.50",
    }
    assert contract.created_at == datetime.fromisoformat(nora["created_at"])


async def test_a_contact_named_in_two_batches_by_e_mail_then_external_id_changes_in_order(
    client: httpx.AsyncClient,
    run_jobs: RunJobs,
    new_contact: Factory,
    db: asyncpg.Connection,
    outbox: Outbox,
    batch_size: Callable[[int], None],
) -> None:
    # The two batches name no common key, so they are written at the same time; the second
    # waits for the first's lock on the contact and finds it as the first left it.
    batch_size(1)
    named = [await new_contact(email=f"c{n}@example.de", external_id=f"crm-{n}") for n in range(8)]
    content = "last_name,email,external_id\n" + "".join(
        f"First{n},C{n}@EXAMPLE.DE,\nSecond{n},,crm-{n}\n" for n in range(8)
    )
    job = await imported(client, run_jobs, "contacts", content)

    assert (job["records"], job["created"], job["updated"], job["failed"]) == (16, 0, 16, 0)
    rows = await db.fetch("SELECT id, last_name, version FROM contacts ORDER BY email")
    assert [(str(row["id"]), row["last_name"], row["version"]) for row in rows] == [
        (contact["id"], f"Second{n}", 3) for n, contact in enumerate(named)
    ]
    updated = await outbox("treue.contact.updated.v1")
    by_contact: dict[str, list[int]] = {}
    for event in updated:
        by_contact.setdefault(event["_subject"], []).append(event["version"])
    assert by_contact == {contact["id"]: [2, 3] for contact in named}


async def test_rows_repeating_an_e_mail_or_external_id_in_later_batches_make_one_contact(
    client: httpx.AsyncClient,
    run_jobs: RunJobs,
    db: asyncpg.Connection,
    outbox: Outbox,
    batch_size: Callable[[int], None],
) -> None:
    # Batches that name a common key (the e-mail in any case) are written one after the other;
    # outside ASCII Postgres says which e-mails are one.
    batch_size(2)
    anna = ("anna.müller@Example.de", "ANNA.MÜLLER@example.DE")
    content = "first_name,last_name,email,external_id\n" + "".join(
        f"Anna{n},Alt,{anna[n % 2]},\nOther{n},Dritt,other{n}@example.de,\nBernd{n},Berg,,crm-b\n"
        for n in range(6)
    )
    job = await imported(client, run_jobs, "contacts", content)

    assert (job["records"], job["created"], job["updated"], job["failed"]) == (18, 8, 10, 0)
    count = await db.fetchval(
        "SELECT count(*) FROM contacts WHERE lower(email) = 'anna.müller@example.de'"
    )
    assert count == 1
    rows = await db.fetch(
        "SELECT first_name, version FROM contacts WHERE last_name IN ('Alt', 'Berg') ORDER BY 1"
    )
    assert [(row["first_name"], row["version"]) for row in rows] == [("Anna5", 6), ("Bernd5", 6)]
    created = await outbox("treue.contact.created.v1")
    assert len(created) == 8
    updated = await outbox("treue.contact.updated.v1")
    assert len(updated) == 10


async def test_many_batches_in_flight_import_every_row_once_and_report_every_bad_one(
    client: httpx.AsyncClient,
    run_jobs: RunJobs,
    db: asyncpg.Connection,
    batch_size: Callable[[int], None],
) -> None:
    batch_size(3)
    lines = [
        f"N{n},{'not-an-email' if n % 7 == 0 else f'n{n}@example.de'},crm-{n},"
        f"{'-1' if n % 11 == 0 else '5.00'}\n"
        for n in range(1, 61)
    ]
    job = await imported(
        client,
        run_jobs,
        "contacts",
        "last_name,email,external_id,acquisition_cost\n" + "".join(lines),
    )

    bad = sorted({n for n in range(1, 61) if n % 7 == 0 or n % 11 == 0})
    assert job["status"] == "succeeded"
    assert job["progress"] == 1
    assert (job["records"], job["created"], job["failed"]) == (60, 60 - len(bad), len(bad))
    assert [error["row"] for error in await errors_of(client, job)] == [n + 1 for n in bad]
    names = await db.fetch("SELECT last_name FROM contacts")
    assert sorted(int(row["last_name"][1:]) for row in names) == [
        n for n in range(1, 61) if n not in bad
    ]
    created = await db.fetch(
        "SELECT data->>'last_name' AS last_name FROM outbox WHERE event_type = $1",
        "treue.contact.created.v1",
    )
    assert sorted(row["last_name"] for row in created) == sorted(row["last_name"] for row in names)
    done = await db.fetchval(
        "SELECT records_done FROM imports WHERE job_id = $1", uuid.UUID(job["id"])
    )
    assert done == 60


def test_a_batch_s_e_mails_are_its_keys_in_lower_case_as_postgres_lowers_them() -> None:
    # Python lowers `İ` to two characters, Postgres (the unique index) to `i`: a batch's keys
    # must be Postgres' so that batches sharing a contact never overlap.
    records: list[Record | RowError] = [
        Record(2, {"last_name": "A", "email": "Anna@Example.de", "external_id": "crm-1"}),
        Record(3, {"last_name": "B", "email": "İNCE@example.de"}),
        Record(4, {"last_name": "C", "email": "MÜLLER@example.de"}),
    ]
    batch = _Batch.of(ImportKind.CONTACTS, records, 1.0, Identity(subject="u", kind="user"), 3)

    assert batch.keys == {
        ("email", "anna@example.de"),
        ("external_id", "crm-1"),
        ("email", "ince@example.de"),
        ("email", "müller@example.de"),
    }


async def test_an_e_mail_with_a_dotted_capital_i_finds_the_contact_postgres_says_it_is(
    client: httpx.AsyncClient, run_jobs: RunJobs, db: asyncpg.Connection
) -> None:
    # Python lowers `İ` to `i` plus a combining dot, Postgres' lower() (the unique index) to
    # `i`: the import must take the row for the existing contact, not insert a second one.
    existing = await client.post(
        "/api/v1/contacts",
        json={"first_name": "I", "last_name": "Ince", "email": "ince@example.com.tr"},
    )
    assert existing.status_code == 201, existing.text
    content = "first_name,last_name,email\nİpek,Ince,İNCE@example.com.tr\n"

    job = await imported(client, run_jobs, "contacts", content)

    assert (job["created"], job["updated"], job["failed"]) == (0, 1, 0), job
    rows = await db.fetch("SELECT id, first_name FROM contacts WHERE last_name = 'Ince'")
    assert [(str(row["id"]), row["first_name"]) for row in rows] == [
        (existing.json()["id"], "İpek")
    ]


async def test_the_import_lowers_e_mails_as_postgres_does(db: asyncpg.Connection) -> None:
    samples = ["Anna@Example.DE", "MÜLLER@example.de", "İNCE@example.com.tr", "ΟΔΟΣ@example.gr"]
    lowered = await db.fetch("SELECT lower(e) AS lowered FROM unnest($1::text[]) AS e", samples)
    assert [email_key(sample) for sample in samples] == [row["lowered"] for row in lowered]
