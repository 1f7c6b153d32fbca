"""BG/NBD + Gamma-Gamma fit and predictions for 1,000,000 customers, in memory.

The customers are drawn from the model fitted on CDNOW (r=0.243, alpha=4.414, a=0.793,
b=2.426; p=6.25, q=3.74, gamma=15.44) with ages up to 39 weeks in whole days, as the read
model hands them to the fit job. Prints the seconds of each step and the peak RSS; the
issue's anchor is the lifetimes library at about 11 s and 500 MB for the BG/NBD fit alone.

    .venv/bin/python bench/clv_fit.py [--customers 1000000]
"""

from __future__ import annotations

import argparse
import resource
import time

from analytics.domain import clv
from analytics.domain.bgnbd import BgNbdParams
from analytics.domain.gamma_gamma import GammaGammaParams
from analytics.domain.simulation import simulate

CDNOW = BgNbdParams(r=0.243, alpha=4.414, a=0.793, b=2.426)
SPEND = GammaGammaParams(p=6.25, q=3.74, gamma=15.44)


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=1_000_000)
    parser.add_argument("--horizon-months", type=int, default=12)
    arguments = parser.parse_args()

    history = simulate(CDNOW, SPEND, arguments.customers, max_age_days=273, seed=2005)
    rss_before = peak_rss_mb()
    started = time.perf_counter()
    model = clv.fit(history, clv.TimeUnit.WEEK)
    fitted = time.perf_counter()
    predictions = clv.predict(model, history, arguments.horizon_months, 0.01)
    done = time.perf_counter()

    purchases, spend = model.purchases.params, model.spend.params
    print(f"customers            {len(history):,} ({model.spend.customers:,} repeat buyers)")
    print(
        f"BG/NBD               r={purchases.r:.3f} alpha={purchases.alpha:.3f} "
        f"a={purchases.a:.3f} b={purchases.b:.3f} LL={model.purchases.log_likelihood:.1f}"
    )
    print(f"Gamma-Gamma          p={spend.p:.3f} q={spend.q:.3f} gamma={spend.gamma:.3f}")
    print(f"fit (both models)    {fitted - started:.2f} s")
    print(f"predictions          {done - fitted:.2f} s ({arguments.horizon_months} months)")
    print(f"fit + predictions    {done - started:.2f} s")
    print(f"mean CLV             {predictions.clv.mean():.2f}")
    print(
        f"peak RSS             {peak_rss_mb():.0f} MB (after drawing the data: {rss_before:.0f} MB)"
    )


if __name__ == "__main__":
    main()
