"""How customer values spread: the CLV histogram and the Pareto curve behind the ABC split.

The values come from the read model; the binning and the running shares are computed here so
that the edge cases (no customers, everyone equal, negative values) are decided once.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_FLOOR, Decimal

CENT = Decimal("0.01")


def median(values: Sequence[Decimal]) -> Decimal | None:
    """The middle value (the mean of the two middle ones for an even count); none of nothing."""
    ranked = sorted(values)
    if not ranked:
        return None
    middle = len(ranked) // 2
    if len(ranked) % 2:
        return ranked[middle]
    return ((ranked[middle - 1] + ranked[middle]) / 2).quantize(CENT)


@dataclass(frozen=True)
class Bin:
    """Customers whose value is in [low, high); the last bin includes its high edge."""

    low: Decimal
    high: Decimal
    customers: int


def histogram(values: Sequence[Decimal], bins: int) -> list[Bin]:
    """`bins` bins of equal width from the lowest to the highest value (edges to the cent).
    No values: no bins. All values equal: one bin holding them all."""
    if not values:
        return []
    low, high = min(values), max(values)
    if low == high:
        return [Bin(low, high, len(values))]
    width = (high - low) / bins
    counts = [0] * bins
    for value in values:
        # The highest value would open a bin of its own: it belongs to the last one.
        index = min(int(((value - low) / width).to_integral_value(ROUND_FLOOR)), bins - 1)
        counts[index] += 1
    edges = [(low + width * i).quantize(CENT) for i in range(bins)] + [high.quantize(CENT)]
    return [Bin(edges[i], edges[i + 1], counts[i]) for i in range(bins)]


@dataclass(frozen=True)
class ParetoBucket:
    """One slice of the customers ranked by value, highest first."""

    customers: int
    customer_share: float
    value: Decimal
    value_share: float
    cumulative_share: float


def pareto(values: Sequence[Decimal], buckets: int) -> list[ParetoBucket]:
    """The customers ranked by value (negatives count as 0, as in the ABC split) in `buckets`
    slices of (nearly) equal size; per slice its value, its share of the total and the
    running share up to and including it — the cumulative line of a Pareto chart. The
    customer share is the running share of customers at the slice's end."""
    ranked = sorted((max(value, Decimal(0)) for value in values), reverse=True)
    if not ranked:
        return []
    count = min(buckets, len(ranked))
    total = sum(ranked, Decimal(0))
    size, extra = divmod(len(ranked), count)
    found: list[ParetoBucket] = []
    start = 0
    running = Decimal(0)
    for index in range(count):
        end = start + size + (1 if index < extra else 0)
        value = sum(ranked[start:end], Decimal(0))
        running += value
        found.append(
            ParetoBucket(
                customers=end - start,
                customer_share=round(end / len(ranked), 4),
                value=value,
                value_share=round(float(value / total), 4) if total > 0 else 0.0,
                cumulative_share=round(float(running / total), 4) if total > 0 else 0.0,
            )
        )
        start = end
    return found
