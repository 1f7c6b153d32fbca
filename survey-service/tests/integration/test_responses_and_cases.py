"""Responses from other systems and working on feedback cases."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from typing import Any

import asyncpg
import httpx

from treue.identity import Identity
from treue.testing import identity_headers

Json = dict[str, Any]
Factory = Callable[..., Awaitable[Json]]
Outbox = Callable[[str], Awaitable[list[Json]]]


async def test_a_repeated_external_id_returns_the_first_response(
    client: httpx.AsyncClient, new_survey: Factory, new_contact: Factory, outbox: Outbox
) -> None:
    survey, contact = await new_survey(), await new_contact()
    url = f"/api/v1/surveys/{survey['id']}/responses"
    body = {
        "contact_id": contact["contact_id"],
        "score": 9,
        "comment": "Top",
        "responded_at": "2026-03-02T10:00:00+01:00",
        "external_id": "SHOP-NPS-1",
    }

    first = await client.post(url, json=body)
    again = await client.post(url, json=body | {"score": 2})

    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json() == first.json()
    assert first.json()["responded_at"] == "2026-03-02T09:00:00Z"
    assert (first.json()["category"], first.json()["channel"]) == ("promoter", "api")
    assert len(await outbox("treue.nps.response_recorded.v1")) == 1


async def test_bad_responses_name_the_field(
    client: httpx.AsyncClient, new_survey: Factory, new_contact: Factory, db: asyncpg.Connection
) -> None:
    survey, contact = await new_survey(), await new_contact()
    url = f"/api/v1/surveys/{survey['id']}/responses"

    stranger = await client.post(url, json={"contact_id": str(uuid.uuid4()), "score": 5})
    future = await client.post(
        url,
        json={
            "contact_id": contact["contact_id"],
            "score": 5,
            "responded_at": "2999-01-01T00:00:00Z",
        },
    )
    naive = await client.post(
        url,
        json={"contact_id": contact["contact_id"], "score": 5, "responded_at": "2026-01-01T00:00"},
    )
    no_survey = await client.post(
        f"/api/v1/surveys/{uuid.uuid4()}/responses",
        json={"contact_id": contact["contact_id"], "score": 5},
    )

    assert [a.json()["errors"][0]["field"] for a in (stranger, future, naive)] == [
        "contact_id",
        "responded_at",
        "responded_at",
    ]
    assert no_survey.status_code == 404
    assert await db.fetchval("SELECT count(*) FROM responses") == 0


async def test_responses_list_newest_first_by_cursor(
    client: httpx.AsyncClient, new_survey: Factory, new_contact: Factory
) -> None:
    survey, contact = await new_survey(), await new_contact()
    for day in range(1, 6):
        await client.post(
            f"/api/v1/surveys/{survey['id']}/responses",
            json={
                "contact_id": contact["contact_id"],
                "score": day,
                "responded_at": f"2026-05-0{day}T12:00:00Z",
            },
        )

    scores: list[int] = []
    cursor = None
    while True:
        params = {"limit": "2"} | ({"cursor": cursor} if cursor else {})
        answer = await client.get(f"/api/v1/surveys/{survey['id']}/responses", params=params)
        scores += [item["score"] for item in answer.json()["items"]]
        cursor = answer.json()["next_cursor"]
        if cursor is None:
            break

    assert scores == [5, 4, 3, 2, 1]


async def detractor_case(client: httpx.AsyncClient, survey: Json, contact: Json) -> Json:
    await client.post(
        f"/api/v1/surveys/{survey['id']}/responses",
        json={
            "contact_id": contact["contact_id"],
            "score": 1,
            "comment": "Die Lieferung kam zu spät.",
            "responded_at": "2026-05-04T08:00:00Z",
        },
    )
    items = (await client.get("/api/v1/feedback-cases")).json()["items"]
    case: Json = items[0]
    return case


async def test_a_case_is_due_48_hours_after_the_answer_and_is_worked_to_resolution(
    client: httpx.AsyncClient, new_survey: Factory, new_contact: Factory
) -> None:
    case = await detractor_case(client, await new_survey(), await new_contact())
    url = f"/api/v1/feedback-cases/{case['id']}"
    owner = str(uuid.uuid4())

    skipped = await client.patch(url, json={"status": "resolved", "resolution_note": "x"})
    taken = await client.patch(url, json={"status": "in_progress", "owner_id": owner})
    no_note = await client.patch(url, json={"status": "resolved"})
    resolved = await client.patch(
        url, json={"status": "resolved", "resolution_note": "Angerufen; Ersatzteil verschickt"}
    )

    assert case["due_at"] == "2026-05-06T08:00:00Z"
    answer = (case["score"], case["comment"], case["survey_name"])
    assert answer == (
        1,
        "Die Lieferung kam zu spät.",
        (await client.get(f"/api/v1/surveys/{case['survey_id']}")).json()["name"],
    )
    assert (taken.json()["score"], resolved.json()["comment"]) == (1, answer[1])
    assert skipped.status_code == 409
    assert skipped.json()["errors"][0]["field"] == "status"
    assert (taken.status_code, taken.json()["owner_id"]) == (200, owner)
    assert no_note.status_code == 422
    assert no_note.json()["errors"][0]["field"] == "resolution_note"
    assert resolved.status_code == 200
    assert resolved.json()["status"] == "resolved"
    assert resolved.json()["resolved_at"] is not None
    assert (await client.get(url)).json() == resolved.json()


async def test_cases_filter_by_status_owner_and_overdue(
    client: httpx.AsyncClient, new_survey: Factory, new_contact: Factory
) -> None:
    survey = await new_survey()
    first = await detractor_case(client, survey, await new_contact())
    await detractor_case(client, survey, await new_contact())
    owner = str(uuid.uuid4())
    await client.patch(
        f"/api/v1/feedback-cases/{first['id']}", json={"status": "in_progress", "owner_id": owner}
    )

    def ids(answer: httpx.Response) -> list[str]:
        return [item["id"] for item in answer.json()["items"]]

    in_progress = await client.get("/api/v1/feedback-cases", params={"status": "in_progress"})
    owned = await client.get("/api/v1/feedback-cases", params={"owner_id": owner})
    unowned = await client.get("/api/v1/feedback-cases", params={"unowned": "true"})
    both = await client.get("/api/v1/feedback-cases", params={"unowned": "true", "owner_id": owner})
    overdue = await client.get("/api/v1/feedback-cases", params={"overdue": "true"})
    bad = await client.get("/api/v1/feedback-cases", params={"status": "closed"})

    assert ids(in_progress) == ids(owned) == [first["id"]]
    assert first["id"] not in ids(unowned)
    assert len(ids(unowned)) == 1
    assert (both.status_code, both.json()["errors"][0]["field"]) == (422, "unowned")
    assert len(ids(overdue)) == 2
    assert bad.status_code == 422
    assert (await client.get(f"/api/v1/feedback-cases/{uuid.uuid4()}")).status_code == 404


async def test_an_agent_takes_an_unowned_case_but_assigns_no_one_else(
    client: httpx.AsyncClient, new_survey: Factory, new_contact: Factory
) -> None:
    """Object-level authorization (issue #4): agents take unowned cases for themselves;
    managers and admins assign anyone."""
    agent_id, colleague_id = str(uuid.uuid4()), str(uuid.uuid4())
    agent = identity_headers(Identity(subject=agent_id, kind="user", role="agent"))
    manager = identity_headers(Identity(subject=str(uuid.uuid4()), kind="user", role="manager"))
    case = await detractor_case(client, await new_survey(), await new_contact())
    url = f"/api/v1/feedback-cases/{case['id']}"

    to_colleague = await client.patch(url, json={"owner_id": colleague_id}, headers=agent)
    taken = await client.patch(url, json={"owner_id": agent_id}, headers=agent)
    reassigned = await client.patch(url, json={"owner_id": colleague_id}, headers=manager)
    taken_back = await client.patch(url, json={"owner_id": agent_id}, headers=agent)

    assert (to_colleague.status_code, to_colleague.json()["errors"][0]["field"]) == (
        403,
        "owner_id",
    )
    assert (taken.status_code, taken.json()["owner_id"]) == (200, agent_id)
    assert (reassigned.status_code, reassigned.json()["owner_id"]) == (200, colleague_id)
    assert (taken_back.status_code, taken_back.json()["errors"][0]["field"]) == (403, "owner_id")
    assert (await client.get(url)).json()["owner_id"] == colleague_id


async def test_cases_sort_by_due_date_across_pages(
    client: httpx.AsyncClient, new_survey: Factory, new_contact: Factory
) -> None:
    """The worklist order: the most overdue case first, whatever order the answers came in."""
    survey = await new_survey()
    for day in ("2026-05-04", "2026-03-01", "2026-04-02"):
        await client.post(
            f"/api/v1/surveys/{survey['id']}/responses",
            json={
                "contact_id": (await new_contact())["contact_id"],
                "score": 2,
                "responded_at": f"{day}T08:00:00Z",
            },
        )

    due: list[str] = []
    cursor = None
    while True:
        params = {"sort": "due_at", "limit": "2"} | ({"cursor": cursor} if cursor else {})
        answer = await client.get("/api/v1/feedback-cases", params=params)
        due += [item["due_at"] for item in answer.json()["items"]]
        cursor = answer.json()["next_cursor"]
        if cursor is None:
            break
    newest = (await client.get("/api/v1/feedback-cases")).json()["items"]
    bad = await client.get("/api/v1/feedback-cases", params={"sort": "due"})

    assert due == ["2026-03-03T08:00:00Z", "2026-04-04T08:00:00Z", "2026-05-06T08:00:00Z"]
    assert newest[0]["due_at"] == "2026-04-04T08:00:00Z"
    assert (bad.status_code, bad.json()["errors"][0]["field"]) == (422, "sort")


async def test_every_version_of_a_case_is_announced(
    client: httpx.AsyncClient, new_survey: Factory, new_contact: Factory, outbox: Outbox
) -> None:
    """analytics counts the open and overdue cases from these (the dashboard's open work)."""
    case = await detractor_case(client, await new_survey(), await new_contact())
    url = f"/api/v1/feedback-cases/{case['id']}"
    await client.patch(url, json={"status": "in_progress"})
    refused = await client.patch(url, json={"status": "resolved"})
    await client.patch(url, json={"status": "resolved", "resolution_note": "Zurückgerufen"})

    versions = await outbox("treue.feedback_case.updated.v1")

    assert refused.status_code == 422
    assert [v["status"] for v in versions] == ["open", "in_progress", "resolved"]
    assert {v["feedback_case_id"] for v in versions} == {case["id"]}
    assert versions[0]["opened_at"] == versions[-1]["opened_at"]
    assert versions[0]["due_at"] == "2026-05-06T08:00:00Z"
    assert versions[0]["resolved_at"] is None
    assert versions[-1]["resolved_at"] is not None
