"""The demo seed's orders and the CLV fit on them, without a stack.

deploy/local/seed.py makes its orders (`order_bodies`) for its contacts (`contact_bodies`)
from one rng, relative to the wall clock: the same generator gives other purchase days at
another time of day. This runs the generator at many "now" values and rng seeds, summarises
the orders as the CLV fit job reads them (purchase days in UTC, same-day orders one
transaction; the dollar order left out, as it has no rate) and fits and predicts with
analytics' domain code as the seed's CLV run does (weeks, 12 months, 1 % a month). A
churned customer's CLV counts as 0, as in the read model. Prints per rng seed: failed fits,
the parameters' ranges, the top CLV and the histogram's top bin, the most expected purchases,
the most orders of a customer won in the last 30 days, the A customers, the top fifth's
share of revenue and the monthly cohorts filled. No database, no timing.

    .venv/bin/python bench/demo_clv.py [--hours 48] [--step-minutes 60] [--rng-seeds 42,1,2]
"""

from __future__ import annotations

import argparse
import importlib.util
import random
import sys
import uuid
from collections import defaultdict
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from types import ModuleType
from typing import Any

import numpy as np

from analytics.domain import clv
from analytics.domain.distribution import histogram
from analytics.domain.fitting import FitFailed
from analytics.domain.segments import AbcThresholds, abc_classes

SEED_PY = Path(__file__).resolve().parents[1] / "deploy" / "local" / "seed.py"
CONTACTS = 250  # the seed's default
HISTOGRAM_BINS = 20  # the customer-value page's


