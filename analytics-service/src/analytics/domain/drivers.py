"""Promoter drivers (A5): how promoters differ from the other respondents in one attribute,
as an effect size with a 95 % confidence interval, so that noise shows as an interval
covering zero.

- A share (e.g. of customers under contract): the difference of the two proportions with
  the Wald interval, d +- 1.96 * sqrt(p1 (1 - p1) / n1 + p2 (1 - p2) / n2).
- A mean (e.g. orders): the difference of the means with Welch's interval,
  d +- t(0.975, df) * sqrt(s1^2 / n1 + s2^2 / n2), df by Welch-Satterthwaite.
- A share also as an odds ratio: with a, b the promoters with and without the trait and
  c, d the others with and without it, OR = (a d) / (b c), and Woolf's (logit) interval
  exp(ln OR +- 1.96 * sqrt(1/a + 1/b + 1/c + 1/d)). When a cell is zero, 0.5 is added to
  every cell first (Haldane-Anscombe), so the ratio and its interval stay finite.
  OR > 1: the trait is more common among promoters; an interval covering 1 is noise.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from scipy.stats import norm, t

CONFIDENCE = 0.95


@dataclass(frozen=True)
class Effect:
    difference: float
    low: float
    high: float

    @property
    def significant(self) -> bool:
        """The interval excludes zero: unlikely to be noise at the 95 % level."""
        return self.low > 0 or self.high < 0


def _rounded(difference: float, margin: float) -> Effect:
    return Effect(
        round(difference, 4), round(difference - margin, 4), round(difference + margin, 4)
    )


@dataclass(frozen=True)
class OddsRatio:
    ratio: float
    low: float
    high: float
    # 0.5 was added to every cell of the 2x2 table because one of them was zero.
    corrected: bool

    @property
    def significant(self) -> bool:
        """The interval excludes 1: unlikely to be noise at the 95 % level."""
        return self.low > 1 or self.high < 1


HALDANE = 0.5


def odds_ratio(hits_1: int, n_1: int, hits_2: int, n_2: int) -> OddsRatio | None:
    """The odds of hits_1 of n_1 over the odds of hits_2 of n_2; none when a group is empty."""
    if n_1 == 0 or n_2 == 0:
        return None
    cells = (hits_1, n_1 - hits_1, hits_2, n_2 - hits_2)
    corrected = 0 in cells
    a, b, c, d = (cell + HALDANE if corrected else float(cell) for cell in cells)
    log_ratio = math.log(a * d / (b * c))
    margin = float(norm.ppf(0.5 + CONFIDENCE / 2)) * math.sqrt(1 / a + 1 / b + 1 / c + 1 / d)
    return OddsRatio(
        round(math.exp(log_ratio), 4),
        round(math.exp(log_ratio - margin), 4),
        round(math.exp(log_ratio + margin), 4),
        corrected,
    )


def rate_difference(hits_1: int, n_1: int, hits_2: int, n_2: int) -> Effect | None:
    """p1 - p2 for hits_1 of n_1 against hits_2 of n_2; none when a group is empty."""
    if n_1 == 0 or n_2 == 0:
        return None
    p_1, p_2 = hits_1 / n_1, hits_2 / n_2
    error = math.sqrt(p_1 * (1 - p_1) / n_1 + p_2 * (1 - p_2) / n_2)
    return _rounded(p_1 - p_2, float(norm.ppf(0.5 + CONFIDENCE / 2)) * error)


def mean_difference(
    mean_1: float, variance_1: float, n_1: int, mean_2: float, variance_2: float, n_2: int
) -> Effect | None:
    """mean1 - mean2 from the groups' means and sample variances; none when a group has
    fewer than two members (no variance to judge by)."""
    if n_1 < 2 or n_2 < 2:
        return None
    share_1, share_2 = variance_1 / n_1, variance_2 / n_2
    error = math.sqrt(share_1 + share_2)
    if error == 0:
        return _rounded(mean_1 - mean_2, 0.0)
    freedom = (share_1 + share_2) ** 2 / (share_1**2 / (n_1 - 1) + share_2**2 / (n_2 - 1))
    return _rounded(mean_1 - mean_2, float(t.ppf(0.5 + CONFIDENCE / 2, freedom)) * error)
