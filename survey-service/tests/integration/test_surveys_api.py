"""Surveys and invitations against a real Postgres, and the contact copy they rely on."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any

import asyncpg
import httpx
import pytest

from treue.events.contracts import ContactStateV1, ContactUpdatedV1

Json = dict[str, Any]
Factory = Callable[..., Awaitable[Json]]


async def test_a_survey_asks_the_standard_question_unless_told_otherwise(
    client: httpx.AsyncClient, new_survey: Factory
) -> None:
    survey = await new_survey()

    fetched = await client.get(f"/api/v1/surveys/{survey['id']}")

    assert fetched.json() == survey
    assert survey["question"]["de"].startswith("Wie wahrscheinlich")
    assert survey["question"]["en"].startswith("How likely")
    assert (survey["quiet_period_days"], survey["active"]) == (90, True)


async def test_patch_changes_what_was_sent_and_lists_page_oldest_first(
    client: httpx.AsyncClient, new_survey: Factory
) -> None:
    first = await new_survey(name="Erste")
    await new_survey(name="Zweite")
    await new_survey(name="Dritte")

    changed = await client.patch(
        f"/api/v1/surveys/{first['id']}",
        json={"follow_up_question": {"de": "Warum?", "en": "Why?"}, "quiet_period_days": 30},
    )
    names: list[str] = []
    cursor = None
    while True:
        params = {"limit": "2"} | ({"cursor": cursor} if cursor else {})
        page = (await client.get("/api/v1/surveys", params=params)).json()
        names += [item["name"] for item in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break

    assert changed.status_code == 200
    assert changed.json()["follow_up_question"] == {"de": "Warum?", "en": "Why?"}
    assert changed.json()["question"] == first["question"]
    assert names == ["Erste", "Zweite", "Dritte"]


async def test_the_list_shows_each_surveys_answers_and_nps(
    client: httpx.AsyncClient, new_survey: Factory, new_contact: Factory
) -> None:
    asked, quiet = await new_survey(name="Gefragt"), await new_survey(name="Still")
    for score, day in ((10, "2026-03-01"), (9, "2026-03-02"), (3, "2026-04-07")):
        contact = await new_contact()
        answer = await client.post(
            f"/api/v1/surveys/{asked['id']}/responses",
            json={
                "contact_id": contact["contact_id"],
                "score": score,
                "responded_at": f"{day}T10:00:00Z",
            },
        )
        assert answer.status_code == 201

    items = {item["name"]: item for item in (await client.get("/api/v1/surveys")).json()["items"]}

    assert (items["Gefragt"]["responses"], items["Gefragt"]["last_response_on"]) == (
        3,
        "2026-04-07",
    )
    assert items["Gefragt"]["nps"] == pytest.approx(100 / 3)
    assert (items["Still"]["responses"], items["Still"]["nps"]) == (0, None)
    assert items["Still"]["last_response_on"] is None
    assert items["Still"]["id"] == quiet["id"]


async def test_bad_surveys_name_the_field(client: httpx.AsyncClient, new_survey: Factory) -> None:
    survey = await new_survey()

    created = await client.post(
        "/api/v1/surveys", json={"name": "", "question": {"de": "Frage"}, "quiet_period_days": -1}
    )
    nulled = await client.patch(f"/api/v1/surveys/{survey['id']}", json={"active": None})
    missing = await client.get(f"/api/v1/surveys/{uuid.uuid4()}")

    assert created.status_code == 422
    assert {e["field"] for e in created.json()["errors"]} == {
        "name",
        "question.en",
        "quiet_period_days",
    }
    assert nulled.json()["errors"][0]["field"] == "active"
    assert missing.status_code == 404


async def test_invitations_carry_an_unguessable_token_and_the_answer_url(
    client: httpx.AsyncClient, new_survey: Factory, new_contact: Factory
) -> None:
    survey = await new_survey()
    jana, tom = await new_contact(), await new_contact(language="en")

    answer = await client.post(
        f"/api/v1/surveys/{survey['id']}/invitations",
        json={"contact_ids": [jana["contact_id"], tom["contact_id"], jana["contact_id"]]},
    )

    assert answer.status_code == 201
    items = answer.json()["items"]
    assert [item["contact_id"] for item in items] == [jana["contact_id"], tom["contact_id"]]
    assert all(len(item["token"]) >= 43 for item in items)
    assert items[0]["token"] != items[1]["token"]
    assert items[0]["url"] == f"https://treue.example/s/{items[0]['token']}"
    assert answer.json()["skipped"] == []


async def test_an_unknown_contact_is_named_and_nobody_is_invited(
    client: httpx.AsyncClient, new_survey: Factory, new_contact: Factory, db: asyncpg.Connection
) -> None:
    survey = await new_survey()
    jana = await new_contact()

    answer = await client.post(
        f"/api/v1/surveys/{survey['id']}/invitations",
        json={"contact_ids": [jana["contact_id"], str(uuid.uuid4())], "channel": "link"},
    )

    assert answer.status_code == 422
    assert [e["field"] for e in answer.json()["errors"]] == ["contact_ids[1]"]
    assert await db.fetchval("SELECT count(*) FROM invitations") == 0


async def test_contacts_in_their_quiet_period_are_skipped_not_refused(
    client: httpx.AsyncClient, new_survey: Factory, new_contact: Factory
) -> None:
    first, second = await new_survey(), await new_survey(quiet_period_days=30)
    invited, answered, fresh = await new_contact(), await new_contact(), await new_contact()
    await client.post(
        f"/api/v1/surveys/{first['id']}/invitations", json={"contact_ids": [invited["contact_id"]]}
    )
    await client.post(
        f"/api/v1/surveys/{first['id']}/responses",
        json={"contact_id": answered["contact_id"], "score": 9},
    )

    answer = await client.post(
        f"/api/v1/surveys/{second['id']}/invitations",
        json={"contact_ids": [c["contact_id"] for c in (invited, answered, fresh)]},
    )

    assert answer.status_code == 201
    assert [item["contact_id"] for item in answer.json()["items"]] == [fresh["contact_id"]]
    skipped = answer.json()["skipped"]
    assert [s["contact_id"] for s in skipped] == [invited["contact_id"], answered["contact_id"]]
    assert {s["reason"] for s in skipped} == {"quiet_period"}


async def test_inactive_and_unknown_surveys_and_an_unknown_channel_invite_nobody(
    client: httpx.AsyncClient, new_survey: Factory, new_contact: Factory
) -> None:
    inactive, active = await new_survey(active=False), await new_survey()
    jana = await new_contact()
    body = {"contact_ids": [jana["contact_id"]]}

    closed = await client.post(f"/api/v1/surveys/{inactive['id']}/invitations", json=body)
    by_fax = await client.post(
        f"/api/v1/surveys/{active['id']}/invitations", json=body | {"channel": "fax"}
    )
    missing = await client.post(f"/api/v1/surveys/{uuid.uuid4()}/invitations", json=body)

    assert closed.status_code == 409
    assert by_fax.status_code == 422
    assert "channel" in by_fax.json()["errors"][0]["field"]
    assert missing.status_code == 404


async def test_the_contact_copy_follows_newer_versions_only(
    new_contact: Factory,
    deliver: Callable[[ContactStateV1], Awaitable[None]],
    db: asyncpg.Connection,
) -> None:
    jana = await new_contact()
    newer = jana | {"version": 3, "language": "en", "email": "jana@example.com"}
    older = jana | {"version": 2, "language": "de", "first_name": "Alt"}
    now = datetime.now(UTC)

    await deliver(ContactUpdatedV1(**newer, updated_at=now, changed_fields=["language"]))
    await deliver(ContactUpdatedV1(**older, updated_at=now, changed_fields=["first_name"]))

    row = await db.fetchrow("SELECT first_name, email, language, version FROM contacts")
    assert dict(row) == {
        "first_name": "Jana",
        "email": "jana@example.com",
        "language": "en",
        "version": 3,
    }