def load_seed(path: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location("demo_seed", path)
    if spec is None or spec.loader is None:
        raise SystemExit(f"cannot load {path}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while defined
    spec.loader.exec_module(module)
    return module


@dataclass(frozen=True)
class Demo:
    """What the seed posts: its contacts (as the API returns them) and orders."""

    contacts: list[dict[str, Any]]
    orders: list[dict[str, Any]]


def seed_demo(seed: ModuleType, rng_seed: int, now: datetime) -> Demo:
    rng = random.Random(rng_seed)
    contacts = [
        {**body, "id": str(uuid.UUID(int=index + 1))}
        for index, body in enumerate(seed.contact_bodies(rng, CONTACTS))
    ]
    return Demo(contacts, seed.order_bodies(rng, contacts, now))


def order_revenue(seed: ModuleType, order: dict[str, Any]) -> float:
    prices = {product[0]: product[2] for product in seed.CATALOGUE}
    return sum(
        float(line.get("unit_price", prices[line["sku"]])) * float(line["quantity"])
        for line in order["lines"]
    )


@dataclass(frozen=True)
class Summary:
    contact_ids: list[str]
    history: clv.PurchaseHistory
    first_days: list[date]
    order_counts: list[int]
    revenue: list[float]


def summarise(seed: ModuleType, demo: Demo, as_of: date) -> Summary:
    """The purchase summary of the CLV fit job's query (clv_repository._HISTORY)."""
    spend_by_day: dict[str, dict[date, float]] = defaultdict(lambda: defaultdict(float))
    orders: dict[str, int] = defaultdict(int)
    for order in demo.orders:
        if order["currency"] != "EUR":
            continue
        day = datetime.fromisoformat(order["ordered_at"]).astimezone(UTC).date()
        spend_by_day[order["contact_id"]][day] += order_revenue(seed, order)
        orders[order["contact_id"]] += 1
    ids = sorted(spend_by_day)
    repeats, recency, age, spend, firsts = [], [], [], [], []
    for contact_id in ids:
        days = sorted(spend_by_day[contact_id])
        repeats.append(len(days) - 1)
        recency.append((days[-1] - days[0]).days)
        age.append((as_of - days[0]).days)
        spend.append(sum(spend_by_day[contact_id][d] for d in days[1:]) / max(len(days) - 1, 1))
        firsts.append(days[0])
    history = clv.PurchaseHistory(
        np.array(repeats, dtype=np.int64),
        np.array(recency, dtype=np.int64),
        np.array(age, dtype=np.int64),
        np.array(spend, dtype=np.float64),
    )
    revenue = [sum(spend_by_day[c].values()) for c in ids]
    return Summary(ids, history, firsts, [orders[c] for c in ids], revenue)


@dataclass(frozen=True)
class Outcome:
    params: dict[str, float] | None
    error: str | None
    top_clv: float = 0.0
    top_bin: tuple[Decimal, Decimal] = (Decimal(0), Decimal(0))
    top_expected: float = 0.0
    newest_most_orders: int = 0
    a_customers: int = 0
    customers: int = 0
    top_fifth_revenue: float = 0.0
    cohorts: int = 0
    orders: int = 0


def shape_of_data(summary: Summary, as_of: date) -> dict[str, Any]:
    recent = [
        count
        for first, count in zip(summary.first_days, summary.order_counts, strict=True)
        if (as_of - first).days <= 30
    ]
    ranked = sorted(summary.revenue, reverse=True)
    months = {(first.year, first.month) for first in summary.first_days}
    return {
        "newest_most_orders": max(recent, default=0),
        "customers": len(summary.contact_ids),
        "top_fifth_revenue": sum(ranked[: len(ranked) // 5]) / sum(ranked),
        "cohorts": len(months),
        "orders": sum(summary.order_counts),
    }


def fit_once(seed: ModuleType, rng_seed: int, now: datetime) -> Outcome:
    demo = seed_demo(seed, rng_seed, now)
    as_of = now.date()
    summary = summarise(seed, demo, as_of)
    shape = shape_of_data(summary, as_of)
    try:
        model = clv.fit(summary.history, clv.TimeUnit.WEEK)
        predictions = clv.predict(model, summary.history, 12, 0.01)
    except FitFailed as failure:
        return Outcome(None, str(failure), **shape)
    churned = {c["id"] for c in demo.contacts if c["lifecycle_stage"] == "churned"}
    alive = np.array([contact_id not in churned for contact_id in summary.contact_ids])
    values = np.where(alive, predictions.clv, 0.0)
    bins = histogram([Decimal(f"{value:.2f}") for value in values], HISTOGRAM_BINS)
    ids = np.array([uuid.UUID(c).bytes for c in summary.contact_ids], dtype="V16")
    classes = abc_classes(ids, np.round(values * 100).astype(np.int64), AbcThresholds())
    return Outcome(
        {**asdict(model.purchases.params), **asdict(model.spend.params)},
        None,
        top_clv=float(values.max()),
        top_bin=(bins[-1].low, bins[-1].high),
        top_expected=float(predictions.expected_purchases_12m[alive].max()),
        a_customers=int(np.count_nonzero(classes == b"A")),
        **shape,
    )


def spread(values: list[Any], digits: str) -> str:
    return f"{min(values):{digits}}..{max(values):{digits}}"


FITTED_LINES: list[tuple[str, Callable[[Outcome], Any], str]] = [
    ("top CLV (EUR)", lambda o: o.top_clv, ",.0f"),
    ("most expected purchases in 12 months", lambda o: o.top_expected, ".1f"),
    ("A customers", lambda o: o.a_customers, "d"),
]
DATA_LINES: list[tuple[str, Callable[[Outcome], Any], str]] = [
    ("customers", lambda o: o.customers, "d"),
    ("orders", lambda o: o.orders, ",d"),
    ("most orders of a customer won in the last 30 days", lambda o: o.newest_most_orders, "d"),
    ("top fifth's share of revenue", lambda o: o.top_fifth_revenue, ".0%"),
    ("monthly cohorts", lambda o: o.cohorts, "d"),
]


def report(rng_seed: int, outcomes: list[Outcome]) -> None:
    fitted = [o for o in outcomes if o.params is not None]
    failed = [o for o in outcomes if o.params is None]
    print(f"rng seed {rng_seed}: {len(outcomes)} runs, {len(failed)} fits failed")
    if failed:
        print(f"  e.g. {failed[0].error}")
    if fitted:
        for name in ("r", "alpha", "a", "b", "p", "q", "gamma"):
            print(f"  {name:<6} {spread([(o.params or {})[name] for o in fitted], '.3g')}")
        for label, value, digits in FITTED_LINES:
            print(f"  {label} {spread([value(o) for o in fitted], digits)}")
        top_bins = [f"{low:,.0f}-{high:,.0f}" for low, high in sorted({o.top_bin for o in fitted})]
        print(f"  the histogram's top bin {', '.join(top_bins)}")
    for label, value, digits in DATA_LINES:
        print(f"  {label} {spread([value(o) for o in outcomes], digits)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hours", type=int, default=48, help="how long a span of 'now' values")
    parser.add_argument("--step-minutes", type=int, default=60)
    parser.add_argument("--start", default="2026-11-29T00:00:00+00:00", help="the first 'now'")
    parser.add_argument("--rng-seeds", default="42,1,2,3,4", help="42 is the seed's own")
    parser.add_argument("--seed-file", type=Path, default=SEED_PY, help="the generator")
    arguments = parser.parse_args()

    seed = load_seed(arguments.seed_file)
    start = datetime.fromisoformat(arguments.start)
    nows = [
        start + timedelta(minutes=minutes)
        for minutes in range(0, arguments.hours * 60, arguments.step_minutes)
    ]
    print(f"{arguments.seed_file}: {len(nows)} 'now' values from {start.isoformat()}")
    for rng_seed in (int(s) for s in arguments.rng_seeds.split(",")):
        report(rng_seed, [fit_once(seed, rng_seed, now) for now in nows])


if __name__ == "__main__":
    main()
