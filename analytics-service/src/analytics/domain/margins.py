"""The customers behind the offer margins (A6), as the association run counts them.

Who bought a product in a window is not a sum of monthly counts (a customer buys in many
months), but the window always runs from the start of a month to a moment after the
run's cutoff: a customer bought the product in it exactly when their last purchase of it
before the cutoff is in a month from the window's start on (or they bought it since, which
the read adds). So per product the run keeps its customers by the month of their last
purchase, per currency (the rates, which decide which currencies count, change at read
time):

- customers who bought the product in one currency only: a count per month and currency;
- customers who bought it in several: one row per currency with its last month, rare, so
  that a customer is counted once whichever of their currencies have a rate;
- every customer's number per month and currency, for the customers of several products
  together (a union, which no count per product gives).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

# Months as numbers: months since January 1970 (numpy's datetime64[M]).
NO_MONTH = -1


@dataclass(frozen=True)
class Lines:
    """Every order line, as numbers: its customer (numbered 0 ..), order (the first 8
    bytes of its random id: two of 10M orders share them with a chance of about 3 in a
    million), product and currency (positions in the run's lists), month, and whether the
    run counts it (recorded and placed before its cutoff)."""

    customers: NDArray[np.int32]
    orders: NDArray[np.uint64]
    products: NDArray[np.int32]
    currencies: NDArray[np.int32]
    months: NDArray[np.int32]
    counted: NDArray[np.bool_]


@dataclass(frozen=True)
class Purchases:
    """Per distinct (customer, product, currency) of the lines: `months` is the month of
    the customer's last purchase of the product in the currency that the run counts
    (NO_MONTH: none, only purchases since its cutoff)."""

    customers: NDArray[np.int32]
    products: NDArray[np.int32]
    currencies: NDArray[np.int32]
    months: NDArray[np.int32]


@dataclass(frozen=True)
class Cells:
    """Values per (product, month, currency) cell, one entry each."""

    products: NDArray[np.int32]
    months: NDArray[np.int32]
    currencies: NDArray[np.int32]


@dataclass(frozen=True)
class LastPurchases:
    """What the margins read needs of the customers (module docstring)."""

    # The customers of one currency per cell: how many made their last purchase there.
    single: Cells
    single_buyers: NDArray[np.int64]
    # Customers of several currencies: the row index (into Purchases) of each currency's.
    mixed: NDArray[np.intp]
    # Every customer's number per cell, as little-endian int32s.
    numbered: Cells
    numbers: list[bytes]


def _cells(
    products: NDArray[np.int32], months: NDArray[np.int32], currencies: NDArray[np.int32]
) -> tuple[Cells, NDArray[np.intp]]:
    """The distinct (product, month, currency) cells of the entries, and each entry's
    cell's index. Each cell as one int64 (a sort of integers, not of triples)."""
    low = int(months.min()) if len(months) else 0
    span = int(months.max()) - low + 1 if len(months) else 1
    width = int(currencies.max()) + 1 if len(months) else 1
    keys = (products.astype(np.int64) * span + (months - low)) * width + currencies
    found, cell = np.unique(keys, return_inverse=True)
    product_month, currency = np.divmod(found, width)
    product, month = np.divmod(product_month, span)
    return Cells(
        product.astype(np.int32), (month + low).astype(np.int32), currency.astype(np.int32)
    ), cell.reshape(-1)


def last_purchases(purchases: Purchases, product_count: int) -> LastPurchases:
    """The counts and numbers of the module docstring, of the purchases the run counts."""
    counted = np.flatnonzero(purchases.months != NO_MONTH)
    pair = purchases.customers[counted].astype(np.int64) * max(product_count, 1)
    pair += purchases.products[counted]
    _, pair_index, currencies = np.unique(pair, return_inverse=True, return_counts=True)
    several = currencies[pair_index.reshape(-1)] > 1
    single_rows = counted[~several]
    single, single_cell = _cells(
        purchases.products[single_rows],
        purchases.months[single_rows],
        purchases.currencies[single_rows],
    )
    numbered, cell = _cells(
        purchases.products[counted], purchases.months[counted], purchases.currencies[counted]
    )
    by_cell = np.argsort(cell, kind="stable")
    bounds = np.searchsorted(cell[by_cell], np.arange(len(numbered.products) + 1))
    customers = purchases.customers[counted][by_cell].astype("<i4")
    return LastPurchases(
        single=single,
        single_buyers=np.bincount(single_cell, minlength=len(single.products)).astype(np.int64),
        mixed=counted[several],
        numbered=numbered,
        numbers=[
            customers[start:end].tobytes()
            for start, end in zip(bounds[:-1].tolist(), bounds[1:].tolist(), strict=True)
        ],
    )


@dataclass(frozen=True)
class LineCounts:
    """What one pass over the lines gives: the purchases (for the co-purchase counts and
    the customers), and the distinct orders the run counts per (product, month, currency)
    cell and per (month, currency)."""

    purchases: Purchases
    cells: Cells
    cell_orders: NDArray[np.int64]
    order_months: NDArray[np.int32]
    order_currencies: NDArray[np.int32]
    orders: NDArray[np.int64]


def count_lines(lines: Lines) -> LineCounts:
    """One sort of the lines by (customer, product, currency, month, order), uncounted
    lines at month NO_MONTH: each (customer, product, currency) run ends with its last
    counted month, and an order's lines of a product are next to each other."""
    month = np.where(lines.counted, lines.months, NO_MONTH).astype(np.int64)
    low = int(month.min()) if len(month) else 0
    span = int(month.max()) - low + 1 if len(month) else 1
    products = int(lines.products.max()) + 1 if len(month) else 1
    currencies = int(lines.currencies.max()) + 1 if len(month) else 1
    purchase = (lines.customers.astype(np.int64) * products + lines.products) * currencies
    purchase += lines.currencies
    order = np.lexsort((lines.orders, purchase * span + (month - low)))
    purchase, month, orders = purchase[order], month[order], lines.orders[order]
    last = np.ones(len(order), dtype=bool)
    last[:-1] = purchase[1:] != purchase[:-1]
    customer_product, currency = np.divmod(purchase[last], currencies)
    customer, product = np.divmod(customer_product, products)
    # An order's first line of a product the run counts: one per distinct (order, product).
    first = np.ones(len(order), dtype=bool)
    first[1:] = (purchase[1:] != purchase[:-1]) | (month[1:] != month[:-1])
    first[1:] |= orders[1:] != orders[:-1]
    first &= month != NO_MONTH
    cells, cell = _cells(
        (purchase[first] // currencies % products).astype(np.int32),
        month[first].astype(np.int32),
        (purchase[first] % currencies).astype(np.int32),
    )
    by_order = np.unique(lines.orders[lines.counted], return_index=True)[1]
    counted = np.flatnonzero(lines.counted)[by_order]
    order_cells, order_cell = np.unique(
        lines.months[counted].astype(np.int64) * currencies + lines.currencies[counted],
        return_inverse=True,
    )
    order_month, order_currency = np.divmod(order_cells, currencies)
    return LineCounts(
        purchases=Purchases(
            customers=customer.astype(np.int32),
            products=product.astype(np.int32),
            currencies=currency.astype(np.int32),
            months=month[last].astype(np.int32),
        ),
        cells=cells,
        cell_orders=np.bincount(cell, minlength=len(cells.products)).astype(np.int64),
        order_months=order_month.astype(np.int32),
        order_currencies=order_currency.astype(np.int32),
        orders=np.bincount(order_cell.reshape(-1), minlength=len(order_cells)).astype(np.int64),
    )


def count_numbered(lists: list[bytes]) -> int:
    """How many different numbers the lists of little-endian int32s hold together."""
    numbers = np.frombuffer(b"".join(lists), dtype="<i4")
    if not numbers.size:
        return 0
    seen = np.zeros(int(numbers.max()) + 1, dtype=bool)
    seen[numbers] = True
    return int(np.count_nonzero(seen))
