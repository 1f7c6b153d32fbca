"""The scoring rules an admin changes at run time (GET/PUT/DELETE /api/v1/settings/analytics):
validated per field, admins only, and in force at once: a change of the ABC or churn-risk
threshold queues the recompute that applies it to every customer."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from treue.identity import Identity
from treue.testing import identity_headers

from .conftest import Deliver
from .test_churn_risk import alerts, answer, risk_of
from .test_customer_value import contact, order
from .test_segmentation import RunJobs, classes, recompute

URL = "/api/v1/settings/analytics"
DEFAULTS = {
    "abc_a_percent": 80.0,
    "abc_b_percent": 15.0,
    "churn_risk_threshold": 0.6,
    "margin_threshold_percent": 20.0,
    "reporting_currency": "EUR",
    "exchange_rates": {},
}
MANAGER = Identity(subject="m-1", kind="user", role="manager", name="Mia Manager")


@pytest.fixture(autouse=True)
async def forget_the_cached_settings(app: FastAPI) -> AsyncIterator[None]:
    """The next test truncates the stored values; the store's cache must not outlive them."""
    yield
    app.state.runtime_settings.invalidate()


async def test_the_defaults_come_from_the_environment_until_an_admin_changes_them(
    clean: None, client: httpx.AsyncClient
) -> None:
    fresh = (await client.get(URL)).json()
    assert fresh == {
        "values": DEFAULTS,
        "defaults": DEFAULTS,
        "updated_at": None,
        "updated_by": None,
        "queued_jobs": [],
    }

    changed = await client.put(URL, json={**DEFAULTS, "margin_threshold_percent": 12.5})
    assert changed.status_code == 200, changed.text
    body = changed.json()
    assert body["values"]["margin_threshold_percent"] == 12.5
    assert body["defaults"] == DEFAULTS
    assert body["updated_by"] == "Test Admin"
    # Only the margin threshold changed: nothing to recompute.
    assert body["queued_jobs"] == []
    assert (await client.get(URL)).json()["values"]["margin_threshold_percent"] == 12.5

    reset = await client.delete(URL)
    assert reset.status_code == 200
    assert reset.json()["values"] == DEFAULTS


async def test_bad_values_answer_422_naming_the_field(
    clean: None, client: httpx.AsyncClient
) -> None:
    cases: list[tuple[dict[str, Any], str]] = [
        ({"abc_a_percent": 85, "abc_b_percent": 15}, "abc_b_percent"),
        ({"abc_a_percent": 0}, "abc_a_percent"),
        ({"churn_risk_threshold": 1.5}, "churn_risk_threshold"),
        ({"margin_threshold_percent": -101}, "margin_threshold_percent"),
        ({"surprise": 1}, "surprise"),
    ]
    for change, field in cases:
        answer_ = await client.put(URL, json={**DEFAULTS, **change})
        assert answer_.status_code == 422, change
        assert answer_.headers["content-type"] == "application/problem+json"
        assert [e["field"] for e in answer_.json()["errors"]] == [field]
    missing = await client.put(URL, json={"abc_a_percent": 70})
    assert missing.status_code == 422
    assert {e["field"] for e in missing.json()["errors"]} == {
        "abc_b_percent",
        "churn_risk_threshold",
        "margin_threshold_percent",
        "reporting_currency",
        "exchange_rates",
    }
    assert (await client.get(URL)).json()["updated_at"] is None


async def test_only_admins_change_the_settings(clean: None, client: httpx.AsyncClient) -> None:
    headers = identity_headers(MANAGER)
    assert (await client.get(URL, headers=headers)).status_code == 200
    refused = await client.put(URL, json=DEFAULTS, headers=headers)
    assert refused.status_code == 403
    assert refused.headers["content-type"] == "application/problem+json"
    assert (await client.delete(URL, headers=headers)).status_code == 403


async def test_new_abc_thresholds_reclassify_customers_by_the_recompute_they_queue(
    clean: None, deliver: Deliver, client: httpx.AsyncClient, run_jobs: RunJobs
) -> None:
    # Net values 50, 30, 10, 5, 3, 2 (total 100).
    ids = [uuid.uuid4() for _ in range(6)]
    events: list[Any] = [contact(i, acquisition_cost=None) for i in ids]
    for i, value in zip(ids, ("50", "30", "10", "5", "3", "2"), strict=True):
        events.append(order(i, f"{value}.00", "0.00", days=1))
    await deliver(events)
    await recompute(client, run_jobs)
    assert list((await classes(client)).values()).count("A") == 2

    changed = await client.put(URL, json={**DEFAULTS, "abc_a_percent": 50, "abc_b_percent": 40})
    assert changed.status_code == 200, changed.text
    [job] = changed.json()["queued_jobs"]
    assert job["kind"] == "segments-recompute"
    assert job["status"] == "queued"
    # Until the recompute ran, the classes are those of the old thresholds.
    assert list((await classes(client)).values()).count("A") == 2

    assert await run_jobs()
    done = (await client.get(f"/api/v1/analytics/segments/recompute/{job['id']}")).json()
    assert done["status"] == "succeeded", done["error"]
    found = await classes(client)
    assert [found[str(i)] for i in ids] == ["A", "B", "B", "C", "C", "C"]
    split = (await client.get("/api/v1/analytics/segments/abc")).json()
    assert split["thresholds"] == {"A": "50", "B": "40", "C": "10"}


async def test_a_lower_churn_risk_threshold_applies_to_the_next_event(
    clean: None, deliver: Deliver, client: httpx.AsyncClient, app: FastAPI
) -> None:
    worried, relaxed = uuid.uuid4(), uuid.uuid4()
    await deliver([contact(worried), contact(relaxed)])
    await deliver([answer(worried, 3, hours_ago=24)])
    assert await risk_of(client, worried) == (0.4, ["detractor"])
    dashboard = (await client.get("/api/v1/analytics/dashboard")).json()
    assert (dashboard["risk_threshold"], dashboard["at_risk"]) == (0.6, 0)

    changed = await client.put(URL, json={**DEFAULTS, "churn_risk_threshold": 0.3})
    assert [job["kind"] for job in changed.json()["queued_jobs"]] == ["segments-recompute"]
    dashboard = (await client.get("/api/v1/analytics/dashboard")).json()
    assert (dashboard["risk_threshold"], dashboard["at_risk"]) == (0.3, 1)

    # The next signal is scored against the new threshold: the crossing is announced.
    await deliver([answer(relaxed, 2, hours_ago=1)])
    assert [alert.contact_id for alert in await alerts(app)] == [relaxed]
