"""analytics' BG/NBD + Gamma-Gamma fit and predictions side by side with the lifetimes library,
on the same 1,000,000 customers in one run.

lifetimes is no project dependency: it runs only in this benchmark's own throwaway
environment, which also needs numpy and scipy; analytics' domain code comes from the source
tree (it needs nothing else):

    uv venv /tmp/bench-lifetimes --python .venv/bin/python
    VIRTUAL_ENV=/tmp/bench-lifetimes uv pip install lifetimes
    PYTHONPATH=analytics-service/src /tmp/bench-lifetimes/bin/python bench/clv_vs_lifetimes.py

The customers are drawn from the model fitted on CDNOW (as in clv_fit.py). Prints the
seconds of each side, the speed-up and whether the parameters agree to 1e-3.
"""

from __future__ import annotations

import argparse
import resource
import time

import pandas as pd  # type: ignore[import-not-found, import-untyped, unused-ignore]
from lifetimes import (  # type: ignore[import-not-found, unused-ignore]
    BetaGeoFitter,
    GammaGammaFitter,
)

from analytics.domain import clv
from analytics.domain.bgnbd import BgNbdParams
from analytics.domain.gamma_gamma import GammaGammaParams
from analytics.domain.simulation import simulate

CDNOW = BgNbdParams(r=0.243, alpha=4.414, a=0.793, b=2.426)
SPEND = GammaGammaParams(p=6.25, q=3.74, gamma=15.44)
HORIZON_MONTHS = 12
MONTHLY_DISCOUNT = 0.01


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def ours(history: clv.PurchaseHistory) -> tuple[dict[str, float], float, float]:
    started = time.perf_counter()
    model = clv.fit(history, clv.TimeUnit.WEEK)
    fitted = time.perf_counter()
    clv.predict(model, history, HORIZON_MONTHS, MONTHLY_DISCOUNT)
    done = time.perf_counter()
    purchases, spend = model.purchases.params, model.spend.params
    params = {
        "r": purchases.r,
        "alpha": purchases.alpha,
        "a": purchases.a,
        "b": purchases.b,
        "p": spend.p,
        "q": spend.q,
        "gamma": spend.gamma,
    }
    return params, fitted - started, done - fitted


def theirs(history: clv.PurchaseHistory) -> tuple[dict[str, float], float, float]:
    weeks = clv.TimeUnit.WEEK.days
    frame = pd.DataFrame(
        {
            "x": history.repeat_purchases,
            "t_x": history.recency_days / weeks,
            "T": history.age_days / weeks,
            "m": history.repeat_spend,
        }
    )
    repeat = frame[frame["x"] > 0]
    started = time.perf_counter()
    purchases = BetaGeoFitter().fit(frame["x"], frame["t_x"], frame["T"])
    spend = GammaGammaFitter().fit(repeat["x"], repeat["m"])
    fitted = time.perf_counter()
    purchases.conditional_probability_alive(frame["x"], frame["t_x"], frame["T"])
    purchases.conditional_expected_number_of_purchases_up_to_time(
        HORIZON_MONTHS * 30.0 / weeks, frame["x"], frame["t_x"], frame["T"]
    )
    spend.customer_lifetime_value(
        purchases,
        frame["x"],
        frame["t_x"],
        frame["T"],
        frame["m"],
        time=HORIZON_MONTHS,
        discount_rate=MONTHLY_DISCOUNT,
        freq="W",
    )
    done = time.perf_counter()
    params = {**purchases.params_.to_dict(), **spend.params_.to_dict()}
    return (
        {"gamma" if k == "v" else k: float(v) for k, v in params.items()},
        fitted - started,
        done - fitted,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=1_000_000)
    arguments = parser.parse_args()
    history = simulate(CDNOW, SPEND, arguments.customers, max_age_days=273, seed=2005)
    print(f"customers            {len(history):,}")

    our_params, our_fit, our_predict = ours(history)
    our_rss = peak_rss_mb()
    their_params, their_fit, their_predict = theirs(history)
    for name, (fit, predict) in {
        "analytics": (our_fit, our_predict),
        "lifetimes": (their_fit, their_predict),
    }.items():
        print(
            f"{name:<20} fit {fit:.2f} s, predictions {predict:.2f} s, total {fit + predict:.2f} s"
        )
    speed_up = (their_fit + their_predict) / (our_fit + our_predict)
    print(
        f"speed-up             {speed_up:.1f}x (goal >= 10x; fit alone {their_fit / our_fit:.1f}x)"
    )
    differences = {k: abs(our_params[k] - their_params[k]) for k in our_params}
    worst = max(differences, key=lambda k: differences[k])
    agree = "agree" if differences[worst] < 1e-3 else "DIFFER"
    largest = f"{worst}: {differences[worst]:.2e}"
    print(f"parameters           {agree} to 1e-3 (largest difference {largest})")
    for name in our_params:
        print(f"  {name:<6} {our_params[name]:10.4f} {their_params[name]:10.4f}")
    print(
        f"peak RSS             {our_rss:.0f} MB after ours, {peak_rss_mb():.0f} MB after lifetimes"
    )


if __name__ == "__main__":
    main()
