"""Maximum likelihood for the CLV models: one optimiser, one way to fail."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from numpy.typing import NDArray
from scipy.optimize import minimize

Array = NDArray[np.float64]
# Log-parameters beyond these mean the likelihood runs off to a boundary (e.g. every customer
# behaves alike), not that a real estimate lies there.
LOG_BOUND = 12.0
GRADIENT_TOLERANCE = 1e-4


class FitFailed(Exception):
    """The data does not identify the model, or the optimiser did not converge."""


def maximise(
    log_likelihood: Callable[[Array], tuple[float, Array]],
    start: Array,
    model: str,
    scale: float,
) -> tuple[Array, float]:
    """Maximise a log-likelihood given with its gradient over log-parameters.

    The objective is divided by `scale` (the number of customers) so the optimiser's
    tolerances mean the same for 1,000 and 1,000,000 customers. Returns the parameters and
    the maximal log-likelihood.
    """

    def objective(log_params: Array) -> tuple[float, Array]:
        value, gradient = log_likelihood(log_params)
        if not np.isfinite(value):
            return np.inf, np.zeros_like(log_params)
        return -value / scale, -gradient / scale

    result = minimize(
        objective,
        start,
        jac=True,
        method="L-BFGS-B",
        bounds=[(-LOG_BOUND, LOG_BOUND)] * len(start),
        options={"ftol": 1e-13, "gtol": 1e-7, "maxiter": 1000},
    )
    estimate = np.asarray(result.x, dtype=np.float64)
    gradient = np.asarray(result.jac, dtype=np.float64)
    if not np.isfinite(result.fun) or np.max(np.abs(gradient)) > GRADIENT_TOLERANCE:
        raise FitFailed(f"the {model} fit did not converge: {result.message}")
    if np.any(np.abs(estimate) >= LOG_BOUND - 1e-6):
        raise FitFailed(
            f"the {model} fit ran off to a boundary (parameters {np.exp(estimate).tolist()}); "
            "the data does not identify the model"
        )
    return np.exp(estimate), -float(result.fun) * scale
