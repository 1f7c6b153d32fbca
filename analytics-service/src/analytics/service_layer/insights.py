"""The insights as the SPA draws them: the repository's aggregates turned into figures,
series (one point per calendar month, months without data included) and matrices."""

from __future__ import annotations

import uuid
from dataclasses import asdict
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from analytics.adapters.insights import DRIVER_MEASURES, DRIVER_TRAITS, InsightsRepository, Sales
from analytics.domain.distribution import CENT, histogram, median, pareto
from analytics.domain.drivers import (
    Effect,
    OddsRatio,
    mean_difference,
    odds_ratio,
    rate_difference,
)
from analytics.domain.insights import (
    CHURN_REASONS,
    CohortCell,
    Margin,
    add_months,
    change,
    cohort_rows,
    last_months,
    nps,
    period_start,
    periods,
    rate,
)
from analytics.domain.money import Converted, ReportingCurrency
from analytics.domain.segments import ABC_CLASSES
from analytics.service_layer.clv_fit import CLV_FIT

TREND_MONTHS = 12


async def dashboard(
    repository: InsightsRepository,
    as_of: datetime,
    risk_threshold: float,
    money: ReportingCurrency,
    segment_id: uuid.UUID | None = None,
) -> dict[str, Any]:
    """Every figure of the dashboard (A9) as of a moment; "last 12 months" is the rolling
    window [as_of - 12 months, as_of), compared with the 12 months before it. Revenue is
    converted into the reporting currency (orders without a rate are counted apart); the
    CLV figures are in the currency of the last CLV run. With `segment_id` the same
    figures of a saved segment's members: their customer rows, orders, NPS answers,
    contracts and feedback cases."""
    year_ago = add_months(as_of, -12)
    two_years_ago = add_months(as_of, -24)
    months = last_months(as_of, TREND_MONTHS)

    people = await repository.customer_figures(as_of, year_ago, risk_threshold, segment_id)
    nps_windows: dict[bool, Any]
    nps_months: dict[datetime, Any]
    if segment_id is None:
        windows = await repository.revenue_windows(as_of, year_ago, two_years_ago)
        month_rows = await repository.revenue_by_month(months[0], as_of)
        nps_windows = {
            row["current"]: row
            for row in await repository.nps_windows(as_of, year_ago, two_years_ago)
        }
        nps_months = {row["month"]: row for row in await repository.nps_by_month(months[0], as_of)}
    else:
        # One pass over the members' orders and one over their answers of both windows.
        orders = await repository.member_orders(segment_id, two_years_ago, year_ago, as_of)
        windows = {
            "current": [row for row in orders if row["current"]],
            "previous": [row for row in orders if not row["current"]],
        }
        month_rows = [row for row in orders if row["month"] >= months[0]]
        nps_windows, nps_months = _nps_of(
            await repository.member_answers(segment_id, two_years_ago, year_ago, as_of), months[0]
        )
    current = Converted(money).add_all(windows["current"])
    previous = Converted(money).add_all(windows["previous"])
    revenue_months: dict[datetime, Converted] = {}
    for row in month_rows:
        revenue_months.setdefault(row["month"], Converted(money)).add_all([row])
    clv_run = await repository.last_run(CLV_FIT)
    today = as_of.date()
    renewals = await repository.renewals_due(
        today, today + timedelta(days=30), today + timedelta(days=60), segment_id
    )
    cases = await repository.open_cases(as_of, segment_id)

    def score(row: Any) -> float | None:
        if row is None:
            return None
        return nps(row["promoters"], row["passives"], row["detractors"])

    current_nps, previous_nps = score(nps_windows.get(True)), score(nps_windows.get(False))
    return {
        "as_of": as_of,
        "segment_id": segment_id,
        "customers": people["customers"],
        "active_customers": people["active"],
        "churn": {
            "churned_12m": people["churned_12m"],
            "customers_12m_ago": people["customers_year_ago"],
            "rate_12m": rate(people["churned_12m"], people["customers_year_ago"]),
        },
        "nps": {
            "score_12m": current_nps,
            "responses_12m": _answers(nps_windows.get(True)),
            "previous_score": previous_nps,
            "change": (
                round(current_nps - previous_nps, 1)
                if current_nps is not None and previous_nps is not None
                else None
            ),
            "trend": [
                {
                    "month": month.date(),
                    "score": score(nps_months.get(month)),
                    "responses": _answers(nps_months.get(month)),
                }
                for month in months
            ],
        },
        "revenue": {
            "currency": money.currency,
            "last_12m": current.total,
            "previous_12m": previous.total,
            "change": change(current.total, previous.total),
            "orders_12m": current.orders,
            "left_out": current.left_out(),
            "trend": [
                {
                    "month": month.date(),
                    "revenue": revenue_months[month].total
                    if month in revenue_months
                    else Decimal(0),
                    "orders": revenue_months[month].orders if month in revenue_months else 0,
                }
                for month in months
            ],
        },
        "clv": {
            **_clv_currency(clv_run, money),
            "customers": people["with_clv"],
            "total": people["total_clv"] or Decimal(0),
            "average": (
                (people["total_clv"] / people["with_clv"]).quantize(Decimal("0.01"))
                if people["with_clv"]
                else None
            ),
        },
        "abc": {"A": people["class_a"], "B": people["class_b"], "C": people["class_c"]},
        "at_risk": people["at_risk"],
        "risk_threshold": risk_threshold,
        "renewals_due": {
            "within_30_days": renewals["within_30"],
            "within_60_days": renewals["within_60"],
        },
        "feedback_cases": {"open": cases["open"], "overdue": cases["overdue"]},
    }


