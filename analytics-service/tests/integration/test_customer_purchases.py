"""The purchase summary the database keeps for the CLV fit (`customer_purchases`, migration
0021): recounted against the orders after orders, replays, a merge and an erasure; and the
fit's inputs from it equal those grouped from the orders, for any as_of and exchange rates."""

from __future__ import annotations

import asyncio
import random
import uuid
from collections import defaultdict
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from fastapi import FastAPI
from sqlalchemy import text

from analytics.adapters.clv_repository import ClvRepository
from analytics.domain.money import ReportingCurrency
from analytics.entrypoints.events import on_orders_recorded
from treue.events.contracts import ContactErasedV1, ContactMergedV1, OrderRecordedV1

from .conftest import Deliver, event_of
from .test_customer_value import NOW, contact, order


def bought(
    contact_id: uuid.UUID, revenue: str, days: int, hour: int = 10, currency: str = "EUR"
) -> OrderRecordedV1:
    at = NOW + timedelta(days=days, hours=hour)
    return order(contact_id, revenue, "1.00", days).model_copy(
        update={"ordered_at": at, "recorded_at": at, "currency": currency}
    )


async def orders_of(app: FastAPI) -> list[Any]:
    async with app.state.runtime.session_factory() as session:
        return list(
            await session.execute(
                text("SELECT contact_id, ordered_at, currency, revenue FROM orders")
            )
        )


def recount(orders: list[Any]) -> dict[uuid.UUID, tuple[Any, ...]]:
    """The summary from its definition: per customer, the one currency (or none), first and
    last UTC purchase day, purchase days, orders, revenue of the days after the first."""
    by_customer: dict[uuid.UUID, list[Any]] = defaultdict(list)
    for row in orders:
        by_customer[row.contact_id].append(row)
    found = {}
    for contact_id, rows in by_customer.items():
        days = [row.ordered_at.astimezone(UTC).date() for row in rows]
        currencies = {row.currency for row in rows}
        repeat = sum(
            (row.revenue for row, day in zip(rows, days, strict=True) if day > min(days)),
            Decimal(0),
        )
        found[contact_id] = (
            currencies.pop() if len(currencies) == 1 else None,
            min(days),
            max(days),
            len(set(days)),
            len(rows),
            repeat,
        )
    return found


async def summary(app: FastAPI) -> dict[uuid.UUID, tuple[Any, ...]]:
    async with app.state.runtime.session_factory() as session:
        rows = await session.execute(
            text(
                "SELECT contact_id, currency, first_day, last_day, days, orders, repeat_revenue"
                " FROM customer_purchases"
            )
        )
        return {row.contact_id: tuple(row[1:]) for row in rows}


async def test_the_summary_follows_orders_replays_merges_and_erasure(
    clean: None, deliver: Deliver, app: FastAPI
) -> None:
    jana, duplicate, bob = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    await deliver([contact(jana), contact(duplicate), contact(bob)])
    first = bought(jana, "100.00", days=1)
    # Two orders on one day are one purchase day; 23:30 and 00:30 UTC are two.
    await deliver([first, bought(jana, "20.00", days=1, hour=15), bought(jana, "5.00", days=4)])
    await deliver([bought(bob, "30.00", days=2, hour=23), bought(bob, "7.50", days=3, hour=0)])
    await deliver(
        [bought(duplicate, "40.00", days=0), bought(duplicate, "9.00", days=6, currency="USD")]
    )
    # Replays add nothing.
    await deliver([event_of(first, str(jana)), first])
    assert await summary(app) == recount(await orders_of(app))
    assert (await summary(app))[jana] == (
        "EUR",
        date(2026, 5, 2),
        date(2026, 5, 5),
        2,
        3,
        Decimal("5.00"),
    )
    assert (await summary(app))[duplicate][0] is None

    # An order arriving late, before the first purchase day: the old first day becomes a repeat.
    await deliver([bought(jana, "1.00", days=0)])
    assert (await summary(app))[jana][1:] == (
        date(2026, 5, 1),
        date(2026, 5, 5),
        3,
        4,
        Decimal("125.00"),
    )

    merge = ContactMergedV1(contact_id=jana, duplicate_id=duplicate, merged_at=datetime.now(UTC))
    await deliver([merge, merge])
    after_merge = await summary(app)
    assert duplicate not in after_merge
    assert after_merge[jana][0] is None
    assert after_merge == recount(await orders_of(app))

    await deliver([ContactErasedV1(contact_id=bob, erased_at=datetime.now(UTC))])
    after_erasure = await summary(app)
    assert bob not in after_erasure
    assert after_erasure == recount(await orders_of(app))
    assert len(after_erasure) == 2


