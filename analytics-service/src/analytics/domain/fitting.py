"""Maximum likelihood for the CLV models: one optimiser, one way to fail."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from numpy.typing import NDArray
from scipy.optimize import minimize

Array = NDArray[np.float64]
# Log-parameters beyond these mean the likelihood runs off to a boundary, not that a real
# estimate lies there; the shapes are held well within (SHAPE_LIMIT), the scales are not.
LOG_BOUND = 12.0
GRADIENT_TOLERANCE = 1e-4
# A shape parameter (BG/NBD's r, a, b; Gamma-Gamma's p, q) far above 1 says customers are
# alike (a point mass rather than a spread), far below 1 that a few are extreme. On data
# that barely identify the model the likelihood keeps rising, ever more slowly, towards
# such a limit (the demo seed's 183 customers: 0.03 of log-likelihood between b = 1,000 and
# b = 162,755), and the estimate ran off to LOG_BOUND. Within [1/SHAPE_LIMIT, SHAPE_LIMIT]
# the likelihood alone decides, so a well-identified fit (CDNOW) is the maximum-likelihood
# one, exactly; beyond, every customer pays SHAPE_PENALTY per squared log-unit, which holds
# the estimate at the limit, where it predicts as the limit model. lifetimes'
# penalizer_coef (coef * sum(params ** 2) on the mean log-likelihood) would stop the
# run-off too, but it moves every fit, large parameters most, and alpha's with the time
# unit; the scales (alpha, gamma) are not held here, so predictions keep not depending on
# the time unit or the currency's size.
SHAPE_LIMIT = 1e3
SHAPE_PENALTY = 1.0


class FitFailed(Exception):
    """The data does not identify the model, or the optimiser did not converge."""


def _beyond_limit(log_params: Array, shapes: NDArray[np.bool_]) -> Array:
    """How far each shape parameter lies outside the plausible range, in log-units."""
    excess = np.maximum(np.abs(log_params) - np.log(SHAPE_LIMIT), 0.0)
    return np.where(shapes, excess * np.sign(log_params), 0.0)


def maximise(
    log_likelihood: Callable[[Array], tuple[float, Array]],
    start: Array,
    model: str,
    scale: float,
    shapes: NDArray[np.bool_],
) -> tuple[Array, float]:
    """Maximise a log-likelihood given with its gradient over log-parameters, the `shapes`
    among them held within the plausible range (see SHAPE_LIMIT).

    The objective is divided by `scale` (the number of customers) so the optimiser's
    tolerances mean the same for 1,000 and 1,000,000 customers. Returns the parameters and
    the log-likelihood there (without the penalty).
    """

    def objective(log_params: Array) -> tuple[float, Array]:
        value, gradient = log_likelihood(log_params)
        if not np.isfinite(value):
            return np.inf, np.zeros_like(log_params)
        beyond = _beyond_limit(log_params, shapes)
        penalty = SHAPE_PENALTY * float(beyond @ beyond)
        return -value / scale + penalty, -gradient / scale + 2 * SHAPE_PENALTY * beyond

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
    beyond = _beyond_limit(estimate, shapes)
    penalty = SHAPE_PENALTY * float(beyond @ beyond)
    return np.exp(estimate), -(float(result.fun) - penalty) * scale