def _clv_currency(run: dict[str, Any] | None, money: ReportingCurrency) -> dict[str, Any]:
    """The currency of the last CLV run's predictions and the customers it left out (none
    before any run; a run older than the reporting currency was in the default one)."""
    result = run or {}
    return {
        "currency": result.get("currency", money.currency),
        "left_out_customers": result.get("left_out_customers", 0),
        "left_out_currencies": result.get("left_out_currencies", []),
    }


_CATEGORIES = ("promoters", "passives", "detractors")


def _nps_of(
    rows: list[Any], since: datetime
) -> tuple[dict[bool, dict[str, int]], dict[datetime, dict[str, int]]]:
    """The NPS windows (by current) and the months from `since` of member_answers' rows,
    in the shapes of nps_windows and nps_by_month."""
    windows: dict[bool, dict[str, int]] = {}
    months: dict[datetime, dict[str, int]] = {}
    for row in rows:
        targets = [windows.setdefault(row["current"], dict.fromkeys(_CATEGORIES, 0))]
        if row["month"] >= since:
            targets.append(months.setdefault(row["month"], dict.fromkeys(_CATEGORIES, 0)))
        for target in targets:
            for category in _CATEGORIES:
                target[category] += row[category]
    return windows, months


def _answers(row: Any) -> int:
    if row is None:
        return 0
    return int(row["promoters"] + row["passives"] + row["detractors"])


async def product_margins(
    repository: InsightsRepository,
    as_of: datetime,
    months: int,
    threshold_percent: Decimal,
    money: ReportingCurrency,
    segment_id: uuid.UUID | None = None,
) -> dict[str, Any]:
    """Offer margins (A6) over the `months` calendar months ending with as_of's month (up to
    as_of): per product the sums, the margin and margin %, and the trend by month; products
    under the threshold are candidates to drop, with the revenue and the customers (who
    bought any of them in the period) that dropping them would affect. With `segment_id`
    only what the segment's members bought. Amounts in the reporting currency; lines in a
    currency without a rate are left out (their orders counted in `left_out`). Of
    everyone up to a moment after the last association run's cutoff, from its counts and
    the lines since (the same figures, in under a second instead of a scan of every line
    of the window)."""
    periods = last_months(as_of, months)
    since = periods[0]
    sales = await repository.counted_margins(Sales(since, as_of, money, segment_id))
    trend: dict[Any, dict[Any, Any]] = {}
    for row in await repository.product_months(sales):
        trend.setdefault(row["product_id"], {})[row["month"]] = row
    products = []
    candidates = []
    for row in await repository.product_margins(sales):
        margin = Margin(row["revenue"], row["cost"])
        drop = margin.below(threshold_percent)
        if drop:
            candidates.append(row)
        by_month = trend.get(row["product_id"], {})
        products.append(
            {
                **_margin_figures(margin),
                "product_id": row["product_id"],
                "sku": row["sku"],
                "product_name": row["product_name"],
                "quantity": row["quantity"],
                "orders": row["orders"],
                "customers": row["customers"],
                "candidate_to_drop": drop,
                "trend": [
                    {"month": month.date(), **_margin_figures(_month_margin(by_month.get(month)))}
                    for month in periods
                ],
            }
        )
    dropped = [row["product_id"] for row in candidates]
    return {
        "since": since,
        "until": as_of,
        "segment_id": segment_id,
        "currency": money.currency,
        "left_out": await repository.lines_left_out(sales),
        "threshold_percent": threshold_percent,
        "products": products,
        "candidates": {
            "products": len(candidates),
            "revenue": sum((row["revenue"] for row in candidates), Decimal(0)),
            "margin": sum((row["revenue"] - row["cost"] for row in candidates), Decimal(0)),
            "customers": (await repository.customers_of(dropped, sales) if dropped else 0),
        },
    }


