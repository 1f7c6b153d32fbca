"""The CLV fit on data that barely identify it: the demo seed's customers on whom the BG/NBD
estimate ran off to a boundary (and failed `make up`), and customers who all pay the same.
A well-identified fit is left as it was: test_clv_math.py reproduces CDNOW's estimates."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np
import pytest

from analytics.domain import bgnbd, clv, gamma_gamma
from analytics.domain.fitting import SHAPE_LIMIT

# The seed's generator of commit 464da57 (orders growing with tenure) at 2026-11-29 10:50
# UTC: the CI rehearsal's data, summarised as the fit job reads it.
SEED_SUMMARY = Path(__file__).parents[1] / "data" / "seed_2026-11-29T1050_summary.csv"
# Where the estimate ran off to on that data: b at the optimiser's bound, e^12.
RAN_OFF = bgnbd.BgNbdParams(r=0.8953, alpha=12.839, a=3096.6, b=162754.79)


@pytest.fixture(scope="module")
def seed_history() -> clv.PurchaseHistory:
    table = np.genfromtxt(SEED_SUMMARY, delimiter=",", names=True)
    return clv.PurchaseHistory(
        repeat_purchases=table["repeat_purchases"].astype(np.int64),
        recency_days=table["recency_days"].astype(np.int64),
        age_days=table["age_days"].astype(np.int64),
        repeat_spend=np.asarray(table["repeat_spend"], dtype=np.float64),
    )


def weekly_rows(history: clv.PurchaseHistory) -> tuple[np.ndarray, ...]:
    unit = clv.TimeUnit.WEEK.days
    x = history.repeat_purchases.astype(np.float64)
    return x, history.recency_days / unit, history.age_days / unit


def test_the_seed_data_that_ran_off_fits_with_the_dropout_held_at_the_limit(
    seed_history: clv.PurchaseHistory,
) -> None:
    model = clv.fit(seed_history, clv.TimeUnit.WEEK)

    params = model.purchases.params
    assert params.b == pytest.approx(SHAPE_LIMIT, rel=1e-3)
    # The same mean dropout probability as the ran-off estimate, now with a finite spread.
    assert params.a / (params.a + params.b) == pytest.approx(
        RAN_OFF.a / (RAN_OFF.a + RAN_OFF.b), rel=0.02
    )
    # The likelihood is flat towards the limit: holding b there costs 0.03 of it.
    ran_off = bgnbd.log_likelihood(RAN_OFF, *weekly_rows(seed_history))
    assert ran_off - 0.05 < model.purchases.log_likelihood < ran_off


def test_the_held_fit_predicts_as_the_estimate_that_ran_off(
    seed_history: clv.PurchaseHistory,
) -> None:
    held = clv.fit(seed_history, clv.TimeUnit.WEEK)
    ran_off = dataclasses.replace(held, purchases=bgnbd.BgNbdFit(RAN_OFF, 0.0))

    predicted = clv.predict(held, seed_history, 12, 0.01)
    at_the_bound = clv.predict(ran_off, seed_history, 12, 0.01)

    np.testing.assert_allclose(predicted.clv, at_the_bound.clv, rtol=0.03)
    np.testing.assert_allclose(
        predicted.expected_purchases_12m, at_the_bound.expected_purchases_12m, rtol=0.03
    )
    np.testing.assert_allclose(predicted.p_alive, at_the_bound.p_alive, rtol=0.03)


def test_the_held_fit_does_not_depend_on_the_time_unit(
    seed_history: clv.PurchaseHistory,
) -> None:
    weekly = clv.fit(seed_history, clv.TimeUnit.WEEK)
    daily = clv.fit(seed_history, clv.TimeUnit.DAY)

    assert daily.purchases.params.alpha == pytest.approx(
        weekly.purchases.params.alpha * 7, rel=1e-3
    )
    np.testing.assert_allclose(
        clv.predict(daily, seed_history, 12, 0.01).clv,
        clv.predict(weekly, seed_history, 12, 0.01).clv,
        rtol=1e-3,
    )


def customers_paying_alike() -> clv.PurchaseHistory:
    """100 customers of 30 weeks who buy on a schedule; every repeat purchase is 250 EUR."""
    repeats = np.repeat(np.array([0, 1, 2, 3]), [40, 30, 20, 10])
    return clv.PurchaseHistory(
        repeat_purchases=repeats,
        recency_days=np.where(repeats > 0, 30 * repeats + 60, 0),
        age_days=np.full(len(repeats), 210),
        repeat_spend=np.where(repeats > 0, 250.0, 0.0),
    )


def test_customers_who_all_pay_the_same_are_expected_to_pay_it_again() -> None:
    # Without spread in what anyone pays, Gamma-Gamma's likelihood grows without end as p
    # and q do; the fit used to fail here.
    history = customers_paying_alike()

    model = clv.fit(history, clv.TimeUnit.WEEK)

    assert model.spend.params.p >= SHAPE_LIMIT * 0.99
    assert model.spend.params.q >= SHAPE_LIMIT * 0.99
    expected = gamma_gamma.expected_spend(
        model.spend.params, history.repeat_purchases.astype(np.float64), history.repeat_spend
    )
    np.testing.assert_allclose(expected, 250.0, rtol=1e-3)
    predictions = clv.predict(model, history, 12, 0.01)
    assert np.all(np.isfinite(predictions.clv))
    assert np.all(predictions.clv > 0)
