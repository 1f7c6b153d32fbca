"""The analytics settings an admin may store: each bad value is named by its field."""

from __future__ import annotations

from decimal import Decimal

import pytest
from pydantic import ValidationError

from analytics.settings import AnalyticsRuntimeSettings, AnalyticsSettings

GOOD = {
    "abc_a_percent": 70,
    "abc_b_percent": 20,
    "churn_risk_threshold": 0.5,
    "margin_threshold_percent": 12.5,
    "reporting_currency": "EUR",
    "exchange_rates": {"USD": 0.92},
}


def test_the_defaults_are_the_environment_settings() -> None:
    env = AnalyticsSettings(abc_a_percent=Decimal(70), churn_risk_threshold=0.7)
    values = AnalyticsRuntimeSettings.defaults_from(env)
    assert (values.abc_a_percent, values.abc_b_percent, values.churn_risk_threshold) == (
        70,
        15,
        0.7,
    )


def test_the_values_become_the_rules_as_written() -> None:
    values = AnalyticsRuntimeSettings.model_validate(GOOD)
    assert values.abc_thresholds().as_dict() == {"A": 70, "B": 20, "C": 10}
    assert str(values.abc_thresholds().a) == "70"
    assert values.margin_threshold == Decimal("12.5")
    assert values.churn_model().threshold == 0.5
    money = values.money()
    assert (money.currency, money.rates) == ("EUR", {"USD": Decimal("0.92")})
    assert money.convert(Decimal("100.00"), "USD") == Decimal("92.00")
    assert money.convert(Decimal("100.00"), "EUR") == Decimal("100.00")
    assert money.convert(Decimal("100.00"), "CHF") is None


def test_the_reporting_currency_and_the_rates_come_from_the_environment() -> None:
    env = AnalyticsSettings(reporting_currency="CHF", exchange_rates={"EUR": 1.05})
    values = AnalyticsRuntimeSettings.defaults_from(env)
    assert (values.reporting_currency, values.exchange_rates) == ("CHF", {"EUR": 1.05})
    assert AnalyticsSettings().reporting_currency == "EUR"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"abc_a_percent": 80, "abc_b_percent": 20}, "abc_b_percent"),
        ({"abc_a_percent": 100}, "abc_a_percent"),
        ({"abc_b_percent": 0}, "abc_b_percent"),
        ({"churn_risk_threshold": 0}, "churn_risk_threshold"),
        ({"margin_threshold_percent": 101}, "margin_threshold_percent"),
        ({"reporting_currency": "euro"}, "reporting_currency"),
        ({"exchange_rates": {"USD": 0}}, "exchange_rates"),
        ({"exchange_rates": {"EUR": 1.0}}, "exchange_rates"),
    ],
)
def test_bad_values_are_refused_at_their_field(change: dict[str, float], field: str) -> None:
    with pytest.raises(ValidationError) as refused:
        AnalyticsRuntimeSettings.model_validate({**GOOD, **change})
    assert [error["loc"][0] for error in refused.value.errors()] == [field]
