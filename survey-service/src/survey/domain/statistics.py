"""Net Promoter Score statistics: plain functions over counts of promoters, passives and
detractors, so they are checked against hand-computed cases without a database.

Each answer is read as a variable taking +100 (promoter), 0 (passive) or -100 (detractor);
the NPS is its mean. With the proportions p_p and p_d, its variance per answer is
p_p + p_d - (p_p - p_d)² (in units of 100²), so the standard error of the NPS is
100·sqrt(var / n) and the 95% confidence interval is nps ± 1.96·SE, clipped to [-100, 100].
The change between two periods is tested with a two-sample z-test on that variance:
z = (nps₂ - nps₁) / sqrt(SE₁² + SE₂²), two-sided p-value, significant when p < 0.05.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

Z_95 = 1.96
SIGNIFICANCE_LEVEL = 0.05


class Category(StrEnum):
    DETRACTOR = "detractor"
    PASSIVE = "passive"
    PROMOTER = "promoter"


class Interval(StrEnum):
    WEEK = "week"
    MONTH = "month"
    QUARTER = "quarter"


def classify(score: int) -> Category:
    """0-6 detractor, 7-8 passive, 9-10 promoter."""
    if not 0 <= score <= 10:
        raise ValueError(f"an NPS score is 0..10, not {score}")
    if score <= 6:
        return Category.DETRACTOR
    if score <= 8:
        return Category.PASSIVE
    return Category.PROMOTER


@dataclass(frozen=True)
class Counts:
    promoters: int = 0
    passives: int = 0
    detractors: int = 0

    @property
    def n(self) -> int:
        return self.promoters + self.passives + self.detractors

    def __add__(self, other: Counts) -> Counts:
        return Counts(
            self.promoters + other.promoters,
            self.passives + other.passives,
            self.detractors + other.detractors,
        )


@dataclass(frozen=True)
class Score:
    """The NPS of some answers with its 95% confidence interval; None where n is 0."""

    counts: Counts
    nps: float | None
    standard_error: float | None
    ci_low: float | None
    ci_high: float | None


@dataclass(frozen=True)
class Change:
    change: float | None
    p_value: float | None
    significant: bool


def variance(counts: Counts) -> float:
    """Variance of one answer's ±1/0 value: p_p + p_d - (p_p - p_d)²."""
    p_p, p_d = counts.promoters / counts.n, counts.detractors / counts.n
    return max(p_p + p_d - (p_p - p_d) ** 2, 0.0)


def score(counts: Counts) -> Score:
    if counts.n == 0:
        return Score(counts, None, None, None, None)
    nps = 100 * (counts.promoters - counts.detractors) / counts.n
    standard_error = 100 * math.sqrt(variance(counts) / counts.n)
    low = max(nps - Z_95 * standard_error, -100.0)
    high = min(nps + Z_95 * standard_error, 100.0)
    return Score(counts, nps, standard_error, low, high)


def compare(before: Score, after: Score) -> Change:
    """The change from one period to the next with its two-sided z-test.

    Without answers in either period there is nothing to compare; when both periods are
    unanimous (zero variance) the test is undefined and the p-value is None.
    """
    if before.nps is None or after.nps is None:
        return Change(None, None, False)
    assert before.standard_error is not None
    assert after.standard_error is not None
    change = after.nps - before.nps
    pooled = math.sqrt(before.standard_error**2 + after.standard_error**2)
    if pooled == 0:
        return Change(change, None, False)
    p_value = math.erfc(abs(change / pooled) / math.sqrt(2))
    return Change(change, p_value, p_value < SIGNIFICANCE_LEVEL)


def period_start(moment: datetime, interval: Interval) -> datetime:
    """The start of the week (Monday), month or quarter holding `moment`, in its zone."""
    day = moment.replace(hour=0, minute=0, second=0, microsecond=0)
    if interval is Interval.WEEK:
        return day - timedelta(days=day.weekday())
    if interval is Interval.MONTH:
        return day.replace(day=1)
    return day.replace(day=1, month=(day.month - 1) // 3 * 3 + 1)


def next_period(start: datetime, interval: Interval) -> datetime:
    if interval is Interval.WEEK:
        return start + timedelta(days=7)
    months = 1 if interval is Interval.MONTH else 3
    month = start.month - 1 + months
    return start.replace(year=start.year + month // 12, month=month % 12 + 1)


@dataclass(frozen=True)
class Period:
    start: datetime
    score: Score
    change: Change


@dataclass(frozen=True)
class Report:
    overall: Score
    series: list[Period]


def report(counts_by_period: dict[datetime, Counts], interval: Interval) -> Report:
    """The overall NPS and one entry per period from the first to the last with answers;
    periods without answers are kept (nps None), so a chart shows the gap."""
    total = sum(counts_by_period.values(), Counts())
    series: list[Period] = []
    if counts_by_period:
        current, last = min(counts_by_period), max(counts_by_period)
        previous: Score | None = None
        while current <= last:
            this = score(counts_by_period.get(current, Counts()))
            change = compare(previous, this) if previous is not None else Change(None, None, False)
            series.append(Period(current, this, change))
            previous, current = this, next_period(current, interval)
    return Report(score(total), series)
