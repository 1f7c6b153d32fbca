"""The BG/NBD model of repeat purchasing (Fader, Hardie & Lee 2005, "Counting Your Customers
the Easy Way"): while alive, a customer buys as a Poisson process with rate
lambda ~ Gamma(r, alpha); after each purchase they drop out with probability p ~ Beta(a, b).

Per customer: x repeat purchases, t_x the time of the last one and T the customer's age, both
counted from the first purchase in one time unit. Every function takes arrays and works on
all customers at once; `weights` count identical customers, so a summary compressed to its
distinct rows fits exactly as the full one.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from scipy.special import digamma, expit, gammaln, hyp2f1

from analytics.domain.fitting import FitFailed, maximise

Array = NDArray[np.float64]
# r, a and b are shapes; alpha is a scale, in the time unit (a week's alpha is a day's / 7).
_SHAPES = np.array([True, False, True, True])


@dataclass(frozen=True)
class BgNbdParams:
    r: float
    alpha: float
    a: float
    b: float

    def as_array(self) -> Array:
        return np.array([self.r, self.alpha, self.a, self.b])


@dataclass(frozen=True)
class BgNbdFit:
    params: BgNbdParams
    log_likelihood: float


def _terms(params: Array, x: Array, t_x: Array, age: Array) -> tuple[Array, Array, Array, Array]:
    """The log-likelihood per customer and the weights of its two branches (still alive at
    T, or dropped out after the last purchase), which the gradient needs as well."""
    r, alpha, a, b = params
    head = (
        gammaln(r + x)
        - gammaln(r)
        + r * np.log(alpha)
        + gammaln(a + b)
        + gammaln(b + x)
        - gammaln(b)
        - gammaln(a + b + x)
    )
    alive = -(r + x) * np.log(alpha + age)
    repeat = x > 0
    dropped = np.full_like(x, -np.inf)
    dropped[repeat] = (
        np.log(a) - np.log(b + x[repeat] - 1) - (r + x[repeat]) * np.log(alpha + t_x[repeat])
    )
    tail = np.logaddexp(alive, dropped)
    return head + tail, np.exp(alive - tail), np.exp(dropped - tail), repeat.astype(np.float64)


def log_likelihood(
    params: BgNbdParams, x: Array, t_x: Array, age: Array, weights: Array | None = None
) -> float:
    per_customer, _, _, _ = _terms(params.as_array(), x, t_x, age)
    return float(np.sum(per_customer if weights is None else weights * per_customer))


def _gradient(
    params: Array, x: Array, t_x: Array, age: Array, alive: Array, dropped: Array
) -> Array:
    r, alpha, a, b = params
    x_minus_one = np.where(x > 0, x - 1, 0.0)
    repeat_alpha = np.where(x > 0, alpha + t_x, 1.0)
    d_r = (
        digamma(r + x)
        - digamma(r)
        + np.log(alpha)
        - alive * np.log(alpha + age)
        - dropped * np.log(repeat_alpha)
    )
    d_alpha = r / alpha - alive * (r + x) / (alpha + age) - dropped * (r + x) / repeat_alpha
    d_a = digamma(a + b) - digamma(a + b + x) + dropped / a
    d_b = (
        digamma(a + b)
        + digamma(b + x)
        - digamma(b)
        - digamma(a + b + x)
        - dropped / (b + x_minus_one)
    )
    return np.stack([d_r, d_alpha, d_a, d_b])


def fit(x: Array, t_x: Array, age: Array, weights: Array | None = None) -> BgNbdFit:
    """Maximum likelihood over log-parameters (so they stay positive)."""
    if not np.any(x > 0):
        raise FitFailed("no customer has a repeat purchase, so the BG/NBD model cannot be fitted")
    w = np.ones_like(x) if weights is None else weights

    def objective(log_params: Array) -> tuple[float, Array]:
        params = np.exp(log_params)
        per_customer, alive, dropped, _ = _terms(params, x, t_x, age)
        gradient = _gradient(params, x, t_x, age, alive, dropped) @ w
        return float(per_customer @ w), gradient * params

    estimate, value = maximise(
        objective, np.log([1.0, 1.0, 1.0, 1.0]), "BG/NBD", float(w.sum()), _SHAPES
    )
    r, alpha, a, b = (float(v) for v in estimate)
    return BgNbdFit(BgNbdParams(r, alpha, a, b), value)


def _log_dropout_odds(params: BgNbdParams, x: Array, t_x: Array, age: Array) -> Array:
    """log of a/(b+x-1) * ((alpha+T)/(alpha+t_x))^(r+x): the odds that a repeat buyer has dropped
    out after the last purchase; -inf for customers without a repeat purchase."""
    r, alpha, a, b = params.r, params.alpha, params.a, params.b
    odds = np.full_like(x, -np.inf)
    repeat = x > 0
    xr = x[repeat]
    odds[repeat] = (
        np.log(a)
        - np.log(b + xr - 1)
        + (r + xr) * (np.log(alpha + age[repeat]) - np.log(alpha + t_x[repeat]))
    )
    return odds


def probability_alive(params: BgNbdParams, x: Array, t_x: Array, age: Array) -> Array:
    return np.asarray(expit(-_log_dropout_odds(params, x, t_x, age)), dtype=np.float64)


def expected_purchases(
    params: BgNbdParams, t: float | Array, x: Array, t_x: Array, age: Array
) -> Array:
    """E[Y(t) | x, t_x, T]: expected purchases in the next t time units (FHL 2005, eq. 10)."""
    r, alpha, a, b = params.r, params.alpha, params.a, params.b
    horizon = alpha + age + t
    z = t / horizon
    bracket = 1.0 - np.exp((r + x) * np.log((alpha + age) / horizon)) * hyp2f1(
        r + x, b + x, a + b + x - 1, z
    )
    expected = (a + b + x - 1) / (a - 1) * bracket
    return np.asarray(expected * probability_alive(params, x, t_x, age), dtype=np.float64)
