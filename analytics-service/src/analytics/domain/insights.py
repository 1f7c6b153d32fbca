"""The arithmetic of the insights (A6, A8, A9): calendar months, NPS, changes and margins.

The figures themselves are aggregated in the database; what is computed here is what the
aggregates turn into, so that it is written (and tested) once.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal


def month_start(moment: datetime) -> datetime:
    """The first instant (UTC) of the calendar month the moment is in."""
    utc = moment.astimezone(UTC)
    return datetime(utc.year, utc.month, 1, tzinfo=UTC)


def add_months(moment: datetime, months: int) -> datetime:
    """The same day and time `months` calendar months later (or earlier, if negative); a day
    the target month lacks becomes its last day (31 March - 1 month = 28/29 February)."""
    index = moment.year * 12 + moment.month - 1 + months
    year, month = index // 12, index % 12 + 1
    day = min(moment.day, calendar.monthrange(year, month)[1])
    return moment.replace(year=year, month=month, day=day)


def months_between(start: datetime, end: datetime) -> int:
    """Whole calendar months from start's month to end's month (same month: 0)."""
    return (end.year - start.year) * 12 + end.month - start.month


def last_months(as_of: datetime, count: int) -> list[datetime]:
    """The starts of the `count` calendar months ending with as_of's month, oldest first."""
    current = month_start(as_of)
    return [add_months(current, offset) for offset in range(1 - count, 1)]


# Calendar periods the breakdowns group by, in months.
INTERVALS = {"month": 1, "quarter": 3, "year": 12}

# customer.churned's reason codes (a code not listed here still counts, after these).
CHURN_REASONS = (
    "price",
    "service",
    "product_fit",
    "competitor",
    "moved_or_closed",
    "no_need",
    "other",
)


def period_start(moment: datetime, interval: str) -> datetime:
    """The first instant (UTC) of the month, quarter or year the moment is in."""
    start = month_start(moment)
    length = INTERVALS[interval]
    return start.replace(month=(start.month - 1) // length * length + 1)


def periods(since: datetime, until: datetime, interval: str) -> list[datetime]:
    """The starts of the periods from since's to until's (both included), oldest first."""
    current, last = period_start(since, interval), period_start(until, interval)
    found = []
    while current <= last:
        found.append(current)
        current = add_months(current, INTERVALS[interval])
    return found


def nps(promoters: int, passives: int, detractors: int) -> float | None:
    """Net Promoter Score: % promoters - % detractors, -100..100 to one decimal; none
    without answers."""
    answers = promoters + passives + detractors
    if answers == 0:
        return None
    return round(100 * (promoters - detractors) / answers, 1)


def change(current: Decimal | float | None, previous: Decimal | float | None) -> float | None:
    """The relative change from previous to current (0.25 = +25 %); none when there is no
    previous figure to compare with (missing or zero)."""
    if current is None or previous is None or previous == 0:
        return None
    return round(
        float((Decimal(str(current)) - Decimal(str(previous))) / abs(Decimal(str(previous)))), 4
    )


def rate(part: int, whole: int) -> float | None:
    """part / whole to four decimals; none for an empty whole."""
    if whole == 0:
        return None
    return round(part / whole, 4)


@dataclass(frozen=True)
class Margin:
    revenue: Decimal
    cost: Decimal

    @property
    def margin(self) -> Decimal:
        return self.revenue - self.cost

    @property
    def percent(self) -> float | None:
        """Margin as % of revenue to one decimal; none without revenue."""
        if self.revenue == 0:
            return None
        return round(float(100 * self.margin / self.revenue), 1)

    def below(self, threshold_percent: Decimal) -> bool:
        """Under the threshold: a candidate to drop. Without revenue there is nothing to judge."""
        percent = self.percent
        return percent is not None and Decimal(str(percent)) < threshold_percent


@dataclass(frozen=True)
class CohortCell:
    """What a cohort did in one calendar month: its customers who ordered, their revenue."""

    customers: int
    revenue: Decimal


def cohort_rows(
    cells: dict[tuple[datetime, datetime], CohortCell], cohorts: list[datetime], as_of: datetime
) -> list[dict[str, object]]:
    """One row per acquisition month: its size (the customers whose first order was in that
    month, so all ordered in month 0), and per month since, up to as_of's month, the
    customers who ordered, retention (their share of the size) and revenue. Rows get
    shorter towards as_of: a later cohort has had fewer months."""
    rows: list[dict[str, object]] = []
    for cohort in cohorts:
        size = cells.get((cohort, cohort), CohortCell(0, Decimal(0))).customers
        span = range(months_between(cohort, as_of) + 1)
        found = [
            cells.get((cohort, add_months(cohort, m)), CohortCell(0, Decimal(0))) for m in span
        ]
        rows.append(
            {
                "cohort": cohort.date(),
                "customers": size,
                "active": [cell.customers for cell in found],
                "retention": [rate(cell.customers, size) for cell in found],
                "revenue": [cell.revenue for cell in found],
            }
        )
    return rows
