"""The segmentation rules as stated in the domain."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from pydantic import ValidationError

from analytics.domain.churn import ChurnModel
from analytics.domain.segments import AbcThresholds, InvalidThresholds
from analytics.settings import AnalyticsSettings


def test_default_thresholds_are_80_15_5_as_shares() -> None:
    thresholds = AbcThresholds()
    assert thresholds.as_dict() == {"A": 80, "B": 15, "C": 5}
    assert thresholds.a_share == Decimal("0.8")
    assert thresholds.ab_share == Decimal("0.95")


@pytest.mark.parametrize(("a", "b"), [(0, 15), (80, 0), (80, 20), (90, 15), (-5, 50)])
def test_thresholds_must_leave_a_share_for_each_class(a: int, b: int) -> None:
    with pytest.raises(InvalidThresholds):
        AbcThresholds(Decimal(a), Decimal(b))


def test_settings_refuse_thresholds_that_leave_nothing_for_c() -> None:
    with pytest.raises(ValidationError, match="leave a share for C"):
        AnalyticsSettings(abc_a_percent=Decimal(70), abc_b_percent=Decimal(30))
    assert AnalyticsSettings(abc_a_percent=Decimal(70)).abc_thresholds().c == 15


def test_churn_parameters_reach_back_from_the_moment_of_assessment() -> None:
    model = ChurnModel()
    at = datetime(2026, 6, 30, 12, tzinfo=UTC)
    parameters = model.parameters(at)
    assert parameters["threshold"] == 0.6
    assert parameters["ending_by"] == date(2026, 9, 28)
    assert parameters["detractor_since"] == at - timedelta(days=365)
    assert parameters["negative_since"] == at - timedelta(days=90)


@pytest.mark.parametrize("threshold", [0.0, -0.1, 1.5])
def test_the_churn_threshold_is_a_probability(threshold: float) -> None:
    with pytest.raises(ValueError, match="threshold"):
        ChurnModel(threshold=threshold)
    with pytest.raises(ValidationError):
        AnalyticsSettings(churn_risk_threshold=threshold)
