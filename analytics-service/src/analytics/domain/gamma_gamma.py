"""The Gamma-Gamma model of spend per transaction (Fader, Hardie & Lee 2005, "RFM and CLV";
Colombo & Jiang 1999): a customer's transaction values are Gamma(p, nu) with nu ~ Gamma(q, gamma)
across customers, independent of how often they buy.

It is fitted on the customers with repeat purchases: x of them and their average value
m_x (zbar); the first purchase is left out, as in the published CDNOW results.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from scipy.special import betaln, digamma

from analytics.domain.fitting import FitFailed, maximise

Array = NDArray[np.float64]
# p and q are shapes; gamma is a scale, in money (a cent's gamma is a euro's * 100).
_SHAPES = np.array([True, True, False])


@dataclass(frozen=True)
class GammaGammaParams:
    p: float
    q: float
    gamma: float


@dataclass(frozen=True)
class GammaGammaFit:
    params: GammaGammaParams
    log_likelihood: float
    customers: int


@dataclass(frozen=True)
class _Spend:
    """The fit's data with what does not depend on the parameters computed once; x takes
    few distinct values, so the special functions run on those only."""

    x: Array
    spend: Array
    log_spend: Array
    log_x: Array
    distinct_x: Array
    inverse: NDArray[np.intp]

    @classmethod
    def of(cls, x: Array, spend: Array) -> _Spend:
        distinct_x, inverse = np.unique(x, return_inverse=True)
        return cls(x, spend, np.log(spend), np.log(x), distinct_x, inverse)


def _log_likelihood(params: Array, data: _Spend) -> Array:
    p, q, gamma = params
    x = data.x
    values = (
        -betaln(p * data.distinct_x, q)[data.inverse]
        + q * np.log(gamma)
        + (p * x - 1) * data.log_spend
        + p * x * data.log_x
        - (p * x + q) * np.log(x * data.spend + gamma)
    )
    return np.asarray(values, dtype=np.float64)


def _gradient(params: Array, data: _Spend) -> Array:
    p, q, gamma = params
    x, ux = data.x, data.distinct_x
    shared = digamma(p * ux + q)
    d_p_special = (ux * (shared - digamma(p * ux)))[data.inverse]
    d_q_special = (shared - digamma(q))[data.inverse]
    base = x * data.spend + gamma
    total = np.log(base)
    d_p = d_p_special + x * (data.log_spend + data.log_x - total)
    d_q = d_q_special + np.log(gamma) - total
    d_gamma = q / gamma - (p * x + q) / base
    return np.stack([d_p, d_q, d_gamma])


def log_likelihood(params: GammaGammaParams, x: Array, spend: Array) -> float:
    values = np.array([params.p, params.q, params.gamma])
    return float(np.sum(_log_likelihood(values, _Spend.of(x, spend))))


def fit(x: Array, spend: Array, weights: Array | None = None) -> GammaGammaFit:
    """Fit on every customer with x > 0 and a positive average spend; others are ignored."""
    usable = (x > 0) & (spend > 0)
    if np.count_nonzero(usable) < 2:
        raise FitFailed(
            "the Gamma-Gamma spend model needs at least two customers with repeat purchases "
            f"of positive value; there are {np.count_nonzero(usable)}"
        )
    data = _Spend.of(x[usable], spend[usable])
    w = np.ones_like(data.x) if weights is None else weights[usable]

    def objective(log_params: Array) -> tuple[float, Array]:
        params = np.exp(log_params)
        value = float(_log_likelihood(params, data) @ w)
        return value, (_gradient(params, data) @ w) * params

    estimate, value = maximise(
        objective, np.log([1.0, 1.0, 1.0]), "Gamma-Gamma", float(w.sum()), _SHAPES
    )
    p, q, gamma = (float(v) for v in estimate)
    if q <= 1:
        raise FitFailed(
            f"the Gamma-Gamma fit gives q = {q:.3f} <= 1, an infinite mean spend; "
            "spend varies too much across customers for this model"
        )
    return GammaGammaFit(GammaGammaParams(p, q, gamma), value, int(w.sum()))


def expected_spend(params: GammaGammaParams, x: Array, spend: Array) -> Array:
    """E[M | x, m_x]: the expected value of a customer's future transactions, a weighted mean
    of the population mean p*gamma/(q-1) and the customer's own average; customers without a
    repeat purchase get the population mean."""
    p, q, gamma = params.p, params.q, params.gamma
    observed = np.where(x > 0, spend, 0.0)
    return np.asarray((p * (gamma + x * observed)) / (p * x + q - 1), dtype=np.float64)
