"""NPS per survey and overall, per period, with confidence intervals and the change test."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import httpx
import pytest

Json = dict[str, Any]
Factory = Callable[..., Awaitable[Json]]
Invite = Callable[[Json, Json], Awaitable[Json]]


async def answer(
    client: httpx.AsyncClient, survey: Json, contact: Json, scores: list[int], at: str
) -> None:
    for score in scores:
        posted = await client.post(
            f"/api/v1/surveys/{survey['id']}/responses",
            json={"contact_id": contact["contact_id"], "score": score, "responded_at": at},
        )
        assert posted.status_code == 201, posted.text


async def test_monthly_nps_with_interval_and_change_test(
    client: httpx.AsyncClient, new_survey: Factory, new_contact: Factory
) -> None:
    survey, contact = await new_survey(), await new_contact()
    # January: 5 promoters, 3 passives, 2 detractors (nps 30); March: 4/3/3 (nps 10).
    await answer(client, survey, contact, [10, 9, 9, 10, 9, 7, 8, 7, 3, 6], "2026-01-15T10:00:00Z")
    await answer(client, survey, contact, [9, 10, 9, 9, 8, 7, 7, 0, 5, 6], "2026-03-31T23:30:00Z")

    result = (await client.get(f"/api/v1/surveys/{survey['id']}/nps")).json()

    assert result["overall"] == {
        "nps": 20.0,
        "n": 20,
        "promoters": 9,
        "passives": 6,
        "detractors": 5,
        # var = 0.45 + 0.25 - 0.2² = 0.66, SE = 100·sqrt(0.66/20) = 18.166
        "ci_low": pytest.approx(20 - 1.96 * 18.1659, abs=0.01),
        "ci_high": pytest.approx(20 + 1.96 * 18.1659, abs=0.01),
    }
    january, february, march = result["series"]
    assert [p["period_start"] for p in result["series"]] == [
        "2026-01-01T00:00:00Z",
        "2026-02-01T00:00:00Z",
        "2026-03-01T00:00:00Z",
    ]
    assert (january["nps"], january["n"], january["change"]) == (30.0, 10, None)
    assert (february["nps"], february["n"]) == (None, 0)
    assert (march["nps"], march["n"], march["change"]) == (10.0, 10, None)
    assert result["response_rate"] == {"invitations": 0, "answered": 0, "rate": None}


async def test_quarters_compare_consecutive_periods(
    client: httpx.AsyncClient, new_survey: Factory, new_contact: Factory
) -> None:
    survey, contact = await new_survey(), await new_contact()
    await answer(client, survey, contact, [10, 9, 9, 10, 9, 7, 8, 7, 3, 6], "2026-02-15T10:00:00Z")
    await answer(client, survey, contact, [9, 10, 9, 9, 8, 7, 7, 0, 5, 6], "2026-05-10T10:00:00Z")

    result = (
        await client.get(f"/api/v1/surveys/{survey['id']}/nps", params={"interval": "quarter"})
    ).json()

    first, second = result["series"]
    assert first["period_start"] == "2026-01-01T00:00:00Z"
    assert second["period_start"] == "2026-04-01T00:00:00Z"
    assert second["change"] == -20.0
    assert second["p_value"] == pytest.approx(0.5791, abs=1e-4)
    assert second["significant"] is False


async def test_the_overall_nps_spans_surveys_and_filters_by_time_and_tag(
    client: httpx.AsyncClient, new_survey: Factory, new_contact: Factory
) -> None:
    first, second = await new_survey(), await new_survey()
    builder = await new_contact(tags=["maschinenbau"])
    trader = await new_contact(tags=["handel"])
    await answer(client, first, builder, [10, 10], "2026-04-01T08:00:00Z")
    await answer(client, second, trader, [0], "2026-04-20T08:00:00Z")
    await answer(client, second, trader, [2], "2026-06-20T08:00:00Z")

    everything = (await client.get("/api/v1/nps", params={"interval": "week"})).json()
    april = (
        await client.get(
            "/api/v1/nps", params={"from": "2026-04-01T00:00:00Z", "to": "2026-05-01T00:00:00Z"}
        )
    ).json()
    builders = (await client.get("/api/v1/nps", params={"tag": "maschinenbau"})).json()
    backwards = await client.get(
        "/api/v1/nps", params={"from": "2026-05-01T00:00:00Z", "to": "2026-04-01T00:00:00Z"}
    )

    assert everything["overall"]["n"] == 4
    assert everything["series"][0]["period_start"] == "2026-03-30T00:00:00Z"  # a Monday
    assert "response_rate" not in everything or everything["response_rate"] is None
    assert (april["overall"]["n"], april["overall"]["nps"]) == (3, pytest.approx(33.33))
    assert (builders["overall"]["n"], builders["overall"]["nps"]) == (2, 100.0)
    assert backwards.status_code == 422


async def test_the_response_rate_counts_answered_invitations(
    client: httpx.AsyncClient,
    public: httpx.AsyncClient,
    new_survey: Factory,
    new_contact: Factory,
    invite: Invite,
) -> None:
    survey = await new_survey()
    invitations = [await invite(survey, await new_contact()) for _ in range(4)]
    await public.post(
        f"/api/v1/public/invitations/{invitations[0]['token']}/response", json={"score": 10}
    )

    result = (await client.get(f"/api/v1/surveys/{survey['id']}/nps")).json()

    assert result["response_rate"] == {"invitations": 4, "answered": 1, "rate": 0.25}
    assert result["overall"]["nps"] == 100.0
