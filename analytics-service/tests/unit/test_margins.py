"""The margins' counts out of the order lines (domain.margins), against counts by hand."""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import NDArray

from analytics.domain.margins import NO_MONTH, Lines, count_lines, count_numbered, last_purchases

# (customer, order, product, currency, month, counted): customer 0 buys product 0 twice in
# order 10 and again in order 11 a month later, and product 1 in order 11 too; customer 1
# buys product 0 in both currencies; customer 2 only since the cutoff.
LINES = [
    (0, 10, 0, 0, 600, True),
    (0, 10, 0, 0, 600, True),
    (0, 11, 0, 0, 601, True),
    (0, 11, 1, 0, 601, True),
    (1, 12, 0, 0, 599, True),
    (1, 13, 0, 1, 600, True),
    (2, 14, 0, 0, 602, False),
]


def lines(rows: list[tuple[int, int, int, int, int, bool]]) -> Lines:
    columns = list(zip(*rows, strict=True)) if rows else [()] * 6
    return Lines(
        customers=np.array(columns[0], dtype=np.int32),
        orders=np.array(columns[1], dtype=np.uint64),
        products=np.array(columns[2], dtype=np.int32),
        currencies=np.array(columns[3], dtype=np.int32),
        months=np.array(columns[4], dtype=np.int32),
        counted=np.array(columns[5], dtype=np.bool_),
    )


def by_key(*columns: NDArray[Any], values: NDArray[Any]) -> dict[tuple[int, ...], int]:
    keys = zip(*(column.tolist() for column in columns), strict=True)
    return dict(zip(keys, values.tolist(), strict=True))


def test_a_pass_over_the_lines_counts_distinct_orders_and_each_purchases_last_month() -> None:
    counted = count_lines(lines(LINES))

    purchases = counted.purchases
    assert sorted(
        zip(
            purchases.customers.tolist(),
            purchases.products.tolist(),
            purchases.currencies.tolist(),
            purchases.months.tolist(),
            strict=True,
        )
    ) == [(0, 0, 0, 601), (0, 1, 0, 601), (1, 0, 0, 599), (1, 0, 1, 600), (2, 0, 0, NO_MONTH)]
    cells = counted.cells
    by_cell = by_key(cells.products, cells.months, cells.currencies, values=counted.cell_orders)
    # Order 10's two lines of product 0 are one order; the line since the cutoff is none.
    assert by_cell == {
        (0, 599, 0): 1,
        (0, 600, 0): 1,
        (0, 600, 1): 1,
        (0, 601, 0): 1,
        (1, 601, 0): 1,
    }
    by_month = by_key(counted.order_months, counted.order_currencies, values=counted.orders)
    # Order 11 has two products and is one order.
    assert by_month == {(599, 0): 1, (600, 0): 1, (600, 1): 1, (601, 0): 1}


def test_customers_of_one_currency_are_counted_and_of_several_kept_apart() -> None:
    last = last_purchases(count_lines(lines(LINES)))

    single = by_key(last.single.products, last.single.months, values=last.single_buyers)
    # Customer 0's last purchase of each product is in month 601; customer 1 bought
    # product 0 in two currencies, so is not in these counts.
    assert single == {(0, 601): 1, (1, 601): 1}
    assert len(last.mixed) == 2
    numbered = {
        (p, m, c): np.frombuffer(found, dtype="<i4").tolist()
        for p, m, c, found in zip(
            last.numbered.products.tolist(),
            last.numbered.months.tolist(),
            last.numbered.currencies.tolist(),
            last.numbers,
            strict=True,
        )
    }
    assert numbered == {(0, 599, 0): [1], (0, 600, 1): [1], (0, 601, 0): [0], (1, 601, 0): [0]}


def test_no_lines_count_nothing() -> None:
    counted = count_lines(lines([]))
    last = last_purchases(counted)

    assert (len(counted.purchases.customers), len(counted.cell_orders), len(counted.orders)) == (
        0,
        0,
        0,
    )
    assert (len(last.single_buyers), len(last.mixed), last.numbers) == (0, 0, [])


def test_the_numbers_of_several_lists_count_once_each() -> None:
    def numbers(*found: int) -> bytes:
        return np.array(found, dtype="<i4").tobytes()

    assert count_numbered([numbers(3, 1), numbers(1, 7), numbers()]) == 3
    assert count_numbered([]) == 0
