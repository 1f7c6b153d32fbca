"""The CLV fit as a background job: the purchase summary out of the read model, BG/NBD and
Gamma-Gamma fitted, and every customer's predictions (and the segments that follow from
them) written in one transaction, so a failed run leaves the previous ones as they were."""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from analytics.adapters.clv_repository import ClvRepository
from analytics.domain import clv
from analytics.domain.fitting import FitFailed
from analytics.service_layer.segmentation import SegmentationRules, recompute
from analytics.service_layer.unit_of_work import AnalyticsUnitOfWork

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
) -> dict[str, Any]:
    """Raises FitFailed when the data cannot support a fit; nothing is written then. The
    segments are recomputed from the new predictions in the same transaction."""
    started = time.perf_counter()
    async with session_factory() as session:
        found = await ClvRepository(session).purchase_histories(command.as_of)
    if not len(found):
        raise FitFailed(f"no customer has an order up to {command.as_of.isoformat()}")
    await report(0.2)
    # numpy and scipy release the GIL for most of the work; the service keeps answering.
    model, predictions = await asyncio.to_thread(_fit_and_predict, found.history, command)
    await report(0.6)
    async with unit_of_work() as uow:
        await uow.clv.stage_predictions(found.contact_ids, predictions)
        await report(0.8)
        await recompute(uow, rules, run_id)
        await uow.commit()
    return _result(model, found.history, started)
