"""How customer values spread: the CLV histogram and the Pareto curve behind the ABC split.

The values come from the read model; the binning and the running shares are computed here so
that the edge cases (no customers, everyone equal, negative values) are decided once.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

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
    """Customers whose value is in [low, high)."""

    low: Decimal
    high: Decimal
    customers: int


# The edges' ladders, finest first: 1-2-5 per decade, then one edge per decade, then one
# per 2, 3, ... decades, until the bins fit the number asked for.
_FINEST = (1, 2, 5)
_MAX_DECADES_PER_STEP = 40


def histogram(values: Sequence[Decimal], bins: int) -> list[Bin]:
    """At most `bins` bins on a log scale with round edges (1, 2, 5, 10, 20, 50, ... or
    whole decades when that gives too many), from the round edge at or below the smallest
    positive value to the first one above the highest. CLV is spread over orders of
    magnitude (most customers worth hundreds, a few millions): equal-width bins put nearly
    everyone in the first bin, while each bin here is a step of the same ratio, and its
    round edges read at a glance. Values under a cent (zero, negative) share one bin below
    the lowest edge. No values: no bins; nothing of a cent or more: one bin holding all."""
    if not values:
        return []
    positive = [value for value in values if value >= CENT]
    if not positive:
        return [Bin(min(values), max(values), len(values))]
    low, high = min(positive), max(positive)
    nonpositive = len(values) - len(positive)
    room = max(bins - (1 if nonpositive else 0), 1)
    edges = _edges(low, high, _FINEST, 1)
    decades = 1
    while len(edges) - 1 > room and decades <= _MAX_DECADES_PER_STEP:
        edges = _edges(low, high, (1,), decades)
        decades += 1
    counts = [0] * (len(edges) - 1)
    for value in positive:
        counts[bisect_right(edges, value) - 1] += 1
    found = [Bin(edges[i], edges[i + 1], counts[i]) for i in range(len(counts))]
    if nonpositive:
        found.insert(0, Bin(min(min(values), Decimal(0)), edges[0], nonpositive))
    return found


def _edges(low: Decimal, high: Decimal, factors: tuple[int, ...], decades: int) -> list[Decimal]:
    """The ladder's values from the largest at or below `low` to the first above `high`."""
    exponent = low.adjusted() - (low.adjusted() % decades)
    ladder = [Decimal(f).scaleb(exponent) for f in factors]
    edges = [max(step for step in ladder if step <= low)]
    while edges[-1] <= high:
        following = [step for step in ladder if step > edges[-1]]
        if not following:
            exponent += decades
            ladder = [Decimal(f).scaleb(exponent) for f in factors]
            following = ladder
        edges.append(following[0])
    # To the cent: 100.00, not 1E+2 (the lowest edge is a cent at least).
    return [edge.quantize(CENT) for edge in edges]


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
