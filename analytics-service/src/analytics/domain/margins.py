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
from itertools import pairwise

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


@dataclass(frozen=True)
class _Grid:
    """The (product, month, currency) cells numbered densely: products and currencies by
    their positions, months by their rank among the months of the lines (so counts per
    cell are a bincount, not a sort)."""

    products: int
    months: NDArray[np.int32]
    currencies: int

    @classmethod
    def of(cls, lines: Lines) -> _Grid:
        low = int(lines.months.min()) if len(lines.months) else 0
        present = np.flatnonzero(np.bincount(lines.months - low)) + low
        return cls(
            products=int(lines.products.max()) + 1 if len(lines.products) else 0,
            months=present.astype(np.int32),
            currencies=int(lines.currencies.max()) + 1 if len(lines.currencies) else 0,
        )

    @property
    def size(self) -> int:
        return self.products * len(self.months) * self.currencies

    def month_ranks(self, months: NDArray[np.int32]) -> NDArray[np.int16]:
        """Each month's rank among the lines' months (a few hundred at most: 2 bytes)."""
        return np.searchsorted(self.months, months).astype(np.int16)

    def index(
        self, products: NDArray[np.int32], ranks: NDArray[np.int16], currencies: NDArray[np.int32]
    ) -> NDArray[np.int64]:
        found = products.astype(np.int64)
        found *= len(self.months)
        found += ranks
        found *= self.currencies
        found += currencies
        return found

    def counted(self, index: NDArray[np.int64]) -> tuple[Cells, NDArray[np.int64]]:
        """The cells of the entries at `index` and how many are in each (of those with any)."""
        counts = np.bincount(index, minlength=self.size)
        found = np.flatnonzero(counts)
        return self.cells(found), counts[found].astype(np.int64)

    def cells(self, found: NDArray[np.int64]) -> Cells:
        product_rank, currency = np.divmod(found, max(self.currencies, 1))
        product, rank = np.divmod(product_rank, max(len(self.months), 1))
        return Cells(
            product.astype(np.int32), self.months[rank].astype(np.int32), currency.astype(np.int32)
        )


@dataclass(frozen=True)
class LineCounts:
    """What one pass over the lines gives: the purchases, sorted by customer, product and
    currency (for the co-purchase counts and the customers), and the distinct orders the
    run counts per (product, month, currency) cell and per (month, currency)."""

    purchases: Purchases
    cells: Cells
    cell_orders: NDArray[np.int64]
    order_months: NDArray[np.int32]
    order_currencies: NDArray[np.int32]
    orders: NDArray[np.int64]
    grid: _Grid


def _purchases(lines: Lines, grid: _Grid, ranks: NDArray[np.int16]) -> Purchases:
    """One sort of the values (customer, product, currency, month rank + 1, 0 for a line the
    run does not count) as int64s: each purchase's run ends with its last counted month."""
    slots = len(grid.months) + 1
    keys = lines.customers.astype(np.int64)
    keys *= grid.products
    keys += lines.products
    keys *= grid.currencies
    keys += lines.currencies
    keys *= slots
    keys += np.where(lines.counted, ranks + 1, 0).astype(np.int64)
    keys.sort()
    last = np.ones(len(keys), dtype=bool)
    last[:-1] = keys[1:] // slots != keys[:-1] // slots
    purchase, slot = np.divmod(keys[last], slots)
    del keys
    customer_product, currency = np.divmod(purchase, max(grid.currencies, 1))
    customer, product = np.divmod(customer_product, max(grid.products, 1))
    months = np.full(len(slot), NO_MONTH, dtype=np.int32)
    months[slot > 0] = grid.months[slot[slot > 0] - 1]
    return Purchases(
        customers=customer.astype(np.int32),
        products=product.astype(np.int32),
        currencies=currency.astype(np.int32),
        months=months,
    )


def _repeated(starts: NDArray[np.bool_], products: NDArray[np.int32]) -> NDArray[np.bool_]:
    """Per line of lines sorted by order (`starts`: the first line of each order), whether
    an earlier line of the same order has the same product. Orders are short: the k-th
    comparison looks only at lines at least k into their order."""
    at = np.arange(len(starts), dtype=np.int32)
    position = at - np.maximum.accumulate(np.where(starts, at, 0))
    del at
    repeated = np.zeros(len(starts), dtype=bool)
    deep = np.flatnonzero(position > 0)
    back = 1
    while len(deep):
        repeated[deep] |= products[deep] == products[deep - back]
        back += 1
        deep = deep[position[deep] >= back]
    return repeated


def count_lines(lines: Lines) -> LineCounts:
    """The purchases, and the orders per cell (an order's lines of one product once) and
    per month and currency (an order once), of the lines the run counts."""
    grid = _Grid.of(lines)
    ranks = grid.month_ranks(lines.months)
    by_order = np.argsort(lines.orders).astype(np.int32)
    by_order = by_order[lines.counted[by_order]]
    orders = lines.orders[by_order]
    starts = np.ones(len(orders), dtype=bool)
    starts[1:] = orders[1:] != orders[:-1]
    del orders
    once = by_order[~_repeated(starts, lines.products[by_order])]
    cells, cell_orders = grid.counted(
        grid.index(lines.products[once], ranks[once], lines.currencies[once])
    )
    del once
    per_order = by_order[starts]
    del by_order
    order_cells = np.bincount(
        ranks[per_order].astype(np.int64) * max(grid.currencies, 1) + lines.currencies[per_order],
        minlength=len(grid.months) * grid.currencies,
    )
    found = np.flatnonzero(order_cells)
    rank, currency = np.divmod(found, max(grid.currencies, 1))
    return LineCounts(
        purchases=_purchases(lines, grid, ranks),
        cells=cells,
        cell_orders=cell_orders,
        order_months=grid.months[rank].astype(np.int32),
        order_currencies=currency.astype(np.int32),
        orders=order_cells[found].astype(np.int64),
        grid=grid,
    )


def last_purchases(counts: LineCounts) -> LastPurchases:
    """The counts and numbers of the module docstring, of the purchases the run counts
    (sorted by customer, product and currency, as count_lines gives them)."""
    purchases, grid = counts.purchases, counts.grid
    counted = np.flatnonzero(purchases.months != NO_MONTH)
    pair = purchases.customers[counted].astype(np.int64) * grid.products
    pair += purchases.products[counted]
    starts = np.ones(len(pair), dtype=bool)
    starts[1:] = pair[1:] != pair[:-1]
    run = np.cumsum(starts) - 1
    several = np.bincount(run)[run] > 1 if len(run) else np.zeros(0, dtype=bool)
    index = grid.index(
        purchases.products[counted],
        grid.month_ranks(purchases.months[counted]),
        purchases.currencies[counted],
    )
    single, single_buyers = grid.counted(index[~several])
    numbered, sizes = grid.counted(index)
    customers = purchases.customers[counted][np.argsort(index, kind="stable")].astype("<i4")
    bounds = np.concatenate([[0], np.cumsum(sizes)]).tolist()
    return LastPurchases(
        single=single,
        single_buyers=single_buyers,
        mixed=counted[several],
        numbered=numbered,
        numbers=[customers[start:end].tobytes() for start, end in pairwise(bounds)],
    )


def count_numbered(lists: list[bytes]) -> int:
    """How many different numbers the lists of little-endian int32s hold together."""
    numbers = np.frombuffer(b"".join(lists), dtype="<i4")
    if not numbers.size:
        return 0
    seen = np.zeros(int(numbers.max()) + 1, dtype=bool)
    seen[numbers] = True
    return int(np.count_nonzero(seen))