async def test_orders_in_any_order_leave_the_summary_equal_to_a_recount(
    clean: None, deliver: Deliver, app: FastAPI
) -> None:
    """New orders add to the summary; one before the last purchase day recounts. Batches
    mixing new customers, later days, the last day again, late days, days before the first
    and a second currency must all end where a recount from the orders ends."""
    shuffled = random.Random(20261129)
    customers = [uuid.uuid4() for _ in range(12)]
    await deliver([contact(customer) for customer in customers])
    for _ in range(6):
        batch = [
            bought(
                customer,
                f"{shuffled.randint(1, 9999) / 100:.2f}",
                days=shuffled.randint(0, 30),
                hour=shuffled.choice([0, 11, 23]),
                currency=shuffled.choice(["EUR", "EUR", "EUR", "USD"]),
            )
            for customer in shuffled.choices(customers, k=20)
        ]
        await deliver(batch)
        assert await summary(app) == recount(await orders_of(app))


async def test_concurrent_orders_of_one_customer_both_count(
    clean: None, deliver: Deliver, app: FastAPI
) -> None:
    # No contact yet (orders may come first): no customer row whose lock would already
    # order the two transactions.
    jana = uuid.uuid4()
    await deliver([bought(jana, "10.00", days=1)])
    sessions = app.state.runtime.session_factory

    async with sessions() as first, sessions() as second:
        await on_orders_recorded(first, [event_of(bought(jana, "20.00", days=3), str(jana))])

        async def record_the_other() -> None:
            await on_orders_recorded(second, [event_of(bought(jana, "30.00", days=5), str(jana))])
            await second.commit()

        # The second transaction waits for the first's summary row; its recount then sees
        # the first's order, not the summary as it was when the second one started.
        other = asyncio.create_task(record_the_other())
        await asyncio.sleep(1)
        assert not other.done()
        await first.commit()
        await other

    assert await summary(app) == recount(await orders_of(app))
    assert (await summary(app))[jana][3:] == (3, 3, Decimal("50.00"))


def expected_histories(
    orders: list[Any], as_of: date, money: ReportingCurrency
) -> list[tuple[bytes, int, int, int, float]]:
    """The fit's inputs grouped from the orders, as the recompute did before the summary."""
    spend: dict[uuid.UUID, dict[date, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    for row in orders:
        day, rate = row.ordered_at.astimezone(UTC).date(), money.rate(row.currency)
        if day <= as_of and rate is not None:
            spend[row.contact_id][day] += row.revenue * rate
    found = []
    for contact_id in sorted(spend, key=lambda c: c.bytes):
        days = spend[contact_id]
        first = min(days)
        repeat = sum((v for d, v in days.items() if d > first), Decimal(0))
        found.append(
            (contact_id.bytes, len(days) - 1, max(days) - first, as_of - first, float(repeat))
        )
    return [(c, x, int(r.days), int(t.days), m) for c, x, r, t, m in found]


@pytest.mark.parametrize(
    ("as_of", "rates"),
    [
        (date(2026, 6, 1), {}),
        (date(2026, 6, 1), {"USD": Decimal("0.92")}),
        (date(2026, 5, 4), {"USD": Decimal("0.92")}),
        (date(2026, 5, 2), {}),
    ],
)
async def test_the_fit_reads_the_same_inputs_as_from_the_orders(
    clean: None, deliver: Deliver, app: FastAPI, as_of: date, rates: dict[str, Decimal]
) -> None:
    euros, mixed, dollars, late = uuid.uuid4(), uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    await deliver(
        [
            bought(euros, "100.10", days=1),
            bought(euros, "20.20", days=1, hour=15),
            bought(euros, "5.05", days=4),
            bought(euros, "7.00", days=8),
            bought(mixed, "40.00", days=0),
            bought(mixed, "9.99", days=2, currency="USD"),
            bought(mixed, "3.33", days=2),
            bought(dollars, "12.34", days=1, currency="USD"),
            bought(dollars, "56.78", days=3, currency="USD"),
            bought(late, "10.00", days=1),
            bought(late, "11.00", days=20),
        ]
    )
    money = ReportingCurrency("EUR", rates)
    orders = await orders_of(app)

    async with app.state.runtime.session_factory() as session:
        repository = ClvRepository(session)
        found = await repository.purchase_histories(as_of, money)
        left_out = await repository.left_out(as_of, money)

    history = found.history
    read = [
        (
            bytes(found.contact_ids[i]),
            int(history.repeat_purchases[i]),
            int(history.recency_days[i]),
            int(history.age_days[i]),
            float(history.repeat_spend[i] * history.repeat_purchases[i]),
        )
        for i in range(len(found))
    ]
    expected = expected_histories(orders, as_of, money)
    assert [row[:4] for row in read] == [row[:4] for row in expected]
    assert [row[4] for row in read] == pytest.approx([row[4] for row in expected], rel=1e-12)
    until = datetime.combine(as_of + timedelta(days=1), datetime.min.time(), UTC)
    kept = [row for row in orders if row.ordered_at < until]
    unconverted = [row for row in kept if money.rate(row.currency) is None]
    converting = {row.contact_id for row in kept if money.rate(row.currency) is not None}
    assert left_out == {
        "left_out_orders": len(unconverted),
        "left_out_customers": len({row.contact_id for row in kept} - converting),
        "left_out_currencies": sorted({row.currency for row in unconverted}),
    }
