"""Effect sizes with 95 % intervals for the promoter drivers, against values worked by hand."""

from __future__ import annotations

from analytics.domain.drivers import (
    Effect,
    OddsRatio,
    mean_difference,
    odds_ratio,
    rate_difference,
)


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


def test_an_odds_ratio_has_woolfs_interval() -> None:
    # 5/6 vs 1/6: a=5, b=1, c=1, d=5; OR = 25/1 = 25; se(ln OR) = sqrt(1/5 + 1 + 1 + 1/5)
    # = 1.54919; ln 25 = 3.21888; exp(3.21888 -+ 1.95996 * 1.54919) = 1.2002 and 520.7338.
    effect = odds_ratio(5, 6, 1, 6)
    assert effect == OddsRatio(25.0, 1.2002, 520.7338, corrected=False)
    assert effect is not None
    assert effect.significant
    # The same share in both groups (3/6 vs 2/4): OR = (3 * 2) / (3 * 2) = 1; se =
    # sqrt(1/3 + 1/3 + 1/2 + 1/2) = 1.29099; exp(-+2.53028) = 0.0796 and 12.5573.
    same = odds_ratio(3, 6, 2, 4)
    assert same == OddsRatio(1.0, 0.0796, 12.5573, corrected=False)
    assert same is not None
    assert not same.significant
    assert odds_ratio(1, 0, 1, 3) is None


def test_a_zero_cell_gets_haldanes_correction() -> None:
    # 3/3 vs 1/4: b = 0, so every cell + 0.5: 3.5, 0.5, 1.5, 3.5; OR = 12.25 / 0.75 =
    # 16.3333; se = sqrt(1/3.5 + 2 + 1/1.5 + 1/3.5) = 1.79947; the interval (0.4801,
    # 555.6319) covers 1: three promoters are too few to tell.
    effect = odds_ratio(3, 3, 1, 4)
    assert effect == OddsRatio(16.3333, 0.4801, 555.6319, corrected=True)
    assert effect is not None
    assert not effect.significant
    # No one with the trait in either group: 0.5, 5.5, 0.5, 7.5 give OR = 3.75 / 2.75 =
    # 1.3636, finite and (with its wide interval) not significant.
    nobody = odds_ratio(0, 5, 0, 7)
    assert nobody is not None
    assert (nobody.ratio, nobody.corrected, nobody.significant) == (1.3636, True, False)