def _month_margin(row: Any) -> Margin:
    if row is None:
        return Margin(Decimal(0), Decimal(0))
    return Margin(row["revenue"], row["cost"])


def _margin_figures(margin: Margin) -> dict[str, Any]:
    return {
        "revenue": margin.revenue,
        "cost": margin.cost,
        "margin": margin.margin,
        "margin_percent": margin.percent,
    }


async def churn_reasons(
    repository: InsightsRepository,
    as_of: datetime,
    interval: str,
    since: datetime,
    segment_id: uuid.UUID | None = None,
) -> dict[str, Any]:
    """Churns (each customer.churned, won back later or not) by reason code per period from
    since's period to as_of, and by reason code per ABC class (the customer's class now)."""
    start = period_start(since, interval)
    starts = periods(start, as_of, interval)
    rows = await repository.churn_reasons(interval, start, as_of, segment_id)
    reasons = list(CHURN_REASONS) + sorted({r["reason"] for r in rows} - set(CHURN_REASONS))
    counts = {(r["period"], r["reason"], r["abc_class"]): r["churns"] for r in rows}

    def total(period: datetime | None = None, reason: str | None = None, abc: Any = ...) -> int:
        return sum(
            n
            for (p, why, c), n in counts.items()
            if (period is None or p == period)
            and (reason is None or why == reason)
            and (abc is ... or c == abc)
        )

    classes: list[str | None] = [*ABC_CLASSES, None]
    return {
        "interval": interval,
        "segment_id": segment_id,
        "since": start,
        "until": as_of,
        "periods": [p.date() for p in starts],
        "reasons": reasons,
        "series": [
            {"reason": why, "counts": [total(p, why) for p in starts], "total": total(None, why)}
            for why in reasons
        ],
        "totals": [total(p) for p in starts],
        "by_abc_class": [
            {
                "abc_class": abc,
                "counts": {why: total(None, why, abc) for why in reasons},
                "total": total(None, None, abc),
            }
            for abc in classes
        ],
    }


async def cohorts(
    repository: InsightsRepository,
    as_of: datetime,
    months: int,
    money: ReportingCurrency,
    segment_id: uuid.UUID | None = None,
) -> dict[str, Any]:
    """Retention and revenue by acquisition cohort (A8) for the customers whose first order
    was in the `months` calendar months ending with as_of's month (a saved segment's
    members only, with `segment_id`). Revenue in the reporting currency; orders without a
    rate count for retention but not for revenue, and are counted in `left_out`."""
    starts = last_months(as_of, months)
    rows = await repository.cohorts(Sales(starts[0], as_of, money, segment_id))
    cells = {
        (row["cohort"], row["month"]): CohortCell(row["customers"], row["revenue"]) for row in rows
    }
    return {
        "since": starts[0],
        "until": as_of,
        "segment_id": segment_id,
        "currency": money.currency,
        "left_out": {
            "orders": sum(row["left_out_orders"] for row in rows),
            "currencies": sorted(
                {code for row in rows for code in row["left_out_currencies"] or ()}
            ),
        },
        "months_since": list(range(months)),
        "cohorts": cohort_rows(cells, starts, as_of),
    }


