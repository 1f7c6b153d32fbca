"""The contacts API against a real Postgres: writes, their events, errors, paging."""

from __future__ import annotations

import json
import uuid

import asyncpg
import httpx

from contacts.service_layer.unit_of_work import ContactsUnitOfWork
from treue.identity import Identity
from treue.testing import identity_headers

ANNA = {
    "first_name": "Anna",
    "last_name": "Müller",
    "email": "anna.mueller@example.de",
    "company": "Müller Werkzeugbau GmbH",
    "tags": ["VIP", " maschinenbau "],
    "lifecycle_stage": "customer",
    "acquisition_cost": "120.50",
}


async def create(client: httpx.AsyncClient, **overrides: object) -> dict[str, object]:
    answer = await client.post("/api/v1/contacts", json={**ANNA, **overrides})
    assert answer.status_code == 201, answer.text
    body: dict[str, object] = answer.json()
    return body


async def test_a_created_contact_and_its_event_are_written_together(
    client: httpx.AsyncClient, db: asyncpg.Connection
) -> None:
    contact = await create(client)

    assert contact["tags"] == ["vip", "maschinenbau"]
    assert contact["version"] == 1
    rows = await db.fetch("SELECT event_type, subject, data, sent_at FROM outbox")
    assert len(rows) == 1
    assert rows[0]["event_type"] == "treue.contact.created.v1"
    assert rows[0]["subject"] == contact["id"]
    data = json.loads(rows[0]["data"])
    assert data["email"] == "anna.mueller@example.de"
    assert data["acquisition_cost"] == "120.50"
    assert rows[0]["sent_at"] is None


async def test_the_same_email_in_another_case_is_a_conflict_and_writes_nothing(
    client: httpx.AsyncClient, db: asyncpg.Connection
) -> None:
    await create(client)

    answer = await client.post(
        "/api/v1/contacts", json={**ANNA, "email": "ANNA.Mueller@Example.de"}
    )

    assert answer.status_code == 409
    assert answer.headers["content-type"] == "application/problem+json"
    assert answer.json()["errors"][0]["field"] == "email"
    assert await db.fetchval("SELECT count(*) FROM contacts") == 1
    assert await db.fetchval("SELECT count(*) FROM outbox") == 1


async def test_a_taken_email_or_external_id_answers_the_409_that_names_it(
    client: httpx.AsyncClient, db: asyncpg.Connection
) -> None:
    await create(client, external_id="ERP-1")

    email = await client.post(
        "/api/v1/contacts", json={**ANNA, "email": "ANNA.Mueller@Example.de", "external_id": "2"}
    )
    external_id = await client.post(
        "/api/v1/contacts", json={**ANNA, "email": "anna@example.org", "external_id": "ERP-1"}
    )

    taken = {"message": "already used by another contact", "code": "already_used"}
    assert email.json() == {
        "type": "urn:treue:problem:conflict",
        "title": "Conflict",
        "status": 409,
        "detail": "a contact with the e-mail ANNA.Mueller@example.de exists already",
        "instance": "/api/v1/contacts",
        "errors": [{"field": "email", **taken}],
    }
    assert external_id.json() == {
        "type": "urn:treue:problem:conflict",
        "title": "Conflict",
        "status": 409,
        "detail": "a contact with the external id ERP-1 exists already",
        "instance": "/api/v1/contacts",
        "errors": [{"field": "external_id", **taken}],
    }
    assert await db.fetchval("SELECT count(*) FROM contacts") == 1
    assert await db.fetchval("SELECT count(*) FROM outbox") == 1


async def test_bad_input_names_every_field(client: httpx.AsyncClient) -> None:
    answer = await client.post(
        "/api/v1/contacts",
        json={"first_name": 7, "email": "no-at-sign", "language": "fr", "acquisition_cost": -1},
    )

    assert answer.status_code == 422
    fields = {error["field"] for error in answer.json()["errors"]}
    assert fields == {"first_name", "last_name", "email", "language", "acquisition_cost"}


