"""The survey rules an admin changes at run time (GET/PUT/DELETE /api/v1/settings/surveys):
the defaults new surveys get and the feedback-case SLA, validated per field, admins only,
in force for the next survey or case without a restart."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest
from fastapi import FastAPI

from treue.identity import Identity
from treue.testing import identity_headers

from .conftest import Factory
from .test_responses_and_cases import detractor_case

URL = "/api/v1/settings/surveys"
DEFAULTS = {
    "default_quiet_period_days": 90,
    "default_reminder_after_days": 5,
    "default_max_reminders": 1,
    "feedback_case_sla_hours": 48,
}


@pytest.fixture(autouse=True)
async def forget_the_cached_settings(app: FastAPI) -> AsyncIterator[None]:
    """The next test truncates the stored values; the store's cache must not outlive them."""
    yield
    app.state.runtime_settings.invalidate()


def rules_of(survey: dict[str, object]) -> tuple[object, ...]:
    return survey["quiet_period_days"], survey["reminder_after_days"], survey["max_reminders"]


async def test_new_surveys_take_the_defaults_in_force_unless_given(
    client: httpx.AsyncClient, new_survey: Factory
) -> None:
    assert rules_of(await new_survey()) == (90, 5, 1)

    changed = await client.put(
        URL,
        json={
            **DEFAULTS,
            "default_quiet_period_days": 30,
            "default_reminder_after_days": 7,
            "default_max_reminders": 2,
        },
    )
    assert changed.status_code == 200, changed.text
    assert changed.json()["defaults"] == DEFAULTS

    assert rules_of(await new_survey()) == (30, 7, 2)
    assert rules_of(await new_survey(quiet_period_days=180, max_reminders=0)) == (180, 7, 0)


async def test_a_changed_sla_sets_the_due_date_of_the_next_case(
    client: httpx.AsyncClient, new_survey: Factory, new_contact: Factory
) -> None:
    survey = await new_survey()
    first = await detractor_case(client, survey, await new_contact())
    assert first["due_at"] == "2026-05-06T08:00:00Z"

    assert (await client.put(URL, json={**DEFAULTS, "feedback_case_sla_hours": 4})).is_success
    cases = (await client.get("/api/v1/feedback-cases")).json()["items"]
    await client.post(
        f"/api/v1/surveys/{survey['id']}/responses",
        json={
            "contact_id": (await new_contact())["contact_id"],
            "score": 2,
            "responded_at": "2026-05-04T08:00:00Z",
        },
    )
    [second] = [
        case
        for case in (await client.get("/api/v1/feedback-cases")).json()["items"]
        if case["id"] not in {c["id"] for c in cases}
    ]
    assert second["due_at"] == "2026-05-04T12:00:00Z"


async def test_bad_values_answer_422_naming_the_field_and_only_admins_write(
    client: httpx.AsyncClient,
) -> None:
    for change, field in [
        ({"default_reminder_after_days": 0}, "default_reminder_after_days"),
        ({"default_max_reminders": 3}, "default_max_reminders"),
        ({"feedback_case_sla_hours": 0}, "feedback_case_sla_hours"),
    ]:
        refused = await client.put(URL, json={**DEFAULTS, **change})
        assert refused.status_code == 422
        assert [e["field"] for e in refused.json()["errors"]] == [field]
    viewer = Identity(subject="v-1", kind="user", role="viewer", name="Vera Viewer")
    assert (
        await client.put(URL, json=DEFAULTS, headers=identity_headers(viewer))
    ).status_code == 403
    assert (await client.get(URL)).json()["values"] == DEFAULTS
