"""Money in one reporting currency: an order in USD next to EUR orders is left out of the
money figures (and counted) until an admin gives USD an exchange rate, then it counts
converted; through the real inbox, Postgres and the settings route. Offers name products
by the names of contacts-service's product events."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from analytics.adapters.clv_repository import ClvRepository
from analytics.domain.money import ReportingCurrency
from treue.events.contracts import ProductCreatedV1, ProductUpdatedV1
from treue.events.envelope import CloudEvent

from .conftest import Deliver, event_of
from .test_customer_value import contact
from .test_dashboard import AS_OF
from .test_product_margins import line, order_of

SETTINGS = "/api/v1/settings/analytics"
P, Q = uuid.uuid4(), uuid.uuid4()


@pytest.fixture(autouse=True)
async def forget_the_cached_settings(app: FastAPI) -> AsyncIterator[None]:
    yield
    app.state.runtime_settings.invalidate()


def in_usd(order: Any) -> Any:
    return order.model_copy(update={"currency": "USD"})


def product(product_id: uuid.UUID, name: str, version: int = 1) -> CloudEvent:
    state = {
        "product_id": product_id,
        "version": version,
        "sku": f"SKU-{str(product_id)[:4]}",
        "name": name,
        "price": "100.00",
        "unit_cost": "50.00",
        "currency": "EUR",
        "active": True,
    }
    moment = datetime(2026, 1, 1, tzinfo=UTC)
    if version == 1:
        return event_of(ProductCreatedV1(**state, created_at=moment), str(product_id))
    updated = ProductUpdatedV1(**state, updated_at=moment, changed_fields=["name"])
    return event_of(updated, str(product_id))


async def set_rates(client: httpx.AsyncClient, rates: dict[str, float]) -> dict[str, Any]:
    values = (await client.get(SETTINGS)).json()["values"]
    changed = await client.put(SETTINGS, json={**values, "exchange_rates": rates})
    assert changed.status_code == 200, changed.text
    body: dict[str, Any] = changed.json()
    return body


async def test_a_usd_order_is_left_out_until_it_has_a_rate_then_counts_converted(
    clean: None, deliver: Deliver, client: httpx.AsyncClient, app: FastAPI
) -> None:
    eur_1, eur_2, yankee = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    await deliver([contact(eur_1), contact(eur_2), contact(yankee)])
    await deliver(
        [
            order_of(eur_1, "2026-04-10", line(1, P, "1", "300.00", "100.00")),
            order_of(eur_2, "2026-05-10", line(1, P, "1", "200.00", "100.00")),
            in_usd(order_of(yankee, "2026-05-11", line(1, P, "1", "1000.00", "600.00"))),
            in_usd(order_of(yankee, "2026-05-20", line(1, Q, "1", "100.00", "20.00"))),
        ]
    )
    params = {"as_of": AS_OF}

    # No USD rate: the dollars are in no sum, and every answer says so.
    dashboard = (await client.get("/api/v1/analytics/dashboard", params=params)).json()
    revenue = dashboard["revenue"]
    assert (revenue["currency"], revenue["last_12m"], revenue["orders_12m"]) == (
        "EUR",
        "500.00",
        2,
    )
    assert revenue["left_out"] == {"orders": 2, "currencies": ["USD"]}
    may = next(m for m in revenue["trend"] if m["month"] == "2026-05-01")
    assert (may["revenue"], may["orders"]) == ("200.00", 1)
    margins = (await client.get("/api/v1/analytics/products/margins", params=params)).json()
    assert margins["currency"] == "EUR"
    assert margins["left_out"] == {"orders": 2, "currencies": ["USD"]}
    assert [(p["product_id"], p["revenue"], p["customers"]) for p in margins["products"]] == [
        (str(P), "500.00", 2)
    ]
    cohorts = (await client.get("/api/v1/analytics/cohorts", params=params)).json()
    assert cohorts["left_out"] == {"orders": 2, "currencies": ["USD"]}
    assert sum(Decimal(v) for row in cohorts["cohorts"] for v in row["revenue"]) == 500
    # The CLV fit's history has no customer whose orders are all in USD.
    async with app.state.runtime.session_factory() as session:
        clv = ClvRepository(session)
        in_euros = await clv.purchase_histories(date(2026, 6, 14), ReportingCurrency("EUR"))
        left_out = await clv.left_out(date(2026, 6, 14), ReportingCurrency("EUR"))
    assert len(in_euros) == 2
    assert left_out == {
        "left_out_orders": 2,
        "left_out_customers": 1,
        "left_out_currencies": ["USD"],
    }

    # One dollar is worth 0.5 euros: the USD orders count, converted. The change queues a
    # CLV fit, which converts the predictions too.
    changed = await set_rates(client, {"USD": 0.5})
    assert [job["kind"] for job in changed["queued_jobs"]] == ["clv-fit"]
    dashboard = (await client.get("/api/v1/analytics/dashboard", params=params)).json()
    revenue = dashboard["revenue"]
    assert (revenue["last_12m"], revenue["orders_12m"]) == ("1050.00", 4)
    assert revenue["left_out"] == {"orders": 0, "currencies": []}
    margins = (await client.get("/api/v1/analytics/products/margins", params=params)).json()
    by_product = {p["product_id"]: p for p in margins["products"]}
    assert (by_product[str(P)]["revenue"], by_product[str(P)]["cost"]) == ("1000.00", "500.00")
    assert by_product[str(Q)]["margin"] == "40.00"
    assert margins["left_out"] == {"orders": 0, "currencies": []}
    async with app.state.runtime.session_factory() as session:
        money = ReportingCurrency("EUR", {"USD": Decimal("0.5")})
        converted = await ClvRepository(session).purchase_histories(date(2026, 6, 14), money)
    assert len(converted) == 3
    # The yankee's repeat purchase of 100 dollars is 50 euros of spend.
    assert sorted(converted.history.repeat_spend.tolist()) == [0.0, 0.0, 50.0]


async def test_the_reporting_currency_and_its_rates_are_validated_and_named(
    clean: None, client: httpx.AsyncClient
) -> None:
    values = (await client.get(SETTINGS)).json()["values"]
    assert (values["reporting_currency"], values["exchange_rates"]) == ("EUR", {})
    for change, field in (
        ({"reporting_currency": "Euro"}, "reporting_currency"),
        ({"exchange_rates": {"USD": -1}}, "exchange_rates"),
        ({"exchange_rates": {"EUR": 1}}, "exchange_rates"),
    ):
        refused = await client.put(SETTINGS, json={**values, **change})
        assert refused.status_code == 422, change
        assert refused.json()["errors"][0]["field"].startswith(field)


async def test_offers_and_prospects_name_products_by_their_latest_name(
    clean: None,
    deliver: Deliver,
    client: httpx.AsyncClient,
    associate: Callable[[], Awaitable[dict[str, Any]]],
) -> None:
    x, y, w = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    await deliver([contact(c) for c in (x, y, w)])
    await deliver([product(P, "Fräse"), product(Q, "Wartung"), product(Q, "Wartung Plus", 2)])
    # A late, older version does not rename the product back.
    await deliver([product(Q, "Wartung", 1)])
    both = [line(1, P, "1", "100.00", "60.00"), line(2, Q, "1", "30.00", "20.00")]
    await deliver(
        [
            order_of(x, "2026-04-01", *both),
            order_of(y, "2026-04-02", *both),
            order_of(w, "2026-04-03", line(1, P, "1", "100.00", "60.00")),
        ]
    )
    await associate()

    offers = (await client.get(f"/api/v1/analytics/customers/{w}/offers")).json()
    assert offers["currency"] == "EUR"
    [offer] = offers["items"]
    assert (offer["sku"], offer["product_name"]) == (f"SKU-{str(Q)[:4]}", "Wartung Plus")
    assert offer["because_of_name"] == "Fräse"
    assert offer["reason"].startswith("2 of 3 customers who bought Fräse also bought Wartung Plus")
    assert offer["reason"].endswith("10.00 EUR margin per sale")
    prospects = (await client.get(f"/api/v1/analytics/products/{Q}/prospects")).json()
    assert [(p["contact_id"], p["because_of_name"]) for p in prospects["items"]] == [
        (str(w), "Fräse")
    ]
    margins = (
        await client.get("/api/v1/analytics/products/margins", params={"as_of": AS_OF})
    ).json()
    assert {p["product_name"] for p in margins["products"]} == {"Fräse", "Wartung Plus"}