async def test_malformed_json_is_a_400(client: httpx.AsyncClient) -> None:
    answer = await client.post(
        "/api/v1/contacts", content=b'{"first_name": ', headers={"content-type": "application/json"}
    )

    assert answer.status_code == 400
    assert answer.json()["errors"][0]["field"] == "body"


async def test_requests_without_a_valid_gateway_identity_are_refused(
    client: httpx.AsyncClient,
) -> None:
    missing = await client.get("/api/v1/contacts", headers={"x-treue-identity": ""})
    forged = await client.get(
        "/api/v1/contacts",
        headers=identity_headers(secret="not-the-secret-the-services-know-about-at-all"),
    )

    assert missing.status_code == 401
    assert forged.status_code == 401


async def test_an_api_key_without_the_write_scope_is_forbidden(client: httpx.AsyncClient) -> None:
    reader = Identity(subject="key-1", kind="api_key", scopes=["contacts:read"])

    answer = await client.post("/api/v1/contacts", json=ANNA, headers=identity_headers(reader))

    assert answer.status_code == 403


async def test_idempotency_key_returns_the_first_answer_and_refuses_another_body(
    client: httpx.AsyncClient, db: asyncpg.Connection
) -> None:
    key = {"Idempotency-Key": str(uuid.uuid4())}

    first = await client.post("/api/v1/contacts", json=ANNA, headers=key)
    again = await client.post("/api/v1/contacts", json=ANNA, headers=key)
    other = await client.post(
        "/api/v1/contacts", json={**ANNA, "email": "someone@example.de"}, headers=key
    )

    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert again.headers["idempotent-replayed"] == "true"
    assert other.status_code == 409
    assert other.json()["errors"][0]["field"] == "Idempotency-Key"
    assert await db.fetchval("SELECT count(*) FROM contacts") == 1


async def test_a_retry_after_the_answer_was_lost_does_not_write_twice(
    client: httpx.AsyncClient, db: asyncpg.Connection
) -> None:
    key = {"Idempotency-Key": str(uuid.uuid4())}
    first = await client.post("/api/v1/contacts", json=ANNA, headers=key)
    # As if the process died after the commit, before the answer was stored.
    await db.execute(
        "UPDATE idempotency_keys SET status_code = NULL, body = NULL, locked_until = NULL"
    )

    retry = await client.post("/api/v1/contacts", json=ANNA, headers=key)

    assert first.status_code == 201
    assert retry.status_code == 409
    assert retry.json()["errors"][0]["field"] == "Idempotency-Key"
    assert "answer was lost" in retry.json()["detail"]
    assert await db.fetchval("SELECT count(*) FROM contacts") == 1


async def test_a_refused_write_leaves_its_key_uncommitted(
    client: httpx.AsyncClient, db: asyncpg.Connection
) -> None:
    key = {"Idempotency-Key": str(uuid.uuid4())}
    await client.post("/api/v1/contacts", json=ANNA)

    taken = await client.post("/api/v1/contacts", json=ANNA, headers=key)

    assert taken.status_code == 409
    assert await db.fetchval("SELECT committed_at FROM idempotency_keys") is None


async def test_patch_changes_only_what_was_sent_and_emits_an_update(
    client: httpx.AsyncClient, db: asyncpg.Connection
) -> None:
    contact = await create(client)

    answer = await client.patch(
        f"/api/v1/contacts/{contact['id']}", json={"company": "Neu AG", "phone": None}
    )

    assert answer.status_code == 200
    assert answer.json()["company"] == "Neu AG"
    assert answer.json()["first_name"] == "Anna"
    assert answer.json()["version"] == 2
    update = await db.fetchrow(
        "SELECT data FROM outbox WHERE event_type = 'treue.contact.updated.v1'"
    )
    assert json.loads(update["data"])["changed_fields"] == ["company"]


