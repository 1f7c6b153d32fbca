"""The CLV math on the published CDNOW summary, its gradients and its properties."""

from __future__ import annotations

import itertools
from pathlib import Path

import numpy as np
import pytest
from scipy.optimize import check_grad

from analytics.domain import bgnbd, clv, gamma_gamma
from analytics.domain.fitting import FitFailed
from analytics.domain.simulation import simulate

SUMMARY = Path(__file__).parents[1] / "data" / "cdnow_customers_summary_with_transactions.csv"
CDNOW = bgnbd.BgNbdParams(r=0.243, alpha=4.414, a=0.793, b=2.426)
SPEND = gamma_gamma.GammaGammaParams(p=6.25, q=3.74, gamma=15.44)


@pytest.fixture(scope="module")
def summary() -> dict[str, np.ndarray]:
    table = np.genfromtxt(SUMMARY, delimiter=",", names=True)
    return {name: np.asarray(table[name], dtype=np.float64) for name in ("x", "t_x", "T", "zbar")}


def test_bgnbd_reproduces_the_published_cdnow_fit(summary: dict[str, np.ndarray]) -> None:
    fitted = bgnbd.fit(summary["x"], summary["t_x"], summary["T"])

    assert round(fitted.params.r, 3) == 0.243
    assert round(fitted.params.alpha, 3) == 4.414
    assert round(fitted.params.a, 3) == 0.793
    assert round(fitted.params.b, 3) == 2.426
    assert round(fitted.log_likelihood, 1) == -9582.4


def test_gamma_gamma_reproduces_the_published_cdnow_fit(summary: dict[str, np.ndarray]) -> None:
    fitted = gamma_gamma.fit(summary["x"], summary["zbar"])

    assert fitted.customers == 946
    assert fitted.params.p == pytest.approx(6.25, abs=5e-3)
    assert fitted.params.q == pytest.approx(3.74, abs=5e-3)
    # The likelihood is flat along gamma: the maximum is at 15.448, and 15.44 (published)
    # is 2e-6 below it in log-likelihood.
    assert fitted.params.gamma == pytest.approx(15.44, abs=1e-2)


def test_the_published_example_customer(summary: dict[str, np.ndarray]) -> None:
    # Customer 1 of the summary: x=2, t_x=30.43, T=38.86; FHL's worked example expects
    # 1.226 purchases in the next 39 weeks.
    x, t_x, age = np.array([2.0]), np.array([30.43]), np.array([38.86])

    assert bgnbd.expected_purchases(CDNOW, 39.0, x, t_x, age)[0] == pytest.approx(1.226, abs=1e-3)


def test_a_weighted_summary_fits_as_the_full_one(summary: dict[str, np.ndarray]) -> None:
    rows = np.stack([summary["x"], summary["t_x"], summary["T"]], axis=1)
    distinct, counts = np.unique(rows, axis=0, return_counts=True)

    weighted = bgnbd.fit(distinct[:, 0], distinct[:, 1], distinct[:, 2], counts.astype(float))

    assert len(distinct) < len(rows)
    assert weighted.log_likelihood == pytest.approx(-9582.43, abs=1e-2)


def test_the_gradients_match_the_likelihoods(summary: dict[str, np.ndarray]) -> None:
    x, t_x, age = summary["x"][:300], summary["t_x"][:300], summary["T"][:300]

    def value(params: np.ndarray) -> float:
        return bgnbd.log_likelihood(bgnbd.BgNbdParams(*params), x, t_x, age)

    def gradient(params: np.ndarray) -> np.ndarray:
        _per_customer, alive, dropped, _ = bgnbd._terms(params, x, t_x, age)
        return np.asarray(bgnbd._gradient(params, x, t_x, age, alive, dropped).sum(axis=1))

    spend_x, spend = summary["x"][summary["x"] > 0], summary["zbar"][summary["x"] > 0]

    def spend_value(params: np.ndarray) -> float:
        return gamma_gamma.log_likelihood(gamma_gamma.GammaGammaParams(*params), spend_x, spend)

    def spend_gradient(params: np.ndarray) -> np.ndarray:
        data = gamma_gamma._Spend.of(spend_x, spend)
        return np.asarray(gamma_gamma._gradient(params, data).sum(axis=1))

    at = CDNOW.as_array() * 1.3
    assert check_grad(value, gradient, at) < 1e-4 * np.linalg.norm(gradient(at))
    at = np.array([6.0, 3.0, 12.0])
    assert check_grad(spend_value, spend_gradient, at) < 1e-4 * np.linalg.norm(spend_gradient(at))


