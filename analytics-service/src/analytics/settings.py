from decimal import Decimal
from typing import Annotated, Self

from pydantic import (
    ConfigDict,
    Field,
    StringConstraints,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic_settings import SettingsConfigDict

from analytics.domain.churn import ChurnModel
from analytics.domain.clv import TimeUnit
from analytics.domain.money import ReportingCurrency
from analytics.domain.segments import AbcThresholds
from treue.runtime_settings import RuntimeSettings
from treue.settings import ServiceSettings

CurrencyCode = Annotated[str, StringConstraints(pattern=r"^[A-Z]{3}$"), Field(examples=["EUR"])]
# Units of the reporting currency per unit of another currency.
ExchangeRate = Annotated[float, Field(gt=0)]


class AnalyticsSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="TREUE_ANALYTICS_", extra="ignore")

    service_name: str = "analytics"
    database_url: str = "postgresql+asyncpg://treue:treue@127.0.0.1:5433/analytics"

    # The scheduled CLV fit: due when no run succeeded within clv_fit_every_hours (0: never),
    # retried at most every clv_fit_retry_hours; replicas check every few minutes.
    clv_fit_every_hours: float = 24.0
    clv_fit_retry_hours: float = 1.0
    clv_fit_check_seconds: float = 300.0
    # The co-purchase associations behind next best offers and prospects, counted in the
    # same way (a first run at once on a service that has none); the checks share
    # clv_fit_check_seconds.
    associations_every_hours: float = 6.0
    associations_retry_hours: float = 1.0
    clv_time_unit: TimeUnit = TimeUnit.WEEK
    clv_horizon_months: int = 12
    clv_monthly_discount_rate: float = 0.01

    # ABC classes: A = the customers making the first abc_a_percent of the value, B the next
    # abc_b_percent, C the rest.
    abc_a_percent: Decimal = Decimal(80)
    abc_b_percent: Decimal = Decimal(15)

    # Reaching this churn-risk score from below is announced as customer.churn_risk.
    churn_risk_threshold: float = 0.6

    # Products whose margin % is below this are flagged as candidates to drop (A6).
    margin_threshold_percent: Decimal = Field(Decimal(20), ge=-100, le=100)

    # Money figures are in this currency; orders in another count only through a rate here
    # (JSON, e.g. {"USD": 0.92}: one dollar is worth 0.92 of the reporting currency).
    reporting_currency: CurrencyCode = "EUR"
    exchange_rates: dict[CurrencyCode, ExchangeRate] = Field(default_factory=dict)

    def abc_thresholds(self) -> AbcThresholds:
        return AbcThresholds(self.abc_a_percent, self.abc_b_percent)

    def churn_model(self) -> ChurnModel:
        return ChurnModel(threshold=self.churn_risk_threshold)

    @model_validator(mode="after")
    def _thresholds_are_valid(self) -> Self:
        self.abc_thresholds()
        self.churn_model()
        return self


class AnalyticsRuntimeSettings(RuntimeSettings):
    """The scoring rules an admin changes at run time (PUT /api/v1/settings/analytics); the
    environment variables above are their defaults."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "abc_a_percent": 80,
                    "abc_b_percent": 15,
                    "churn_risk_threshold": 0.6,
                    "margin_threshold_percent": 20,
                    "reporting_currency": "EUR",
                    "exchange_rates": {"USD": 0.92, "CHF": 1.05},
                }
            ]
        }
    )

    abc_a_percent: float = Field(
        gt=0, lt=100, description="A: the customers making the first this % of the value"
    )
    abc_b_percent: float = Field(
        gt=0, lt=100, description="B: the customers making the next this % (C: the rest)"
    )
    churn_risk_threshold: float = Field(
        gt=0, le=1, description="A churn-risk score reaching this is announced (0-1)"
    )
    margin_threshold_percent: float = Field(
        ge=-100, le=100, description="Products with a margin % below this are flagged"
    )
    reporting_currency: CurrencyCode = Field(
        description="The currency (ISO 4217) of every money figure of analytics: revenue, "
        "CLV, margins, offers, cohorts"
    )
    exchange_rates: dict[CurrencyCode, ExchangeRate] = Field(
        description="Units of the reporting currency one unit of another currency is worth, "
        'e.g. {"USD": 0.92} with EUR. Orders in a currency without a rate are left out of '
        "the money figures, and the figures say how many were left out"
    )

    @field_validator("abc_b_percent")
    @classmethod
    def _leaves_a_share_for_c(cls, value: float, info: ValidationInfo) -> float:
        a = info.data.get("abc_a_percent")
        if a is not None and a + value >= 100:
            raise ValueError("A and B together must stay under 100 %, leaving a share for C")
        return value

    @field_validator("exchange_rates")
    @classmethod
    def _no_rate_for_itself(cls, value: dict[str, float], info: ValidationInfo) -> dict[str, float]:
        own = info.data.get("reporting_currency")
        if own is not None and own in value:
            raise ValueError(f"{own} is the reporting currency: it needs no rate")
        return value

    def abc_thresholds(self) -> AbcThresholds:
        return AbcThresholds(_decimal(self.abc_a_percent), _decimal(self.abc_b_percent))

    def money(self) -> ReportingCurrency:
        rates = {code: _decimal(rate) for code, rate in self.exchange_rates.items()}
        return ReportingCurrency(self.reporting_currency, rates)

    def churn_model(self) -> ChurnModel:
        return ChurnModel(threshold=self.churn_risk_threshold)

    @property
    def margin_threshold(self) -> Decimal:
        return _decimal(self.margin_threshold_percent)


def _decimal(value: float) -> Decimal:
    """The number as written: 80.0 -> 80, 12.5 -> 12.5 (not 12.4999999999999982...)."""
    number = Decimal(str(value))
    return number.quantize(Decimal(1)) if number == number.to_integral_value() else number
