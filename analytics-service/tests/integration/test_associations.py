"""The co-purchase association run (migration 0022) on the real Postgres: its counts are a
count by hand, a second run replaces the first, a failed run leaves the last one, and what a
customer bought since the last run is never offered to them."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any

import httpx
import numpy as np
import pytest
from fastapi import FastAPI
from sqlalchemy import text

from analytics.entrypoints.dependencies import unit_of_work
from analytics.service_layer.associations import count_associations

from .conftest import Deliver
from .test_customer_value import contact
from .test_dashboard import order_at
from .test_product_margins import line, order_of

A, B, C, D = (uuid.uuid4() for _ in range(4))
Associate = Callable[[], Awaitable[dict[str, Any]]]


async def counted(app: FastAPI) -> dict[str, Any]:
    """Everything the last run wrote, as plain values."""
    async with app.state.runtime.session_factory() as session:

        async def rows(query: str) -> list[tuple[Any, ...]]:
            return [tuple(row) for row in (await session.execute(text(query))).all()]

        products = await rows(
            "SELECT product_id, position, sku, buyers, together FROM association_products"
        )
        at = {position: product for product, position, *_ in products}
        return {
            "pairs": {
                (product, at[other], int(n))
                for product, position, _, _, together in products
                for other, n in enumerate(np.frombuffer(together, dtype="<i4"))
                if n and other != position
            },
            "diagonal": all(
                np.frombuffer(together, dtype="<i4")[position] == buyers
                for _, position, _, buyers, together in products
            ),
            "positions": sorted(at),
            "products": {(product, sku, buyers) for product, _, sku, buyers, _ in products},
            "sales": set(
                await rows("SELECT product_id, currency, margin, lines FROM association_sales")
            ),
            "totals": [row[0] for row in await rows("SELECT population FROM association_totals")],
        }


async def test_the_run_counts_what_a_count_by_hand_gives_and_a_second_run_replaces_it(
    clean: None, deliver: Deliver, app: FastAPI, associate: Associate
) -> None:
    x, y, z = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    await deliver([contact(c) for c in (x, y, z)])
    await deliver(
        [
            # x bought A twice (two orders) and B: one buyer of A, not two.
            order_of(x, "2026-04-01", line(1, A, "1", "100.00", "60.00")),
            order_of(
                x,
                "2026-04-02",
                line(1, A, "1", "90.00", "60.00"),
                line(2, B, "1", "30.00", "20.00"),
            ),
            order_of(
                y,
                "2026-04-03",
                line(1, A, "1", "100.00", "60.00"),
                line(2, C, "1", "50.00", "30.00"),
            ),
            order_of(z, "2026-04-04", line(1, C, "2", "80.00", "70.00")),
        ]
    )

    run = await associate()

    assert (run["customers"], run["products"], run["pairs"]) == (3, 3, 2)
    sku = {p: f"SKU-{str(p)[:4]}" for p in (A, B, C, D)}
    assert await counted(app) == {
        "pairs": {(A, B, 1), (B, A, 1), (A, C, 1), (C, A, 1)},
        "diagonal": True,
        "positions": [0, 1, 2],
        "products": {(A, sku[A], 2), (B, sku[B], 1), (C, sku[C], 2)},
        "sales": {
            (A, "EUR", 110, 3),  # 40 + 30 + 40 over three lines
            (B, "EUR", 10, 1),
            (C, "EUR", 30, 2),
        },
        "totals": [3],
    }

    # z buys A and D: the next run counts from all lines again, nothing of the first stays.
    await deliver(
        [
            order_of(
                z, "2026-04-05", line(1, A, "1", "100.00", "60.00"), line(2, D, "1", "9.00", "8.00")
            )
        ]
    )
    run = await associate()

    assert (run["customers"], run["products"], run["pairs"]) == (3, 4, 4)
    after = await counted(app)
    assert after["pairs"] == {
        (A, B, 1), (B, A, 1), (A, C, 2), (C, A, 2), (A, D, 1), (D, A, 1), (C, D, 1), (D, C, 1)
    }  # fmt: skip
    assert (A, sku[A], 3) in after["products"]
    assert (D, sku[D], 1) in after["products"]
    assert (A, "EUR", 150, 4) in after["sales"]
    assert (after["diagonal"], after["positions"], after["totals"]) == (True, [0, 1, 2, 3], [3])


async def test_a_failed_run_leaves_the_last_counts_as_they_were(
    clean: None, deliver: Deliver, app: FastAPI, associate: Associate
) -> None:
    x, y = uuid.uuid4(), uuid.uuid4()
    await deliver([contact(x), contact(y)])
    await deliver(
        [
            order_of(
                x,
                "2026-04-01",
                line(1, A, "1", "100.00", "60.00"),
                line(2, B, "1", "30.00", "20.00"),
            )
        ]
    )
    await associate()
    before = await counted(app)
    await deliver(
        [
            order_of(
                y,
                "2026-04-02",
                line(1, A, "1", "100.00", "60.00"),
                line(2, C, "1", "50.00", "30.00"),
            )
        ]
    )

    async def fail_after_writing(progress: float) -> None:
        if progress >= 0.9:
            raise RuntimeError("the job's worker died before the commit")

    with pytest.raises(RuntimeError):
        await count_associations(lambda: unit_of_work(app.state.runtime), fail_after_writing)

    assert await counted(app) == before


async def test_a_product_bought_since_the_last_run_is_not_offered_and_its_buyer_is_no_prospect(
    clean: None, deliver: Deliver, client: httpx.AsyncClient, associate: Associate
) -> None:
    x, y, w = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    await deliver([contact(c) for c in (x, y, w)])
    both = [line(1, A, "1", "100.00", "60.00"), line(2, B, "1", "30.00", "20.00")]
    await deliver(
        [
            order_of(x, "2026-04-01", *both),
            order_of(y, "2026-04-02", *both),
            order_of(w, "2026-04-03", line(1, A, "1", "100.00", "60.00")),
        ]
    )
    await associate()
    offers = f"/api/v1/analytics/customers/{w}/offers"
    prospects = f"/api/v1/analytics/products/{B}/prospects"
    assert [o["product_id"] for o in (await client.get(offers)).json()["items"]] == [str(B)]
    assert [p["contact_id"] for p in (await client.get(prospects)).json()["items"]] == [str(w)]

    # w buys B; no run since.
    await deliver([order_of(w, "2026-04-04", line(1, B, "1", "30.00", "20.00"))])

    assert (await client.get(offers)).json()["items"] == []
    assert (await client.get(prospects)).json()["items"] == []


async def test_prospects_are_the_strongest_first_up_to_the_limit_ties_by_contact(
    clean: None, deliver: Deliver, client: httpx.AsyncClient, associate: Associate
) -> None:
    # A's buyers: 2 of 3 bought D; B's: 1 of 2; C's: 1 of 4. Prospects (no D yet): a1
    # through A, b1 through B, b2, c1 and c2 through C.
    a_d, a_d2, a1 = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    b_d, b1, b2 = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    c1, c2 = uuid.uuid4(), uuid.uuid4()
    people = [a_d, a_d2, a1, b_d, b1, b2, c1, c2]
    await deliver([contact(c) for c in people])
    d = line(2, D, "1", "10.00", "5.00")
    await deliver(
        [
            order_of(a_d, "2026-04-01", line(1, A, "1", "10.00", "5.00"), d),
            order_of(a_d2, "2026-04-01", line(1, A, "1", "10.00", "5.00"), d),
            order_of(a1, "2026-04-01", line(1, A, "1", "10.00", "5.00")),
            order_of(
                b_d,
                "2026-04-01",
                line(1, B, "1", "10.00", "5.00"),
                line(3, C, "1", "1.00", "1.00"),
                d,
            ),
            order_of(b1, "2026-04-01", line(1, B, "1", "10.00", "5.00")),
            order_of(b2, "2026-04-01", line(1, C, "1", "10.00", "5.00")),
            order_of(c1, "2026-04-01", line(1, C, "1", "10.00", "5.00")),
            order_of(c2, "2026-04-01", line(1, C, "1", "10.00", "5.00")),
        ]
    )
    await associate()

    async def prospects(limit: int) -> list[tuple[uuid.UUID, uuid.UUID, float]]:
        found = await client.get(
            f"/api/v1/analytics/products/{D}/prospects", params={"limit": limit}
        )
        return [
            (uuid.UUID(p["contact_id"]), uuid.UUID(p["because_of"]), p["confidence"])
            for p in found.json()["items"]
        ]

    everyone = await prospects(50)
    assert everyone == [
        (a1, A, 0.6667),
        (b1, B, 0.5),
        *sorted([(b2, C, 0.25), (c1, C, 0.25), (c2, C, 0.25)]),
    ]
    assert await prospects(2) == everyone[:2]
    assert await prospects(3) == everyone[:3]


async def test_cohorts_from_the_runs_counts_and_the_orders_since_equal_a_count_of_all_orders(
    clean: None, deliver: Deliver, client: httpx.AsyncClient, app: FastAPI, associate: Associate
) -> None:
    a, b, c = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    await deliver([contact(x) for x in (a, b, c)])
    await deliver(
        [
            order_at(a, "100.00", "2026-04-03"),
            order_at(a, "200.00", "2026-05-10"),
            order_at(b, "300.00", "2026-04-15"),
            order_at(b, "7.00", "2026-04-16").model_copy(update={"currency": "USD"}),
        ]
    )
    # Recorded an hour ago: before the run's cutoff (five minutes before it), so counted.
    async with app.state.runtime.session_factory() as session, session.begin():
        await session.execute(text("UPDATE orders SET recorded_at = now() - interval '1 hour'"))
    await associate()
    async with app.state.runtime.session_factory() as session:
        cells = await session.scalar(text("SELECT sum(customers) FROM cohort_months"))
    assert cells == 3  # a in April and May, b in April
    # Recorded after the run, placed before it: a again in May (a customer the run counted
    # there), b in a new month, c a new customer of May.
    await deliver(
        [
            order_at(a, "50.00", "2026-05-20"),
            order_at(b, "20.00", "2026-06-01"),
            order_at(c, "70.00", "2026-05-05"),
            order_at(c, "3.00", "2026-05-06").model_copy(update={"currency": "USD"}),
        ]
    )

    asked = {"months": "12", "as_of": datetime.now(UTC).isoformat()}
    counted = (await client.get("/api/v1/analytics/cohorts", params=asked)).json()
    async with app.state.runtime.session_factory() as session, session.begin():
        await session.execute(text("DELETE FROM association_totals"))
    from_orders = (await client.get("/api/v1/analytics/cohorts", params=asked)).json()

    assert counted == from_orders
    april, may = (
        row for row in counted["cohorts"] if row["cohort"] in ("2026-04-01", "2026-05-01")
    )
    assert (april["customers"], april["active"][:3]) == (2, [2, 1, 1])
    assert april["revenue"][:3] == ["400.00", "250.00", "20.00"]
    assert (may["customers"], may["active"][0], may["revenue"][0]) == (1, 1, "70.00")
    assert counted["left_out"] == {"orders": 2, "currencies": ["USD"]}
