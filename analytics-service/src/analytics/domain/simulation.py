"""Customers drawn from fitted BG/NBD and Gamma-Gamma models: test and benchmark data whose
true parameters are known."""

from __future__ import annotations

import numpy as np

from analytics.domain.bgnbd import BgNbdParams
from analytics.domain.clv import PurchaseHistory, TimeUnit
from analytics.domain.gamma_gamma import GammaGammaParams


def simulate(
    purchases: BgNbdParams,
    spend: GammaGammaParams,
    customers: int,
    max_age_days: int,
    seed: int,
    unit: TimeUnit = TimeUnit.WEEK,
) -> PurchaseHistory:
    """Each customer is alive from the first purchase, buys at rate lambda per time unit
    and drops out after each repeat purchase with probability p; ages are uniform in days."""
    rng = np.random.default_rng(seed)
    age_days = rng.integers(1, max_age_days + 1, customers)
    rate = rng.gamma(purchases.r, 1.0 / purchases.alpha, customers)
    dropout = rng.beta(purchases.a, purchases.b, customers)
    would_buy = rng.poisson(rate * age_days / unit.days)
    # The repeat purchase after which the customer drops out (1, 2, ...).
    last_possible = rng.geometric(np.clip(dropout, 1e-12, 1.0))
    x = np.minimum(would_buy, last_possible)
    repeat = x > 0
    # Given n purchases in (0, T], the x-th happens at T times the x-th of n uniform draws.
    share = np.zeros(customers)
    share[repeat] = rng.beta(x[repeat], would_buy[repeat] - x[repeat] + 1)
    recency_days = np.minimum(np.floor(share * age_days), age_days).astype(np.int64)
    value_rate = rng.gamma(spend.q, 1.0 / spend.gamma, customers)
    average = np.zeros(customers)
    average[repeat] = rng.gamma(spend.p * x[repeat], 1.0 / (value_rate[repeat] * x[repeat]))
    return PurchaseHistory(x.astype(np.int64), recency_days, age_days.astype(np.int64), average)
