"""Offer margins from the association run's counts (migration 0024) on the real Postgres:
with orders before the run and after it (a late one among them), in several currencies
(one without a rate), the answer equals the one counted from every line."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
from fastapi import FastAPI
from sqlalchemy import text

from treue.events.contracts import OrderRecordedV1

from .conftest import Deliver
from .test_associations import Associate
from .test_currencies import set_rates
from .test_customer_value import contact
from .test_product_margins import line, order_of

P, Q, R = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
MARGINS = "/api/v1/analytics/products/margins"


def in_currency(order: OrderRecordedV1, currency: str) -> OrderRecordedV1:
    return order.model_copy(update={"currency": currency})


async def both_ways(
    client: httpx.AsyncClient, app: FastAPI, asked: list[dict[str, str]]
) -> tuple[list[Any], list[Any]]:
    """Each answer from the run's counts, then (its counts hidden) from every line."""
    counted = [(await client.get(MARGINS, params=params)).json() for params in asked]
    async with app.state.runtime.session_factory() as session, session.begin():
        await session.execute(text("DELETE FROM association_totals"))
    live = [(await client.get(MARGINS, params=params)).json() for params in asked]
    return counted, live


async def test_margins_from_the_runs_counts_and_the_lines_since_equal_a_count_of_all_lines(
    clean: None, deliver: Deliver, client: httpx.AsyncClient, app: FastAPI, associate: Associate
) -> None:
    a, b, c, d = (uuid.uuid4() for _ in range(4))
    await deliver([contact(x) for x in (a, b, c, d)])
    await deliver(
        [
            # a buys P in euros and in dollars (counted once), Q twice in one order.
            order_of(a, "2026-09-03", line(1, P, "1", "100.00", "40.00")),
            in_currency(order_of(a, "2026-10-07", line(1, P, "2", "80.00", "60.00")), "USD"),
            order_of(
                a,
                "2026-10-08",
                line(1, Q, "1", "50.00", "45.00"),
                line(2, Q, "3", "150.00", "130.00"),
            ),
            # b: Q before the three months, R in pounds (no rate).
            order_of(b, "2026-07-20", line(1, Q, "1", "60.00", "50.00")),
            in_currency(order_of(b, "2026-10-01", line(1, R, "1", "70.00", "10.00")), "GBP"),
            order_of(c, "2026-01-15", line(1, P, "1", "90.00", "30.00")),
        ]
    )
    # Recorded an hour ago: before the run's cutoff (five minutes before it), so counted.
    async with app.state.runtime.session_factory() as session, session.begin():
        await session.execute(text("UPDATE orders SET recorded_at = now() - interval '1 hour'"))
    await associate()
    async with app.state.runtime.session_factory() as session:
        mixed = await session.scalar(text("SELECT count(*) FROM margin_mixed_buyers"))
    assert mixed == 2  # a's last P in euros and in dollars

    just_now = (datetime.now(UTC) - timedelta(minutes=1)).replace(tzinfo=None).isoformat()
    await deliver(
        [
            # Late: placed before the run, recorded after it. b's first Q in the three
            # months, not in the twelve (the run counted b's July).
            order_of(b, "2026-11-02", line(1, Q, "2", "100.00", "95.00")),
            # Placed after the cutoff: a again (counted by the run), d new, c in pounds.
            order_of(a, just_now, line(1, P, "1", "100.00", "50.00")),
            in_currency(order_of(d, just_now, line(1, P, "1", "40.00", "10.00")), "USD"),
            in_currency(order_of(c, just_now, line(1, R, "1", "30.00", "5.00")), "GBP"),
        ]
    )
    await set_rates(client, {"USD": 0.5})

    as_of = datetime.now(UTC).isoformat()
    asked = [
        {"as_of": as_of, "months": "3"},
        {"as_of": as_of, "months": "12", "threshold_percent": "60"},
        {"as_of": as_of, "months": "2", "threshold_percent": "70"},
    ]
    counted, live = await both_ways(client, app, asked)
    # A run that counted no margins (as one before migration 0024): every line is read.
    async with app.state.runtime.session_factory() as session, session.begin():
        await session.execute(
            text("INSERT INTO association_totals VALUES (4, now() - interval '5 minutes')")
        )
        await session.execute(text("DELETE FROM margin_orders"))
    without = (await client.get(MARGINS, params=asked[0])).json()
    await set_rates(client, {})

    assert counted == live
    assert without == live[0]
    three, twelve, two = counted
    by_product = {row["product_id"]: row for row in twelve["products"]}
    # P: a (euros and dollars), c, d; 100 + 100 + 90 euros and 80 + 40 dollars at 0.5.
    assert (by_product[str(P)]["customers"], by_product[str(P)]["orders"]) == (3, 5)
    assert by_product[str(P)]["revenue"] == "350.00"
    # Q: a's one order of two lines, b's two.
    assert (by_product[str(Q)]["customers"], by_product[str(Q)]["orders"]) == (2, 3)
    assert str(R) not in by_product
    assert twelve["left_out"] == {"orders": 2, "currencies": ["GBP"]}
    assert [row["customers"] for row in three["products"]] == [2, 2]
    # Under 60 %: Q (a, b) and P (a, c, d): four customers together.
    assert twelve["candidates"]["customers"] == 4
    assert two["candidates"]["products"] == 2
