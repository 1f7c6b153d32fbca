"""NPS statistics against cases computed by hand."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from survey.domain.statistics import (
    Category,
    Counts,
    Interval,
    classify,
    compare,
    next_period,
    period_start,
    report,
    score,
)


@pytest.mark.parametrize(
    ("value", "category"),
    [
        (0, Category.DETRACTOR),
        (6, Category.DETRACTOR),
        (7, Category.PASSIVE),
        (8, Category.PASSIVE),
        (9, Category.PROMOTER),
        (10, Category.PROMOTER),
    ],
)
def test_scores_are_classified_at_the_standard_boundaries(value: int, category: Category) -> None:
    assert classify(value) is category


@pytest.mark.parametrize("value", [-1, 11])
def test_a_score_outside_0_to_10_is_refused(value: int) -> None:
    with pytest.raises(ValueError, match=r"0\.\.10"):
        classify(value)


def test_all_promoters_score_plus_100_with_no_spread() -> None:
    result = score(Counts(promoters=25))

    assert (result.nps, result.ci_low, result.ci_high) == (100.0, 100.0, 100.0)


def test_all_detractors_score_minus_100() -> None:
    result = score(Counts(detractors=12))

    assert (result.nps, result.ci_low, result.ci_high) == (-100.0, -100.0, -100.0)


def test_passives_count_in_n_but_not_in_the_score() -> None:
    assert score(Counts(promoters=1, passives=2, detractors=1)).nps == 0.0


def test_a_known_confidence_interval() -> None:
    # 50 promoters, 30 passives, 20 detractors: nps = 30, var = 0.5 + 0.2 - 0.3² = 0.61,
    # SE = 100·sqrt(0.61 / 100) = 7.8102, CI = 30 ± 1.96·7.8102 = [14.692, 45.308].
    result = score(Counts(promoters=50, passives=30, detractors=20))

    assert result.nps == pytest.approx(30.0)
    assert result.standard_error == pytest.approx(7.8102, abs=1e-4)
    assert result.ci_low == pytest.approx(14.6919, abs=1e-4)
    assert result.ci_high == pytest.approx(45.3081, abs=1e-4)


def test_the_interval_is_clipped_to_the_scale() -> None:
    result = score(Counts(promoters=9, detractors=1))

    assert result.ci_high == 100.0
    assert result.ci_low is not None
    assert result.ci_low < 80.0


def test_no_answers_give_no_score() -> None:
    result = score(Counts())

    assert (result.nps, result.ci_low, result.ci_high) == (None, None, None)


def test_a_large_drop_is_significant() -> None:
    # 30 → -10 with n = 100 each: SE² = 61 and 69, z = -40 / sqrt(130) = -3.508,
    # p = erfc(3.508 / √2) = 0.000451.
    change = compare(score(Counts(50, 30, 20)), score(Counts(30, 30, 40)))

    assert change.change == pytest.approx(-40.0)
    assert change.p_value == pytest.approx(0.000451, abs=1e-6)
    assert change.significant


def test_the_same_change_on_ten_answers_is_not_significant() -> None:
    # 30 → 10 with n = 10 each: SE = 24.698 and 26.268, p = 0.579.
    change = compare(score(Counts(5, 3, 2)), score(Counts(4, 3, 3)))

    assert change.change == pytest.approx(-20.0)
    assert change.p_value == pytest.approx(0.5791, abs=1e-4)
    assert not change.significant


def test_unanimous_periods_have_no_p_value() -> None:
    change = compare(score(Counts(promoters=3)), score(Counts(detractors=3)))

    assert (change.change, change.p_value, change.significant) == (-200.0, None, False)


def test_periods_start_on_monday_the_first_of_month_and_of_quarter() -> None:
    moment = datetime(2026, 8, 20, 15, 30, tzinfo=UTC)  # a Thursday

    assert period_start(moment, Interval.WEEK) == datetime(2026, 8, 17, tzinfo=UTC)
    assert period_start(moment, Interval.MONTH) == datetime(2026, 8, 1, tzinfo=UTC)
    assert period_start(moment, Interval.QUARTER) == datetime(2026, 7, 1, tzinfo=UTC)
    assert next_period(datetime(2026, 11, 1, tzinfo=UTC), Interval.MONTH) == datetime(
        2026, 12, 1, tzinfo=UTC
    )
    assert next_period(datetime(2026, 10, 1, tzinfo=UTC), Interval.QUARTER) == datetime(
        2027, 1, 1, tzinfo=UTC
    )


def test_a_report_keeps_empty_periods_between_answers() -> None:
    january, march = datetime(2026, 1, 1, tzinfo=UTC), datetime(2026, 3, 1, tzinfo=UTC)

    result = report({january: Counts(2, 0, 0), march: Counts(0, 0, 2)}, Interval.MONTH)

    assert [period.start.month for period in result.series] == [1, 2, 3]
    assert [period.score.nps for period in result.series] == [100.0, None, -100.0]
    assert result.series[2].change.change is None
    assert (result.overall.nps, result.overall.counts.n) == (0.0, 4)
