"""The public answer page behind the token: no identity, one response per token, editable
for 24 h, and the closed loop it starts."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import asyncpg
import httpx
import pytest

Json = dict[str, Any]
Factory = Callable[..., Awaitable[Json]]
Invite = Callable[[Json, Json], Awaitable[Json]]
Outbox = Callable[[str], Awaitable[list[Json]]]


def page(token: str) -> str:
    return f"/api/v1/public/invitations/{token}"


async def test_the_page_asks_in_the_contacts_language_without_an_identity(
    public: httpx.AsyncClient, new_survey: Factory, new_contact: Factory, invite: Invite
) -> None:
    survey = await new_survey()
    german = await invite(survey, await new_contact(language="de"))
    english = await invite(survey, await new_contact(language="en"))

    in_german = await public.get(page(german["token"]))
    in_english = await public.get(page(english["token"]))

    assert in_german.status_code == 200
    assert in_german.json()["language"] == "de"
    assert in_german.json()["question"] == survey["question"]["de"]
    assert in_german.json()["follow_up_question"] == survey["follow_up_question"]["de"]
    assert in_german.json()["response"] is None
    assert in_english.json()["question"] == survey["question"]["en"]


async def test_unknown_tokens_are_not_found(public: httpx.AsyncClient) -> None:
    token = "x" * 43

    shown = await public.get(page(token))
    answered = await public.post(page(token) + "/response", json={"score": 9})

    assert shown.status_code == answered.status_code == 404
    assert shown.headers["content-type"] == "application/problem+json"


@pytest.mark.parametrize("score", [11, -1, 7.5, "seven", True, None])
async def test_only_whole_scores_from_0_to_10_are_taken(
    public: httpx.AsyncClient,
    new_survey: Factory,
    new_contact: Factory,
    invite: Invite,
    db: asyncpg.Connection,
    score: object,
) -> None:
    invitation = await invite(await new_survey(), await new_contact())

    answer = await public.post(page(invitation["token"]) + "/response", json={"score": score})

    assert answer.status_code == 422
    assert [e["field"] for e in answer.json()["errors"]] == ["score"]
    assert await db.fetchval("SELECT count(*) FROM responses") == 0


async def test_a_second_answer_within_24_hours_changes_the_first(
    public: httpx.AsyncClient,
    new_survey: Factory,
    new_contact: Factory,
    invite: Invite,
    outbox: Outbox,
) -> None:
    contact = await new_contact()
    invitation = await invite(await new_survey(), contact)
    url = page(invitation["token"]) + "/response"

    first = await public.post(url, json={"score": 8, "comment": "Gut"})
    second = await public.post(url, json={"score": 10, "comment": "Sehr gut"})
    shown = (await public.get(page(invitation["token"]))).json()

    assert (first.status_code, second.status_code) == (201, 200)
    assert shown["response"]["score"] == 10
    assert shown["response"]["comment"] == "Sehr gut"
    recorded = await outbox("treue.nps.response_recorded.v1")
    assert [(e["score"], e["category"], e["revision"]) for e in recorded] == [
        (8, "passive", 1),
        (10, "promoter", 2),
    ]
    assert {e["_subject"] for e in recorded} == {contact["contact_id"]}
    [promoter] = await outbox("treue.nps.promoter.v1")
    assert promoter["score"] == 10


async def test_after_24_hours_the_answer_is_final(
    public: httpx.AsyncClient,
    new_survey: Factory,
    new_contact: Factory,
    invite: Invite,
    db: asyncpg.Connection,
) -> None:
    invitation = await invite(await new_survey(), await new_contact())
    url = page(invitation["token"]) + "/response"
    await public.post(url, json={"score": 8})
    await db.execute("UPDATE responses SET created_at = created_at - interval '25 hours'")

    late = await public.post(url, json={"score": 2})

    assert late.status_code == 409
    assert await db.fetchval("SELECT score FROM responses") == 8


async def test_an_expired_link_is_gone(
    public: httpx.AsyncClient,
    new_survey: Factory,
    new_contact: Factory,
    invite: Invite,
    db: asyncpg.Connection,
) -> None:
    invitation = await invite(await new_survey(), await new_contact())
    await db.execute("UPDATE invitations SET expires_at = now() - interval '1 second'")

    shown = await public.get(page(invitation["token"]))
    answered = await public.post(page(invitation["token"]) + "/response", json={"score": 9})

    assert shown.status_code == answered.status_code == 410


async def test_a_detractor_opens_a_case_and_announces_it_in_the_same_transaction(
    public: httpx.AsyncClient,
    client: httpx.AsyncClient,
    new_survey: Factory,
    new_contact: Factory,
    invite: Invite,
    outbox: Outbox,
) -> None:
    survey, contact = await new_survey(), await new_contact()
    invitation = await invite(survey, contact)

    await public.post(
        page(invitation["token"]) + "/response", json={"score": 3, "comment": "Zu spät"}
    )

    [case] = (await client.get("/api/v1/feedback-cases")).json()["items"]
    [response] = (await client.get(f"/api/v1/surveys/{survey['id']}/responses")).json()["items"]
    [detractor] = await outbox("treue.nps.detractor.v1")
    assert (case["status"], case["contact_id"], case["response_id"]) == (
        "open",
        contact["contact_id"],
        response["id"],
    )
    assert detractor == {
        "contact_id": contact["contact_id"],
        "survey_id": survey["id"],
        "response_id": response["id"],
        "score": 3,
        "comment": "Zu spät",
        "responded_at": detractor["responded_at"],
        "feedback_case_id": case["id"],
        "due_at": detractor["due_at"],
        "_subject": contact["contact_id"],
    }


async def test_an_edit_into_detractor_opens_one_case_and_back_and_forth_no_second(
    public: httpx.AsyncClient,
    client: httpx.AsyncClient,
    new_survey: Factory,
    new_contact: Factory,
    invite: Invite,
    outbox: Outbox,
) -> None:
    invitation = await invite(await new_survey(), await new_contact())
    url = page(invitation["token"]) + "/response"

    for score in (7, 4, 8, 2):
        assert (await public.post(url, json={"score": score})).status_code in (200, 201)

    cases = (await client.get("/api/v1/feedback-cases")).json()["items"]
    assert len(cases) == 1
    assert len(await outbox("treue.nps.detractor.v1")) == 1
    assert len(await outbox("treue.nps.response_recorded.v1")) == 4
