"""The CLV histogram and the Pareto slices behind the ABC chart."""

from __future__ import annotations

from decimal import Decimal

from analytics.domain.distribution import Bin, ParetoBucket, histogram, median, pareto


def d(*values: str) -> list[Decimal]:
    return [Decimal(v) for v in values]


def edges(bins: list[Bin]) -> list[str]:
    return [str(b.low) for b in bins] + [str(bins[-1].high)]


def test_histogram_bins_step_by_1_2_5_from_the_lowest_to_above_the_highest_value() -> None:
    bins = histogram(d("120", "199.99", "200", "950", "1000", "4999"), 20)
    assert edges(bins) == ["100.00", "200.00", "500.00", "1000.00", "2000.00", "5000.00"]
    assert [b.customers for b in bins] == [2, 1, 1, 1, 1]


def test_a_skewed_spread_gets_bins_per_decade_when_1_2_5_would_be_too_many() -> None:
    """The demo's shape: hundreds of customers worth a few hundred, one worth 7 million. In
    equal-width bins everyone but the top customer would share the first bin."""
    values = d(*(["150"] * 50 + ["800"] * 30 + ["4000"] * 5 + ["7000000"]))
    bins = histogram(values, 6)
    assert edges(bins) == [
        "100.00",
        "1000.00",
        "10000.00",
        "100000.00",
        "1000000.00",
        "10000000.00",
    ]
    assert [b.customers for b in bins] == [80, 5, 0, 0, 1]
    # With room for them, 1-2-5 steps: 100, 200, 500, 1000, ... 10,000,000 (15 bins).
    fine = histogram(values, 20)
    assert len(fine) == 15
    assert [b.customers for b in fine][:4] == [50, 0, 30, 0]


def test_histogram_of_nothing_of_equal_values_and_of_values_under_a_cent() -> None:
    assert histogram([], 10) == []
    assert histogram(d("7.5", "7.5"), 10) == [Bin(Decimal("5.00"), Decimal("10.00"), 2)]
    assert histogram(d("0", "0"), 10) == [Bin(Decimal("0"), Decimal("0"), 2)]
    # Zero and negative values share the bin under the lowest edge.
    bins = histogram(d("-10", "0", "0.004", "30"), 10)
    assert bins == [
        Bin(Decimal("-10"), Decimal("20.00"), 3),
        Bin(Decimal("20.00"), Decimal("50.00"), 1),
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
