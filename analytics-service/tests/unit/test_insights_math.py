"""The arithmetic of the insights: calendar months, NPS, changes, rates and margins."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal

from analytics.domain.insights import (
    CohortCell,
    Margin,
    add_months,
    change,
    cohort_rows,
    last_months,
    month_start,
    months_between,
    nps,
    period_start,
    periods,
    rate,
)


def test_months_are_calendar_months_in_utc() -> None:
    berlin = timezone(timedelta(hours=1))
    # Just after midnight on 1 March in Berlin is still February in UTC.
    assert month_start(datetime(2026, 3, 1, 0, 30, tzinfo=berlin)) == datetime(
        2026, 2, 1, tzinfo=UTC
    )
    assert add_months(datetime(2026, 3, 31, 8, tzinfo=UTC), -1) == datetime(
        2026, 2, 28, 8, tzinfo=UTC
    )
    assert add_months(datetime(2024, 3, 31, tzinfo=UTC), -1) == datetime(2024, 2, 29, tzinfo=UTC)
    assert add_months(datetime(2026, 11, 15, tzinfo=UTC), 14) == datetime(2028, 1, 15, tzinfo=UTC)
    assert add_months(datetime(2026, 1, 15, tzinfo=UTC), -13) == datetime(2024, 12, 15, tzinfo=UTC)
    assert months_between(datetime(2025, 11, 30, tzinfo=UTC), datetime(2026, 2, 1, tzinfo=UTC)) == 3
    months = last_months(datetime(2026, 2, 10, tzinfo=UTC), 3)
    assert months == [
        datetime(2025, 12, 1, tzinfo=UTC),
        datetime(2026, 1, 1, tzinfo=UTC),
        datetime(2026, 2, 1, tzinfo=UTC),
    ]


def test_nps_is_promoters_minus_detractors_in_percent() -> None:
    assert nps(2, 1, 1) == 25.0
    assert nps(0, 0, 3) == -100.0
    assert nps(1, 1, 1) == 0.0
    assert nps(2, 0, 1) == 33.3
    assert nps(0, 0, 0) is None


def test_changes_and_rates_need_a_base() -> None:
    assert change(Decimal("800"), Decimal("1200")) == -0.3333
    assert change(Decimal("150"), Decimal("-100")) == 2.5
    assert change(Decimal("10"), Decimal(0)) is None
    assert change(None, Decimal(5)) is None
    assert rate(1, 3) == 0.3333
    assert rate(0, 0) is None


def test_margin_and_the_threshold_to_drop() -> None:
    thin = Margin(revenue=Decimal("200.00"), cost=Decimal("170.00"))
    assert (thin.margin, thin.percent) == (Decimal("30.00"), 15.0)
    assert thin.below(Decimal(20))
    assert not Margin(Decimal("100"), Decimal("80")).below(Decimal(20))  # exactly 20 %
    assert Margin(Decimal("100"), Decimal("130")).percent == -30.0
    free = Margin(Decimal(0), Decimal(0))
    assert (free.percent, free.below(Decimal(20))) == (None, False)


def test_periods_are_calendar_months_quarters_and_years() -> None:
    may = datetime(2026, 5, 20, 13, tzinfo=UTC)
    assert period_start(may, "month") == datetime(2026, 5, 1, tzinfo=UTC)
    assert period_start(may, "quarter") == datetime(2026, 4, 1, tzinfo=UTC)
    assert period_start(datetime(2026, 12, 31, tzinfo=UTC), "quarter") == datetime(
        2026, 10, 1, tzinfo=UTC
    )
    assert period_start(may, "year") == datetime(2026, 1, 1, tzinfo=UTC)
    quarters = periods(datetime(2025, 11, 5, tzinfo=UTC), may, "quarter")
    assert [q.date().isoformat() for q in quarters] == ["2025-10-01", "2026-01-01", "2026-04-01"]
    assert periods(may, may, "year") == [datetime(2026, 1, 1, tzinfo=UTC)]


def test_cohort_rows_are_triangular_with_retention_of_the_month_zero_size() -> None:
    jan, feb, mar = (datetime(2026, m, 1, tzinfo=UTC) for m in (1, 2, 3))
    cells = {
        (jan, jan): CohortCell(4, Decimal("400")),
        (jan, mar): CohortCell(1, Decimal("50")),
        (feb, feb): CohortCell(2, Decimal("90")),
        (feb, mar): CohortCell(2, Decimal("60")),
    }
    rows = cohort_rows(cells, [jan, feb, mar], datetime(2026, 3, 9, tzinfo=UTC))
    assert [(r["customers"], r["active"], r["retention"]) for r in rows] == [
        (4, [4, 0, 1], [1.0, 0.0, 0.25]),
        (2, [2, 2], [1.0, 1.0]),
        (0, [0], [None]),
    ]
    assert rows[0]["revenue"] == [Decimal("400"), Decimal(0), Decimal("50")]
