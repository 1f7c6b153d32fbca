"""The margins' sums out of the association run's read of the lines (domain.line_sums),
against sums by hand, and the shares of the table's pages its connections read."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import numpy as np

from analytics.adapters.order_line_reader import page_shares
from analytics.domain.line_sums import COST, QUANTITY, REVENUE, LineSums, margin_months
from analytics.domain.margins import count_lines, last_purchases

from .test_margins import LINES, lines

# Near numeric(14,2)'s largest amount, in cents: a few of these overflow int64 when summed.
HUGE = 99_999_999_999_999
# (product, currency, month, counted, quantity in thousandths, revenue and cost in cents)
ROWS = [
    (0, 0, 600, True, 1_000, 10_050, 4_000),
    (0, 0, 600, True, 2_500, -1_999, -2_001),
    (0, 1, 600, True, 1_000, 7_000, 6_999),
    (0, 0, 601, False, 1_000, 500, 100),
    (1, 0, -5, True, 3_000, HUGE, HUGE - 1),
]


def sums_of(rows: list[tuple[int, int, int, bool, int, int, int]]) -> LineSums:
    product, currency, month, counted, *amounts = (
        np.array(column) for column in zip(*rows, strict=True)
    )
    return LineSums.of(
        2,
        product.astype(np.int32),
        currency.astype(np.int32),
        month.astype(np.int32),
        counted.astype(np.bool_),
        np.stack(amounts).astype(np.int64),
    )


def cells(sums: LineSums) -> dict[tuple[Any, ...], tuple[Any, ...]]:
    keys = zip(
        sums.products.tolist(),
        sums.line_currencies.tolist(),
        sums.months.tolist(),
        sums.counted.tolist(),
        strict=True,
    )
    values = zip(
        sums.lines.tolist(),
        sums.amounts(QUANTITY),
        sums.amounts(REVENUE),
        sums.amounts(COST),
        strict=True,
    )
    return dict(zip(keys, values, strict=True))


def test_lines_are_summed_exactly_per_product_currency_month_and_counted() -> None:
    found = cells(sums_of(ROWS))

    assert found == {
        (0, 0, 600, True): (2, Decimal("3.500"), Decimal("80.51"), Decimal("19.99")),
        (0, 1, 600, True): (1, Decimal("1.000"), Decimal("70.00"), Decimal("69.99")),
        (0, 0, 601, False): (1, Decimal("1.000"), Decimal("5.00"), Decimal("1.00")),
        (1, 0, -5, True): (1, Decimal("3.000"), Decimal(HUGE) / 100, Decimal(HUGE - 1) / 100),
    }


def test_parts_joined_sum_as_one_and_stay_exact_beyond_int64() -> None:
    many = [ROWS[-1]] * 50_000

    joined = LineSums.joined(2, [sums_of(ROWS[:2]), sums_of(ROWS[2:] + many), sums_of(many)])

    found = cells(joined)
    assert found[0, 0, 600, True] == cells(sums_of(ROWS))[0, 0, 600, True]
    # 100,001 lines of HUGE cents: about 1.0e19, over int64's 9.2e18.
    assert found[1, 0, -5, True][0] == 100_001
    assert found[1, 0, -5, True][2] == Decimal(HUGE * 100_001) / 100
    assert found[1, 0, -5, True][3] == Decimal((HUGE - 1) * 100_001) / 100


def test_sales_are_per_product_and_currency_of_every_line() -> None:
    sales = sums_of(ROWS).sales()

    found = zip(
        sales.products.tolist(),
        sales.currencies.tolist(),
        sales.margins,
        sales.lines.tolist(),
        strict=True,
    )
    assert list(found) == [
        (0, 0, Decimal("64.52"), 3),
        (0, 1, Decimal("0.01"), 1),
        (1, 0, Decimal("0.01"), 1),
    ]


def test_no_lines_sum_to_nothing() -> None:
    joined = LineSums.joined(1, [])

    assert (len(joined.keys), joined.sales().margins) == (0, [])


def test_each_counted_cell_gets_its_orders_and_last_buyers() -> None:
    counts = count_lines(lines(LINES))
    sums = sums_of([(p, c, m, k, 1_000, 100, 50) for _, _, p, c, m, k in LINES])

    months = margin_months(sums, counts, last_purchases(counts))

    found = zip(
        months.cells.products.tolist(),
        months.cells.currencies.tolist(),
        months.cells.months.tolist(),
        months.lines.tolist(),
        months.orders.tolist(),
        months.last_buyers.tolist(),
        months.revenue,
        strict=True,
    )
    # Order 10's two lines are one order; customer 1 bought product 0 in both currencies,
    # so is in neither cell's last buyers; customer 2's line since the cutoff is in none.
    assert list(found) == [
        (0, 0, 599, 1, 1, 0, Decimal("1.00")),
        (0, 0, 600, 2, 1, 0, Decimal("2.00")),
        (0, 0, 601, 1, 1, 1, Decimal("1.00")),
        (0, 1, 600, 1, 1, 0, Decimal("1.00")),
        (1, 0, 601, 1, 1, 1, Decimal("1.00")),
    ]


def test_the_pages_are_shared_out_and_the_last_share_is_open_ended() -> None:
    assert page_shares(10, 2) == [(0, 5), (5, 0xFFFFFFFF)]
    assert page_shares(0, 2) == [(0, 0), (0, 0xFFFFFFFF)]
    assert page_shares(7, 3) == [(0, 2), (2, 4), (4, 0xFFFFFFFF)]
