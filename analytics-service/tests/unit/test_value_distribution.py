"""The CLV histogram and the Pareto slices behind the ABC chart."""

from __future__ import annotations

from decimal import Decimal

from analytics.domain.distribution import Bin, ParetoBucket, histogram, median, pareto


def d(*values: str) -> list[Decimal]:
    return [Decimal(v) for v in values]


def test_histogram_bins_are_equal_width_and_the_highest_value_is_in_the_last() -> None:
    bins = histogram(d("0", "10", "24.99", "25", "99", "100"), 4)
    assert bins == [
        Bin(Decimal("0.00"), Decimal("25.00"), 3),
        Bin(Decimal("25.00"), Decimal("50.00"), 1),
        Bin(Decimal("50.00"), Decimal("75.00"), 0),
        Bin(Decimal("75.00"), Decimal("100.00"), 2),
    ]
    assert sum(b.customers for b in bins) == 6


def test_histogram_of_nothing_or_of_equal_values() -> None:
    assert histogram([], 10) == []
    assert histogram(d("7.5", "7.5"), 10) == [Bin(Decimal("7.5"), Decimal("7.5"), 2)]


def test_histogram_keeps_negative_values() -> None:
    bins = histogram(d("-10", "10"), 2)
    assert bins == [
        Bin(Decimal("-10.00"), Decimal("0.00"), 1),
        Bin(Decimal("0.00"), Decimal("10.00"), 1),
    ]


def test_pareto_ranks_by_value_and_accumulates_the_shares() -> None:
    # Total 100 (the negative value counts as 0); five slices of 2, 2, 1, 1, 1 customers.
    slices = pareto(d("5", "50", "-20", "3", "30", "10", "2"), 5)
    assert [s.customers for s in slices] == [2, 2, 1, 1, 1]
    assert [s.value for s in slices] == d("80", "15", "3", "2", "0")
    assert [s.cumulative_share for s in slices] == [0.8, 0.95, 0.98, 1.0, 1.0]
    assert slices[0] == ParetoBucket(2, round(2 / 7, 4), Decimal("80"), 0.8, 0.8)
    assert slices[-1].customer_share == 1.0


def test_pareto_with_fewer_customers_than_slices_or_no_value() -> None:
    assert pareto([], 10) == []
    assert [s.customers for s in pareto(d("1", "2"), 10)] == [1, 1]
    flat = pareto(d("0", "-1"), 2)
    assert [(s.value_share, s.cumulative_share) for s in flat] == [(0.0, 0.0), (0.0, 0.0)]


def test_median_of_odd_and_even_counts() -> None:
    assert median([]) is None
    assert median(d("3", "1", "2")) == Decimal("2")
    assert median(d("4", "1", "2", "3")) == Decimal("2.50")
