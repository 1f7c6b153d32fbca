"""The CLV fit as a background job: the purchase summary out of the read model, BG/NBD and
Gamma-Gamma fitted, and every customer's predictions (and the segments that follow from
them) written in one transaction, so a failed run leaves the previous ones as they were."""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any

import numpy as np
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from analytics.adapters.clv_repository import ClvRepository
from analytics.domain import clv
from analytics.domain.fitting import FitFailed
from analytics.domain.money import ReportingCurrency
from analytics.service_layer.segmentation import SegmentationRules, recompute
from analytics.service_layer.unit_of_work import AnalyticsUnitOfWork

if TYPE_CHECKING:
    from analytics.settings import AnalyticsSettings

CLV_FIT = "clv-fit"


@dataclass(frozen=True)
class FitClv:
    as_of: date
    time_unit: clv.TimeUnit
    horizon_months: int
    monthly_discount_rate: float

    def as_params(self) -> dict[str, Any]:
        return {
            "as_of": self.as_of.isoformat(),
            "time_unit": self.time_unit.value,
            "horizon_months": self.horizon_months,
            "monthly_discount_rate": self.monthly_discount_rate,
        }

    @classmethod
    def from_params(cls, params: dict[str, Any]) -> FitClv:
        return cls(
            as_of=date.fromisoformat(params["as_of"]),
            time_unit=clv.TimeUnit(params["time_unit"]),
            horizon_months=int(params["horizon_months"]),
            monthly_discount_rate=float(params["monthly_discount_rate"]),
        )


def scheduled_fit(settings: AnalyticsSettings) -> FitClv:
    """A fit as of today with the environment's horizon and discount rate."""
    return FitClv(
        as_of=datetime.now(UTC).date(),
        time_unit=settings.clv_time_unit,
        horizon_months=settings.clv_horizon_months,
        monthly_discount_rate=settings.clv_monthly_discount_rate,
    )


def _fit_and_predict(
    history: clv.PurchaseHistory, command: FitClv
) -> tuple[clv.ClvModel, clv.Predictions]:
    model = clv.fit(history, command.time_unit)
    predictions = clv.predict(model, history, command.horizon_months, command.monthly_discount_rate)
    return model, predictions


def _result(model: clv.ClvModel, history: clv.PurchaseHistory, started: float) -> dict[str, Any]:
    purchases, spend = model.purchases, model.spend
    return {
        "params": {
            "r": purchases.params.r,
            "alpha": purchases.params.alpha,
            "a": purchases.params.a,
            "b": purchases.params.b,
            "p": spend.params.p,
            "q": spend.params.q,
            "gamma": spend.params.gamma,
        },
        "log_likelihood": purchases.log_likelihood,
        "spend_log_likelihood": spend.log_likelihood,
        "customers": len(history),
        "repeat_buyers": int(np.count_nonzero(history.repeat_purchases)),
        "duration_s": round(time.perf_counter() - started, 3),
    }


async def fit_clv(
    run_id: uuid.UUID,
    command: FitClv,
    session_factory: async_sessionmaker[AsyncSession],
    unit_of_work: Callable[[], AnalyticsUnitOfWork],
    rules: SegmentationRules,
    report: Callable[[float], Awaitable[None]],
    money: ReportingCurrency,
) -> dict[str, Any]:
    """Raises FitFailed when the data cannot support a fit; nothing is written then. The
    segments are recomputed from the new predictions in the same transaction.

    Spend is converted into the reporting currency; an order in a currency without an
    exchange rate is left out of the fit (it is not a purchase of known value), so a
    customer with only such orders gets no prediction. The result names the currency and
    counts what was left out."""
    started = time.perf_counter()
    async with session_factory() as session:
        repository = ClvRepository(session)
        found = await repository.purchase_histories(command.as_of, money)
        left_out = await repository.left_out(command.as_of, money)
    if not len(found):
        raise FitFailed(
            f"no customer has an order up to {command.as_of.isoformat()} in "
            f"{money.currency} or a currency with an exchange rate"
        )
    await report(0.2)
    # numpy and scipy release the GIL for most of the work; the service keeps answering.
    model, predictions = await asyncio.to_thread(_fit_and_predict, found.history, command)
    await report(0.6)
    async with unit_of_work() as uow:
        await uow.clv.stage_predictions(found.contact_ids, predictions)
        await report(0.8)
        await recompute(uow, rules, run_id)
        await uow.commit()
    return {**_result(model, found.history, started), "currency": money.currency, **left_out}
