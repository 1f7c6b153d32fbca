"""The margins' sums (A6) out of the association run's one read of the order lines: per
product, month, currency and whether the run counts the line, the lines and their quantity,
revenue and cost, exactly.

The amounts come as integers (thousandths of a unit, cents) and are summed a part of the
lines at a time, so the run keeps only the sums of each part, never every line's amounts.
The sums stay exact at any size: each amount is split into a high and a low part of
`_LOW_BITS` bits, whose sums numpy adds as float64 (exact below 2**53) per part and as int64
across parts, and Python's integers put them together at the end.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

import numpy as np
from numpy.typing import NDArray

from analytics.domain.margins import Cells, LastPurchases, LineCounts

# A line's amounts: quantity in thousandths, revenue and cost in cents (numeric(12,3) and
# numeric(14,2): under 2**47 in size, so the high part is under 2**23 and a part of 2**29
# lines sums each half exactly in float64).
QUANTITY, REVENUE, COST = range(3)
_AMOUNTS = 3
_SCALES = (3, 2, 2)
_LOW_BITS = 24
# A cell's key: (product, currency, counted) above, the month (offset to be positive) in the
# low 32 bits.
_MONTH_BITS = 32
_MONTH_OFFSET = 1 << 31


@dataclass(frozen=True)
class Sales:
    """Per product and currency of all lines (counted by the run or not): the sum of revenue
    - cost and the lines."""

    products: NDArray[np.int32]
    currencies: NDArray[np.int32]
    margins: list[Decimal]
    lines: NDArray[np.int64]


def _summed(
    keys: NDArray[np.int64], lines: NDArray[np.int64], halves: NDArray[np.int64]
) -> tuple[NDArray[np.int64], NDArray[np.int64], NDArray[np.int64]]:
    """The distinct keys, sorted, with the lines and halves of each summed (int64)."""
    order = np.argsort(keys, kind="stable")
    keys = keys[order]
    starts = np.flatnonzero(np.concatenate([[True], keys[1:] != keys[:-1]])) if len(keys) else order
    return (
        keys[starts],
        np.add.reduceat(lines[order], starts) if len(keys) else lines,
        np.add.reduceat(halves[:, :, order], starts, axis=2) if len(keys) else halves,
    )


def _numbered(
    groups: NDArray[np.int64], months: NDArray[np.int32]
) -> tuple[NDArray[np.intp], int, Callable[[NDArray[np.intp]], NDArray[np.int64]]]:
    """Each line's cell (group, month) as a number below a size, and the key of a number.
    A part of the lines read in the table's order spans a month or two: its cells are
    numbered densely then (counted by bincount, no sort); else by a sort of their keys."""
    if not len(groups):
        return np.zeros(0, dtype=np.intp), 0, lambda found: np.zeros(0, dtype=np.int64)
    low = int(months.min())
    span = int(months.max()) - low + 1
    size = (int(groups.max()) + 1) * span
    if size <= 4 * len(groups):

        def key_of_dense(found: NDArray[np.intp]) -> NDArray[np.int64]:
            group, month = np.divmod(found.astype(np.int64), span)
            keys: NDArray[np.int64] = (group << _MONTH_BITS) + (month + low + _MONTH_OFFSET)
            return keys

        return groups * span + (months - low), size, key_of_dense
    keys = (groups << _MONTH_BITS) + (months.astype(np.int64) + _MONTH_OFFSET)
    cells, inverse = np.unique(keys, return_inverse=True)
    return inverse, len(cells), lambda found: cells[found]


@dataclass(frozen=True)
class LineSums:
    """Per cell (`keys`, sorted), the lines and each amount's high and low sums (shape
    (amount, 2, cell))."""

    currencies: int
    keys: NDArray[np.int64]
    lines: NDArray[np.int64]
    halves: NDArray[np.int64]

    @classmethod
    def of(
        cls,
        currencies: int,
        products: NDArray[np.int32],
        line_currencies: NDArray[np.int32],
        months: NDArray[np.int32],
        counted: NDArray[np.bool_],
        amounts: NDArray[np.int64],
    ) -> LineSums:
        """The sums of some lines (`amounts`: shape (amount, line)); `currencies`: how many
        the run numbers (positions 0 ..)."""
        group = products.astype(np.int64) * currencies + line_currencies
        group = group * 2 + counted
        index, size, key_of = _numbered(group, months)
        lines = np.bincount(index, minlength=size)
        found = np.flatnonzero(lines)
        halves = np.empty((_AMOUNTS, 2, len(found)), dtype=np.int64)
        for amount in range(_AMOUNTS):
            high = amounts[amount] >> _LOW_BITS
            low = amounts[amount] - (high << _LOW_BITS)
            for half, values in enumerate((high, low)):
                summed = np.bincount(index, weights=values.astype(np.float64), minlength=size)
                halves[amount, half] = summed[found]
        return cls(currencies, key_of(found), lines[found].astype(np.int64), halves)

    @classmethod
    def joined(cls, currencies: int, parts: list[LineSums]) -> LineSums:
        """The sums of all parts' lines together."""
        keys, lines, halves = _summed(
            np.concatenate([part.keys for part in parts] or [np.zeros(0, np.int64)]),
            np.concatenate([part.lines for part in parts] or [np.zeros(0, np.int64)]),
            np.concatenate(
                [part.halves for part in parts] or [np.zeros((_AMOUNTS, 2, 0), np.int64)], 2
            ),
        )
        return cls(currencies, keys, lines, halves)

    def _groups(self) -> NDArray[np.int64]:
        return self.keys >> _MONTH_BITS

    @property
    def products(self) -> NDArray[np.int32]:
        return (self._groups() // 2 // self.currencies).astype(np.int32)

    @property
    def line_currencies(self) -> NDArray[np.int32]:
        return (self._groups() // 2 % self.currencies).astype(np.int32)

    @property
    def counted(self) -> NDArray[np.bool_]:
        return (self._groups() % 2).astype(np.bool_)

    @property
    def months(self) -> NDArray[np.int32]:
        return ((self.keys & ((1 << _MONTH_BITS) - 1)) - _MONTH_OFFSET).astype(np.int32)

    def amounts(self, amount: int, cells: NDArray[np.intp] | None = None) -> list[Decimal]:
        """One amount's exact sum at each of `cells` (all when None), in its unit."""
        high, low = self.halves[amount] if cells is None else self.halves[amount][:, cells]
        return [
            Decimal((h << _LOW_BITS) + lo).scaleb(-_SCALES[amount])
            for h, lo in zip(high.tolist(), low.tolist(), strict=True)
        ]

    def sales(self) -> Sales:
        """The sums per product and currency, of every line."""
        groups, lines, halves = _summed(self._groups() // 2, self.lines, self.halves)
        revenue, cost = (
            [(h << _LOW_BITS) + lo for h, lo in zip(*halves[amount].tolist(), strict=True)]
            for amount in (REVENUE, COST)
        )
        return Sales(
            products=(groups // self.currencies).astype(np.int32),
            currencies=(groups % self.currencies).astype(np.int32),
            margins=[Decimal(r - c).scaleb(-2) for r, c in zip(revenue, cost, strict=True)],
            lines=lines,
        )

    def cell_index(self, cells: Cells) -> NDArray[np.intp]:
        """Where `cells` of counted lines are among these sums' cells (each must be there)."""
        group = (cells.products.astype(np.int64) * self.currencies + cells.currencies) * 2 + 1
        keys = (group << _MONTH_BITS) + (cells.months.astype(np.int64) + _MONTH_OFFSET)
        return np.searchsorted(self.keys, keys)


@dataclass(frozen=True)
class MarginMonths:
    """Per (product, month, currency) cell of the lines the run counts: their sums, lines
    and orders, and the customers whose last purchase of the product is there (of those
    who bought it in one currency)."""

    cells: Cells
    quantity: list[Decimal]
    revenue: list[Decimal]
    cost: list[Decimal]
    lines: NDArray[np.int64]
    orders: NDArray[np.int64]
    last_buyers: NDArray[np.int64]


def margin_months(sums: LineSums, counts: LineCounts, last: LastPurchases) -> MarginMonths:
    """The sums' counted cells with the orders and customers numpy counted per cell (its
    cells of orders are those of the counted lines, its cells of buyers some of them)."""
    orders = np.zeros(len(sums.keys), dtype=np.int64)
    orders[sums.cell_index(counts.cells)] = counts.cell_orders
    buyers = np.zeros(len(sums.keys), dtype=np.int64)
    buyers[sums.cell_index(last.single)] = last.single_buyers
    counted = np.flatnonzero(sums.counted)
    return MarginMonths(
        cells=Cells(sums.products[counted], sums.months[counted], sums.line_currencies[counted]),
        quantity=sums.amounts(QUANTITY, counted),
        revenue=sums.amounts(REVENUE, counted),
        cost=sums.amounts(COST, counted),
        lines=sums.lines[counted],
        orders=orders[counted],
        last_buyers=buyers[counted],
    )