async def test_patch_refuses_null_names_and_unknown_contacts(client: httpx.AsyncClient) -> None:
    contact = await create(client)

    nulled = await client.patch(f"/api/v1/contacts/{contact['id']}", json={"last_name": None})
    missing = await client.patch(f"/api/v1/contacts/{uuid.uuid4()}", json={"company": "X"})

    assert nulled.status_code == 422
    assert nulled.json()["errors"][0]["field"] == "last_name"
    assert missing.status_code == 404


async def test_search_filters_and_cursor_pages_cover_every_contact_once(
    client: httpx.AsyncClient,
) -> None:
    for i in range(7):
        await create(
            client,
            email=f"person{i}@example.de",
            last_name=f"Schmidt{i}",
            company="Schmidt Logistik" if i % 2 else "Becker Bau",
            tags=["a"] if i < 3 else ["b"],
        )

    seen: list[str] = []
    cursor = None
    while True:
        params = {"limit": "3", "sort": "last_name"} | ({"cursor": cursor} if cursor else {})
        page = (await client.get("/api/v1/contacts", params=params)).json()
        seen += [item["last_name"] for item in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    logistics = (await client.get("/api/v1/contacts", params={"q": "anna logistik"})).json()
    tagged = (await client.get("/api/v1/contacts", params={"tag": "A"})).json()
    bad_cursor = await client.get("/api/v1/contacts", params={"cursor": "garbage"})

    assert seen == [f"Schmidt{i}" for i in range(7)]
    assert len(logistics["items"]) == 3
    assert len(tagged["items"]) == 3
    assert bad_cursor.status_code == 422
    assert bad_cursor.json()["errors"][0]["field"] == "cursor"


async def test_a_search_builds_on_its_rarest_word_and_still_needs_every_word(
    client: httpx.AsyncClient, uow: ContactsUnitOfWork
) -> None:
    for last_name in ("Kern", "Lang", "Vogt"):
        await create(
            client,
            first_name="Hannah",
            last_name=last_name,
            email=f"hannah.{last_name.lower()}@example.de",
            company=None,
        )
    ziulfa = await create(
        client, first_name="Hannah", last_name="Ziulfa", email="hz@example.de", company=None
    )

    # Both words are six letters long: which comes first must not decide.
    async with uow:
        assert await uow.contacts.rarest_word(["hannah", "ziulfa"]) == "ziulfa"
        assert await uow.contacts.rarest_word(["ziulfa", "hannah"]) == "ziulfa"
        assert await uow.contacts.rarest_word(["hannah", "kern"]) == "kern"
    for q in ("Hannah Ziulfa", "ziulfa hannah"):
        answer = await client.get("/api/v1/contacts", params={"q": q})
        assert [item["id"] for item in answer.json()["items"]] == [ziulfa["id"]], q
    answer = await client.get("/api/v1/contacts", params={"q": "hannah hannah"})
    assert len(answer.json()["items"]) == 4


async def test_search_words_match_prefixes_and_long_words_also_inside_names(
    client: httpx.AsyncClient,
) -> None:
    schmidt = await create(
        client,
        first_name="Jörg",
        last_name="Schmidt",
        email="j.schmidt@example.de",
        company="Schmidt Logistik",
    )
    percent = await create(
        client, first_name="Ute", last_name="Pro_zent", email="ute@example.de", company=None
    )

    async def found(q: str) -> list[object]:
        answer = await client.get("/api/v1/contacts", params={"q": q})
        assert answer.status_code == 200
        return [item["id"] for item in answer.json()["items"]]

    for q in ("schm", "SCHM", "jö", "j.sch", "schmidt logis", "jörg schmidt", "logistik"):
        assert await found(q) == [schmidt["id"]], q
    # A short word only as a prefix; a long one inside a last name or company, not inside
    # a first name or e-mail.
    assert await found("midt") == []
    assert await found("chmidt") == [schmidt["id"]]
    assert await found("example") == []
    # LIKE's wildcards are plain characters.
    assert await found("%") == []
    assert await found("pro_") == [percent["id"]]
    assert await found("pr%") == []
