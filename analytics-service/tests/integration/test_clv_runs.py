"""Predictive CLV (A2): the CDNOW transactions go in as order events through the real inbox,
a fit runs as a job, and the published parameters come out."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from treue.events.contracts import (
    ContactCreatedV1,
    CustomerChurnedV1,
    CustomerWonBackV1,
    EventContract,
    OrderRecordedV1,
)

from .conftest import Deliver
from .test_dashboard_rollups import rollup_mismatches

CDNOW = Path(__file__).parents[1] / "data" / "CDNOW_sample.txt"
NAMESPACE = uuid.UUID("6a1c63c4-0d8e-4a53-9a1e-1f0c0c9b4b7e")
RunJobs = Callable[[], Awaitable[bool]]


@pytest.fixture(autouse=True)
async def forget_the_cached_settings(app: FastAPI) -> AsyncIterator[None]:
    yield
    app.state.runtime_settings.invalidate()


def cdnow_events() -> list[EventContract]:
    """A contact per CDNOW customer and an order per row (several rows of a customer and
    day are several orders of that day)."""
    contacts: dict[str, uuid.UUID] = {}
    orders: list[EventContract] = []
    for number, line in enumerate(CDNOW.read_text().splitlines()):
        customer, _, day, _, dollars = line.split()
        contact_id = contacts.setdefault(customer, uuid.uuid5(NAMESPACE, customer))
        ordered_at = datetime.strptime(day, "%Y%m%d").replace(hour=12, tzinfo=UTC)
        orders.append(
            OrderRecordedV1(
                order_id=uuid.uuid5(NAMESPACE, f"order-{number}"),
                contact_id=contact_id,
                external_id=None,
                ordered_at=ordered_at,
                currency="USD",
                revenue=str(Decimal(dollars)),
                cost="0.00",
                lines=[],
                recorded_at=ordered_at,
            )
        )
    people: list[EventContract] = [
        ContactCreatedV1(
            contact_id=contact_id,
            version=1,
            first_name="CDNOW",
            last_name=customer,
            email=None,
            company=None,
            language="en",
            lifecycle_stage="customer",
            tags=[],
            acquisition_channel=None,
            acquisition_cost=None,
            created_at=datetime(1997, 1, 1, tzinfo=UTC),
        )
        for customer, contact_id in contacts.items()
    ]
    return people + orders


async def start_run(client: httpx.AsyncClient, as_of: str) -> str:
    answer = await client.post(
        "/api/v1/analytics/clv/runs",
        json={"as_of": as_of, "time_unit": "week", "horizon_months": 12},
    )
    assert answer.status_code == 202
    assert answer.json()["status"] == "queued"
    location: str = answer.headers["location"]
    return location


async def test_cdnow_through_the_read_model_reproduces_the_published_fit(
    clean: None, deliver: Deliver, client: httpx.AsyncClient, run_jobs: RunJobs, database_url: str
) -> None:
    await deliver(cdnow_events())
    # CDNOW sold in dollars: with EUR to report in and no rate, every order is left out.
    in_euros = await start_run(client, "1997-09-30")
    assert await run_jobs()
    nothing = (await client.get(in_euros)).json()
    assert nothing["status"] == "failed"
    assert "in EUR or a currency with an exchange rate" in nothing["error"]
    settings = (await client.get("/api/v1/settings/analytics")).json()["values"]
    in_dollars = await client.put(
        "/api/v1/settings/analytics", json={**settings, "reporting_currency": "USD"}
    )
    assert [job["kind"] for job in in_dollars.json()["queued_jobs"]] == ["clv-fit"]
    assert await run_jobs()  # the fit the change queued (as of today)
    location = await start_run(client, "1997-09-30")

    assert await run_jobs()
    run = (await client.get(location)).json()

    assert run["status"] == "succeeded", run["error"]
    assert run["progress"] == 1.0
    assert run["customers"] == 2357
    assert run["repeat_buyers"] == 946
    params = run["params"]
    assert [round(params[k], 3) for k in ("r", "alpha", "a", "b")] == [0.243, 4.414, 0.793, 2.426]
    assert round(run["log_likelihood"], 1) == -9582.4
    assert params["p"] == pytest.approx(6.25, abs=5e-3)
    assert params["q"] == pytest.approx(3.74, abs=5e-3)
    assert params["gamma"] == pytest.approx(15.44, abs=1e-2)
    assert run["duration_s"] > 0
    assert (run["currency"], run["left_out_orders"], run["left_out_customers"]) == ("USD", 0, 0)

    # Customer 00004 (x=2 repeat days by 1997-09-30, t_x=30.43, T=38.86 weeks): predicted.
    customer = (
        await client.get(f"/api/v1/analytics/customers/{uuid.uuid5(NAMESPACE, '00004')}")
    ).json()
    assert customer["clv_run_id"] == run["id"]
    assert customer["churn_drivers"] == (["low_p_alive"] if customer["churn_risk"] >= 0.05 else [])
    assert 0 < customer["p_alive"] < 1
    assert customer["expected_purchases_12m"] > 0
    assert Decimal(customer["clv"]) > 0
    assert customer["clv_currency"] == "USD"
    top = await client.get("/api/v1/analytics/customers", params={"sort": "-clv", "limit": "500"})
    values = [Decimal(item["clv"]) for item in top.json()["items"]]
    assert values == sorted(values, reverse=True)
    assert len(values) == 500
    # The run recomputed the ABC classes from its predictions.
    split = (await client.get("/api/v1/analytics/segments/abc")).json()
    assert sum(c["customers"] for c in split["classes"]) == 2357
    assert split["classes"][0]["value_share"] == pytest.approx(0.8, abs=0.01)
    assert top.json()["items"][0]["abc_class"] == "A"
    # Without other signals, the churn risk is the dormancy term of P(alive).
    assert customer["churn_risk"] == pytest.approx(0.6 * (1 - customer["p_alive"]), abs=1e-4)
    # The dashboard's rollups took in every prediction, class and score the run wrote.
    assert await rollup_mismatches(database_url) == []
    dashboard = (await client.get("/api/v1/analytics/dashboard")).json()
    assert dashboard["clv"]["customers"] == 2357
    assert (dashboard["clv"]["currency"], dashboard["clv"]["left_out_customers"]) == ("USD", 0)

    # A degenerate fit (nobody had bought twice by the first day) fails clearly and the
    # predictions of the run before stay.
    failed_location = await start_run(client, "1997-01-01")
    assert await run_jobs()
    failed = (await client.get(failed_location)).json()
    after = (
        await client.get(f"/api/v1/analytics/customers/{uuid.uuid5(NAMESPACE, '00004')}")
    ).json()
    assert failed["status"] == "failed"
    assert "no customer has a repeat purchase" in failed["error"]
    assert failed["params"] is None
    assert after["clv"] == customer["clv"]
    assert after["clv_run_id"] == run["id"]


async def test_a_run_without_customers_fails_and_an_unknown_run_is_404(
    clean: None, client: httpx.AsyncClient, run_jobs: RunJobs
) -> None:
    location = await start_run(client, "2026-01-01")
    assert await run_jobs()

    run = (await client.get(location)).json()
    unknown = await client.get(f"/api/v1/analytics/clv/runs/{uuid.uuid4()}")
    invalid = await client.post("/api/v1/analytics/clv/runs", json={"time_unit": "fortnight"})

    assert run["status"] == "failed"
    # The reason as users read it, not the name of an exception class.
    assert run["error"].startswith("no customer has an order up to 2026-01-01")
    assert unknown.status_code == 404
    assert invalid.status_code == 422


async def test_a_churned_customer_expects_nothing_until_won_back_and_fitted_again(
    clean: None, deliver: Deliver, client: httpx.AsyncClient, run_jobs: RunJobs, database_url: str
) -> None:
    await deliver(cdnow_events())
    settings = (await client.get("/api/v1/settings/analytics")).json()["values"]
    await client.put("/api/v1/settings/analytics", json={**settings, "reporting_currency": "USD"})
    assert await run_jobs()
    await start_run(client, "1998-06-30")
    assert await run_jobs()
    top = await client.get("/api/v1/analytics/customers", params={"sort": "-clv", "limit": "1"})
    [best] = top.json()["items"]
    assert (best["abc_class"], Decimal(best["clv"]) > 0) == ("A", True)
    contact_id = best["contact_id"]
    at = datetime(1998, 7, 1, tzinfo=UTC)

    async def customer() -> dict[str, Any]:
        found: dict[str, Any] = (
            await client.get(f"/api/v1/analytics/customers/{contact_id}")
        ).json()
        return found

    await deliver(
        [CustomerChurnedV1(contact_id=contact_id, reason="price", note="", churned_at=at)]
    )
    churned = await customer()
    assert (churned["clv"], churned["expected_purchases_12m"], churned["p_alive"]) == (
        "0.00",
        0.0,
        0.0,
    )
    # The next fit predicts the same of them, and their value no longer makes them an A.
    location = await start_run(client, "1998-06-30")
    assert await run_jobs()
    run = (await client.get(location)).json()
    refitted = await customer()
    assert (refitted["clv"], refitted["p_alive"], refitted["clv_run_id"]) == (
        "0.00",
        0.0,
        run["id"],
    )
    assert refitted["abc_class"] == "C"
    assert refitted["churn_risk"] is None
    assert await rollup_mismatches(database_url) == []

    # Won back: no prediction until a fit makes one from their purchases again.
    await deliver(
        [CustomerWonBackV1(contact_id=contact_id, reason="price", churned_at=at, won_back_at=at)]
    )
    back = await customer()
    assert (back["clv"], back["p_alive"], back["clv_run_id"]) == (None, None, None)
    assert await rollup_mismatches(database_url) == []
    await start_run(client, "1998-06-30")
    assert await run_jobs()
    again = await customer()
    # The same data and day as the prediction before the churn: the same prediction.
    assert (again["clv"], again["p_alive"], again["abc_class"]) == (
        best["clv"],
        best["p_alive"],
        "A",
    )
