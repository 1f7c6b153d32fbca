"""Comment themes of a survey over the real database, per period."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from typing import Any

import httpx

Json = dict[str, Any]
Factory = Callable[..., Awaitable[Json]]


async def post(
    client: httpx.AsyncClient, survey: Json, contact: Json, score: int, comment: str, at: str
) -> None:
    answer = await client.post(
        f"/api/v1/surveys/{survey['id']}/responses",
        json={
            "contact_id": contact["contact_id"],
            "score": score,
            "comment": comment,
            "responded_at": at,
        },
    )
    assert answer.status_code == 201, answer.text


async def test_themes_contrast_detractor_and_promoter_comments_of_a_period(
    client: httpx.AsyncClient, new_survey: Factory, new_contact: Factory
) -> None:
    survey, other = await new_survey(), await new_survey()
    contact = await new_contact()
    for _ in range(6):
        await post(client, survey, contact, 2, "Die Lieferung kam zu spät", "2026-02-10T10:00:00Z")
        await post(
            client, survey, contact, 10, "Schneller Service, top Beratung", "2026-02-11T10:00:00Z"
        )
    for _ in range(4):
        await post(client, survey, contact, 3, "Rechnung falsch", "2026-02-12T10:00:00Z")
        await post(client, survey, contact, 9, "Great support team", "2026-02-12T11:00:00Z")
        await post(client, survey, contact, 8, "Lieferung kam zu spät", "2026-02-12T12:00:00Z")
    # Outside the period, and in another survey: not counted.
    await post(client, survey, contact, 1, "Hotline unfreundlich", "2026-03-05T10:00:00Z")
    await post(client, other, contact, 0, "Hotline unfreundlich", "2026-02-10T10:00:00Z")

    answer = await client.get(
        f"/api/v1/surveys/{survey['id']}/themes",
        params={"from": "2026-02-01T00:00:00Z", "to": "2026-03-01T00:00:00Z", "limit": 5},
    )

    assert answer.status_code == 200, answer.text
    result = answer.json()
    assert (result["detractor_comments"], result["promoter_comments"]) == (10, 10)
    detractor_terms = [t["term"] for t in result["detractor_themes"]]
    assert set(detractor_terms) <= {"lieferung", "kam", "spät", "lieferung kam", "kam spät"}
    assert "lieferung" in detractor_terms
    lieferung = next(t for t in result["detractor_themes"] if t["term"] == "lieferung")
    assert (lieferung["detractor_comments"], lieferung["promoter_comments"]) == (6, 0)
    assert lieferung["z"] > 1.96
    assert "rechnung" not in detractor_terms  # 4 of 10 against 0 of 10: not significant
    assert "service" in [t["term"] for t in result["promoter_themes"]]
    assert len(result["promoter_themes"]) == 5
    assert all("hotline" not in t["term"] for t in result["detractor_themes"])


async def test_themes_of_an_unknown_survey_or_a_bad_period_are_problems(
    client: httpx.AsyncClient, new_survey: Factory
) -> None:
    survey = await new_survey()

    missing = await client.get(f"/api/v1/surveys/{uuid.uuid4()}/themes")
    backwards = await client.get(
        f"/api/v1/surveys/{survey['id']}/themes",
        params={"from": "2026-03-01T00:00:00Z", "to": "2026-02-01T00:00:00Z"},
    )
    empty = await client.get(f"/api/v1/surveys/{survey['id']}/themes")

    assert missing.status_code == 404
    assert backwards.status_code == 422
    assert backwards.json()["errors"][0]["field"] == "to"
    assert empty.json() == {
        "detractor_comments": 0,
        "promoter_comments": 0,
        "detractor_themes": [],
        "promoter_themes": [],
    }