def random_customers(seed: int, n: int = 2000) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    age = rng.uniform(0.0, 100.0, n)
    x = rng.integers(0, 60, n).astype(float)
    t_x = np.where(x > 0, rng.uniform(0.0, 1.0, n) * age, 0.0)
    return x, t_x, age


def random_params(seed: int) -> bgnbd.BgNbdParams:
    rng = np.random.default_rng(seed)
    r, alpha, a, b = np.exp(rng.uniform(-2.5, 2.5, 4))
    return bgnbd.BgNbdParams(float(r), float(alpha), float(a) + 1e-3, float(b))


@pytest.mark.parametrize("seed", range(20))
def test_p_alive_is_a_probability(seed: int) -> None:
    params, (x, t_x, age) = random_params(seed), random_customers(seed)

    alive = bgnbd.probability_alive(params, x, t_x, age)

    assert np.all((alive >= 0) & (alive <= 1))
    assert np.all(alive[x == 0] == 1)


@pytest.mark.parametrize("seed", range(20))
def test_expected_purchases_grow_with_the_horizon(seed: int) -> None:
    params, (x, t_x, age) = random_params(seed), random_customers(seed, 500)
    horizons = np.array([0.5, 1.0, 4.0, 13.0, 52.0, 104.0])

    expected = np.stack([bgnbd.expected_purchases(params, t, x, t_x, age) for t in horizons])

    assert np.all(np.isfinite(expected))
    assert np.all(expected >= 0)
    assert np.all(np.diff(expected, axis=0) >= -1e-9 * np.maximum(1.0, expected[1:]))


def day_history(seed: int, n: int = 3000) -> clv.PurchaseHistory:
    return simulate(CDNOW, SPEND, n, max_age_days=400, seed=seed)


@pytest.mark.parametrize("seed", range(5))
def test_clv_falls_with_the_discount_rate(seed: int) -> None:
    history = day_history(seed)
    model = clv.fit(history, clv.TimeUnit.WEEK)

    values = [clv.predict(model, history, 24, rate).clv for rate in (0.0, 0.01, 0.05, 0.2)]

    assert np.all(values[0] > 0)
    for higher, lower in itertools.pairwise(values):
        assert np.all(lower < higher)


def test_the_time_unit_changes_the_parameters_not_the_predictions() -> None:
    history = day_history(7)

    weekly = clv.predict(clv.fit(history, clv.TimeUnit.WEEK), history, 12, 0.01)
    daily = clv.predict(clv.fit(history, clv.TimeUnit.DAY), history, 12, 0.01)

    np.testing.assert_allclose(weekly.expected_purchases_12m, daily.expected_purchases_12m, 1e-4)
    np.testing.assert_allclose(weekly.clv, daily.clv, rtol=1e-4)


def test_without_repeat_buyers_the_fit_fails_clearly() -> None:
    history = clv.PurchaseHistory(
        np.zeros(5, np.int64), np.zeros(5, np.int64), np.arange(1, 6), np.zeros(5)
    )

    with pytest.raises(FitFailed, match="no customer has a repeat purchase"):
        clv.fit(history, clv.TimeUnit.WEEK)


def test_a_single_customer_is_no_fit() -> None:
    history = clv.PurchaseHistory(np.array([3]), np.array([20]), np.array([40]), np.array([12.5]))

    with pytest.raises(FitFailed, match="at least 2 customers"):
        clv.fit(history, clv.TimeUnit.WEEK)


def test_a_simulated_base_gives_back_its_parameters() -> None:
    history = simulate(CDNOW, SPEND, 200_000, max_age_days=273, seed=11)

    model = clv.fit(history, clv.TimeUnit.WEEK)

    fitted = model.purchases.params
    np.testing.assert_allclose(
        [fitted.r, fitted.alpha, fitted.a, fitted.b], CDNOW.as_array(), rtol=0.15
    )
    spend = model.spend.params
    np.testing.assert_allclose([spend.p, spend.q, spend.gamma], [6.25, 3.74, 15.44], rtol=0.15)
