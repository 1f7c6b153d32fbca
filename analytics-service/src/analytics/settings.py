from decimal import Decimal
from typing import Self

from pydantic import Field, model_validator
from pydantic_settings import SettingsConfigDict

from analytics.domain.churn import ChurnModel
from analytics.domain.clv import TimeUnit
from analytics.domain.segments import AbcThresholds
from treue.settings import ServiceSettings


class AnalyticsSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="TREUE_ANALYTICS_", extra="ignore")

    service_name: str = "analytics"
    database_url: str = "postgresql+asyncpg://treue:treue@127.0.0.1:5433/analytics"

    # The scheduled CLV fit: due when no run succeeded within clv_fit_every_hours (0: never),
    # retried at most every clv_fit_retry_hours; replicas check every few minutes.
    clv_fit_every_hours: float = 24.0
    clv_fit_retry_hours: float = 1.0
    clv_fit_check_seconds: float = 300.0
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

    def abc_thresholds(self) -> AbcThresholds:
        return AbcThresholds(self.abc_a_percent, self.abc_b_percent)

    def churn_model(self) -> ChurnModel:
        return ChurnModel(threshold=self.churn_risk_threshold)

    @model_validator(mode="after")
    def _thresholds_are_valid(self) -> Self:
        self.abc_thresholds()
        self.churn_model()
        return self