async def promoter_drivers(
    repository: InsightsRepository,
    since: datetime,
    until: datetime,
    survey_id: Any,
    segment_id: uuid.UUID | None = None,
) -> dict[str, Any]:
    """Promoter drivers (A5): each respondent's latest answer in the period counts once (of
    a saved segment's members only, with `segment_id`); per attribute the promoters' share
    or mean, the rest's, and the difference with its 95 % interval, strongest (by the
    interval's distance from zero) first; for a share also the odds ratio."""
    groups = {
        row["promoter"]: row
        for row in await repository.driver_groups(since, until, survey_id, segment_id)
    }
    promoters, rest = groups.get(True), groups.get(False)
    n_1 = promoters["n"] if promoters else 0
    n_2 = rest["n"] if rest else 0
    drivers = []
    for trait in DRIVER_TRAITS:
        hits_1 = promoters[trait] if promoters else 0
        hits_2 = rest[trait] if rest else 0
        drivers.append(
            _driver(
                trait,
                "share",
                hits_1 / n_1 if n_1 else None,
                hits_2 / n_2 if n_2 else None,
                rate_difference(hits_1, n_1, hits_2, n_2),
                odds_ratio(hits_1, n_1, hits_2, n_2),
            )
        )
    for measure in DRIVER_MEASURES:
        (mean_1, var_1), (mean_2, var_2) = _stats(promoters, measure), _stats(rest, measure)
        effect = (
            mean_difference(mean_1, var_1, n_1, mean_2, var_2, n_2)
            if mean_1 is not None and mean_2 is not None
            else None
        )
        drivers.append(_driver(measure, "mean", mean_1, mean_2, effect))
    drivers.sort(key=lambda d: -_strength(d))
    return {
        "since": since,
        "until": until,
        "survey_id": survey_id,
        "segment_id": segment_id,
        "promoters": n_1,
        "others": n_2,
        "drivers": drivers,
    }


def _stats(row: Any, measure: str) -> tuple[float | None, float]:
    """A group's mean and sample variance of a measure (no variance for one member)."""
    if row is None:
        return None, 0.0
    mean = row[f"{measure}_mean"]
    return (None if mean is None else float(mean)), float(row[f"{measure}_var"] or 0)


def _driver(
    attribute: str,
    kind: str,
    value_1: float | None,
    value_2: float | None,
    effect: Effect | None,
    odds: OddsRatio | None = None,
) -> dict[str, Any]:
    return {
        "attribute": attribute,
        "kind": kind,
        "promoters": None if value_1 is None else round(value_1, 4),
        "others": None if value_2 is None else round(value_2, 4),
        "difference": effect.difference if effect else None,
        "ci_low": effect.low if effect else None,
        "ci_high": effect.high if effect else None,
        "significant": effect.significant if effect else False,
        "odds_ratio": odds.ratio if odds else None,
        "odds_ratio_ci_low": odds.low if odds else None,
        "odds_ratio_ci_high": odds.high if odds else None,
        "haldane_corrected": odds.corrected if odds else False,
    }


def _strength(driver: dict[str, Any]) -> float:
    """How far the interval stays from zero, relative to its width (0: covers zero)."""
    low, high = driver["ci_low"], driver["ci_high"]
    if low is None or not driver["significant"]:
        return 0.0
    width = high - low
    gap = low if low > 0 else -high
    return gap / width if width > 0 else float("inf")


async def clv_distribution(
    repository: InsightsRepository,
    bins: int,
    abc_class: str | None,
    money: ReportingCurrency,
    segment_id: uuid.UUID | None = None,
) -> dict[str, Any]:
    """The predicted CLVs of the last run as a histogram on a log scale, with their median
    and mean (of a class, of a saved segment's members, or of everyone), in the run's
    currency."""
    values = await repository.clv_values(abc_class, segment_id)
    return {
        "abc_class": abc_class,
        "segment_id": segment_id,
        **_clv_currency(await repository.last_run(CLV_FIT), money),
        "customers": len(values),
        "median": median(values),
        "mean": (sum(values, Decimal(0)) / len(values)).quantize(CENT) if values else None,
        "bins": [asdict(found) for found in histogram(values, bins)],
    }


async def abc_pareto(
    repository: InsightsRepository, buckets: int, segment_id: uuid.UUID | None = None
) -> dict[str, Any]:
    """The classified customers (a saved segment's members only, with `segment_id`) ranked
    by value in slices, with the running value share."""
    values = await repository.abc_values(segment_id)
    return {
        "segment_id": segment_id,
        "customers": len(values),
        "total_value": sum((max(v, Decimal(0)) for v in values), Decimal(0)),
        "buckets": [asdict(found) for found in pareto(values, buckets)],
    }
