"""Predictive customer lifetime value: BG/NBD for how often and how long a customer buys,
Gamma-Gamma for how much, discounted month by month over a horizon.

Conventions (API.md): purchases on the same day count as one transaction; recency and age
count in whole days from the customer's first purchase to the last purchase and to the end
of the calibration period; the chosen time unit divides them (a week = 7 days, a month =
365.25 / 12 days). CLV is revenue-based: the expected number of transactions in each month
times the expected revenue per transaction (Gamma-Gamma on the revenue of repeat
purchase days), discounted by (1 + monthly_discount_rate) ** month, as lifetimes'
`customer_lifetime_value` does. Margin-based CLV is this times the customer's margin rate.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

import numpy as np
from numpy.typing import NDArray

from analytics.domain import bgnbd, gamma_gamma
from analytics.domain.fitting import FitFailed

Array = NDArray[np.float64]
IntArray = NDArray[np.int64]
DAYS_PER_MONTH = 365.25 / 12
MIN_CUSTOMERS = 2


class TimeUnit(StrEnum):
    DAY = "day"
    WEEK = "week"
    MONTH = "month"

    @property
    def days(self) -> float:
        return {"day": 1.0, "week": 7.0, "month": DAYS_PER_MONTH}[self.value]


@dataclass(frozen=True)
class PurchaseHistory:
    """The calibration summary, one entry per customer, in whole days."""

    repeat_purchases: IntArray
    recency_days: IntArray
    age_days: IntArray
    # Average revenue of the repeat purchase days (the first day left out); 0 without any.
    repeat_spend: Array

    def __len__(self) -> int:
        return len(self.repeat_purchases)


@dataclass(frozen=True)
class ClvModel:
    time_unit: TimeUnit
    purchases: bgnbd.BgNbdFit
    spend: gamma_gamma.GammaGammaFit


@dataclass(frozen=True)
class Predictions:
    clv: Array
    expected_purchases_12m: Array
    p_alive: Array


@dataclass(frozen=True)
class _Distinct:
    """The distinct (x, recency, age) rows of a history: the BG/NBD part depends on nothing
    else, and real histories in whole days repeat rows a lot."""

    x: Array
    recency: Array
    age: Array
    counts: Array
    inverse: IntArray


def _distinct(history: PurchaseHistory, unit: TimeUnit) -> _Distinct:
    x, recency, age = history.repeat_purchases, history.recency_days, history.age_days
    base = int(max(recency.max(), age.max())) + 1
    key = (x.astype(np.int64) * base + recency) * base + age
    _, first, inverse, counts = np.unique(
        key, return_index=True, return_inverse=True, return_counts=True
    )
    return _Distinct(
        x=x[first].astype(np.float64),
        recency=recency[first] / unit.days,
        age=age[first] / unit.days,
        counts=counts.astype(np.float64),
        inverse=inverse.astype(np.int64),
    )


def fit(history: PurchaseHistory, unit: TimeUnit) -> ClvModel:
    if len(history) < MIN_CUSTOMERS:
        raise FitFailed(
            f"a CLV fit needs at least {MIN_CUSTOMERS} customers with purchases; "
            f"there are {len(history)}"
        )
    rows = _distinct(history, unit)
    purchases = bgnbd.fit(rows.x, rows.recency, rows.age, rows.counts)
    spend = gamma_gamma.fit(history.repeat_purchases.astype(np.float64), history.repeat_spend)
    return ClvModel(unit, purchases, spend)


def predict(
    model: ClvModel, history: PurchaseHistory, horizon_months: int, monthly_discount_rate: float
) -> Predictions:
    """CLV over the horizon, expected purchases in the next 12 months and P(alive)."""
    rows = _distinct(history, model.time_unit)
    params = model.purchases.params
    months_per_unit = DAYS_PER_MONTH / model.time_unit.days
    cumulative = [np.zeros_like(rows.x)]
    for month in range(1, max(horizon_months, 12) + 1):
        t = month * months_per_unit
        cumulative.append(bgnbd.expected_purchases(params, t, rows.x, rows.recency, rows.age))
    discount = (1.0 + monthly_discount_rate) ** -np.arange(1, horizon_months + 1)
    per_month = np.diff(np.stack(cumulative[: horizon_months + 1]), axis=0)
    discounted = discount @ per_month
    spend = gamma_gamma.expected_spend(
        model.spend.params, history.repeat_purchases.astype(np.float64), history.repeat_spend
    )
    p_alive = bgnbd.probability_alive(params, rows.x, rows.recency, rows.age)
    predictions = Predictions(
        clv=spend * discounted[rows.inverse],
        expected_purchases_12m=cumulative[12][rows.inverse],
        p_alive=p_alive[rows.inverse],
    )
    broken = ~(
        np.isfinite(predictions.clv)
        & np.isfinite(predictions.expected_purchases_12m)
        & np.isfinite(predictions.p_alive)
    )
    if np.any(broken):
        raise FitFailed(
            f"the fitted model gives no finite prediction for {int(broken.sum())} customers"
        )
    return predictions
