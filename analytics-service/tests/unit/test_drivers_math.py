"""Effect sizes with 95 % intervals for the promoter drivers, against values worked by hand."""

from __future__ import annotations

from analytics.domain.drivers import Effect, mean_difference, rate_difference


def test_a_difference_in_rates_has_the_wald_interval() -> None:
    # 5/6 vs 1/6: d = 0.6667, se = sqrt(2 * (5/6 * 1/6) / 6) = 0.21517.
    effect = rate_difference(5, 6, 1, 6)
    assert effect == Effect(0.6667, 0.2449, 1.0884)
    assert effect is not None
    assert effect.significant
    # The same share in both groups is no effect.
    same = rate_difference(3, 6, 2, 4)
    assert same is not None
    assert (same.difference, same.significant) == (0.0, False)
    assert same.low < 0 < same.high
    assert rate_difference(1, 0, 1, 3) is None


def test_a_difference_in_means_has_welchs_interval() -> None:
    # Means 1.5 and 1.5 (a pure coincidence): the interval covers zero.
    coincidence = mean_difference(1.5, 0.3, 6, 1.5, 0.3, 6)
    assert coincidence is not None
    assert coincidence.difference == 0
    assert coincidence.low < 0 < coincidence.high
    assert not coincidence.significant
    # 10 vs 4 with variances 4 and 9, n 10 and 12: se = sqrt(0.4 + 0.75) = 1.0724,
    # df = 1.15^2 / (0.4^2/9 + 0.75^2/11) = 19.19, t = 2.0916.
    effect = mean_difference(10, 4, 10, 4, 9, 12)
    assert effect == Effect(6.0, 3.757, 8.243)
    assert mean_difference(1, 0, 1, 2, 1, 5) is None
    assert mean_difference(3, 0, 4, 1, 0, 4) == Effect(2.0, 2.0, 2.0)
