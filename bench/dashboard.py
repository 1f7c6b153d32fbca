"""Dashboard latency: analytics' GET /dashboard figures (insights.dashboard, the service
layer the route calls) on a read model of N customers, p50 and p99 over repeated calls, with
the time of each of its statements.

The data is recompute.py's (customers drawn from the CDNOW model, their orders expanded in
Postgres, contracts, NPS answers, complaints), scored by one recompute so that the classes
and CLV are there. The issue's goal: p99 < 200 ms with 1,000,000 customers and 10,000,000
orders. The HTTP layer (FastAPI, the gateway) is not included: a few ms on top.

Variants (alternating calls, all must give the same dashboard): the scanning statements of
before migration 0014, the hourly NPS rollup of 0014, and NPS by day (0019, the code).
`--segments 10000,100000` also times the dashboard of saved segments of those sizes.

    .venv/bin/python bench/dashboard.py [--customers 200000] [--orders 2000000] [--calls 50]
    .venv/bin/python bench/dashboard.py --database bench_recompute_kept   # a kept database
    .venv/bin/python bench/dashboard.py --database D --variants 0014,0019 --segments 100000
"""

from __future__ import annotations

import argparse
import statistics
import time
import uuid
from collections import defaultdict
from datetime import UTC, datetime, timedelta
from typing import Any

import asyncpg
from benchlib import (
    ANALYTICS_ALEMBIC_INI,
    DEFAULT_SERVER_URL,
    libpq,
    migrate,
    run,
    scratch_database,
    verdict,
    with_database,
)
from recompute import generate
from recompute import recompute as run_recompute
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker, create_async_engine

from analytics.adapters.insights import InsightsRepository
from analytics.domain.insights import add_months
from analytics.domain.money import ReportingCurrency
from analytics.service_layer import insights

# Before migration 0014 (the baseline, measured in the same run): the customer figures from
# one scan of every customer row, NPS from every answer of two years.
BEFORE_CUSTOMERS = text(
    """
    WITH c AS (
        SELECT *, churned_at IS NOT NULL
                  AND (won_back_at IS NULL OR won_back_at < churned_at) AS churned,
               erased_at IS NULL AND (orders > 0 OR lifecycle_stage <> 'lead') AS is_customer
        FROM customers
    )
    SELECT
        count(*) FILTER (WHERE is_customer) AS customers,
        count(*) FILTER (WHERE is_customer AND NOT churned
                         AND last_order_at >= CAST(:year_ago AS timestamptz)) AS active,
        count(*) FILTER (WHERE is_customer AND churned
                         AND churned_at >= CAST(:year_ago AS timestamptz)
                         AND churned_at < CAST(:as_of AS timestamptz)) AS churned_12m,
        count(*) FILTER (WHERE is_customer
                         AND LEAST(became_contact_at, first_order_at)
                             < CAST(:year_ago AS timestamptz)
                         AND NOT (churned AND churned_at < CAST(:year_ago AS timestamptz))
                        ) AS customers_year_ago,
        count(*) FILTER (WHERE is_customer AND NOT churned
                         AND churn_risk >= CAST(:threshold AS float8)) AS at_risk,
        count(clv) AS with_clv,
        sum(clv) AS total_clv,
        avg(clv) AS average_clv,
        count(*) FILTER (WHERE abc_class = 'A') AS class_a,
        count(*) FILTER (WHERE abc_class = 'B') AS class_b,
        count(*) FILTER (WHERE abc_class = 'C') AS class_c
    FROM c
    """
)

BEFORE_NPS_WINDOWS = text(
    """
    SELECT ordered >= CAST(:year_ago AS timestamptz) AS current,
           count(*) FILTER (WHERE category = 'promoter') AS promoters,
           count(*) FILTER (WHERE category = 'passive') AS passives,
           count(*) FILTER (WHERE category = 'detractor') AS detractors
    FROM (SELECT responded_at AS ordered, category FROM nps_responses
          WHERE responded_at >= CAST(:two_years_ago AS timestamptz)
            AND responded_at < CAST(:as_of AS timestamptz)) AS r
    GROUP BY 1
    """
)

BEFORE_NPS_MONTHS = text(
    """
    SELECT date_trunc('month', responded_at, 'UTC') AS month,
           count(*) FILTER (WHERE category = 'promoter') AS promoters,
           count(*) FILTER (WHERE category = 'passive') AS passives,
           count(*) FILTER (WHERE category = 'detractor') AS detractors
    FROM nps_responses
    WHERE responded_at >= CAST(:since AS timestamptz)
      AND responded_at < CAST(:as_of AS timestamptz)
    GROUP BY 1
    """
)

# Migrations 0014-0016 (the variant "hourly"): NPS from whole hours of nps_hours (one row per
# hour and category) and the partial hours from the answers.
HOURS_NPS_BETWEEN = text(
    """
    SELECT COALESCE(sum(n) FILTER (WHERE category = 'promoter'), 0)::int8 AS promoters,
           COALESCE(sum(n) FILTER (WHERE category = 'passive'), 0)::int8 AS passives,
           COALESCE(sum(n) FILTER (WHERE category = 'detractor'), 0)::int8 AS detractors
    FROM (
        SELECT category, responses AS n FROM nps_hours
        WHERE hour >= CAST(:lo_up AS timestamptz) AND hour < CAST(:hi_down AS timestamptz)
        UNION ALL
        SELECT category, 1 FROM nps_responses
        WHERE responded_at >= CAST(:lo AS timestamptz)
          AND responded_at < LEAST(CAST(:lo_up AS timestamptz), CAST(:hi AS timestamptz))
        UNION ALL
        SELECT category, 1 FROM nps_responses
        WHERE responded_at >= GREATEST(CAST(:hi_down AS timestamptz), CAST(:lo_up AS timestamptz))
          AND responded_at < CAST(:hi AS timestamptz)
    ) AS parts
    """
)

HOURS_NPS_MONTHS = text(
    """
    SELECT m.month,
           COALESCE(sum(n) FILTER (WHERE category = 'promoter'), 0)::int8 AS promoters,
           COALESCE(sum(n) FILTER (WHERE category = 'passive'), 0)::int8 AS passives,
           COALESCE(sum(n) FILTER (WHERE category = 'detractor'), 0)::int8 AS detractors
    FROM unnest(CAST(:starts AS timestamptz[]), CAST(:ends AS timestamptz[])) AS m(month, until)
    CROSS JOIN LATERAL (
        SELECT category, responses AS n FROM nps_hours
        WHERE hour >= m.month AND hour < LEAST(m.until, CAST(:hi_down AS timestamptz))
        UNION ALL
        SELECT category, 1 FROM nps_responses
        WHERE responded_at >= GREATEST(m.month, CAST(:hi_down AS timestamptz))
          AND responded_at < m.until
    ) AS parts
    GROUP BY m.month
    HAVING sum(n) > 0
    """
)

GOAL_P99_MS = 200.0
RISK_THRESHOLD = 0.6
# The generated orders are all in euros.
MONEY = ReportingCurrency("EUR")


class TimedRepository(InsightsRepository):
    """The real repository; it notes how long each statement took."""

    def __init__(self, session: AsyncSession, spent: dict[str, list[float]]) -> None:
        super().__init__(session)
        self.spent = spent

    async def _timed(self, name: str, call: Any) -> Any:
        started = time.perf_counter()
        try:
            return await call
        finally:
            self.spent[name].append(time.perf_counter() - started)

    async def customer_figures(self, *args: Any) -> Any:
        return await self._timed("customer figures", super().customer_figures(*args))

    async def revenue_windows(self, *args: Any) -> Any:
        return await self._timed("revenue windows", super().revenue_windows(*args))

    async def revenue_by_month(self, *args: Any) -> Any:
        return await self._timed("revenue by month", super().revenue_by_month(*args))

    async def nps_windows(self, *args: Any) -> Any:
        return await self._timed("nps windows", super().nps_windows(*args))

    async def nps_by_month(self, *args: Any) -> Any:
        return await self._timed("nps by month", super().nps_by_month(*args))

    async def renewals_due(self, *args: Any) -> Any:
        return await self._timed("renewals due", super().renewals_due(*args))

    async def member_orders(self, *args: Any) -> Any:
        return await self._timed("members' orders", super().member_orders(*args))

    async def member_answers(self, *args: Any) -> Any:
        return await self._timed("members' answers", super().member_answers(*args))


class ScanningRepository(TimedRepository):
    """The dashboard as it was before the rollups: the same calls, the old statements."""

    async def customer_figures(self, as_of: Any, year_ago: Any, threshold: Any, *_: Any) -> Any:
        statement = self._one(BEFORE_CUSTOMERS, as_of=as_of, year_ago=year_ago, threshold=threshold)
        return await self._timed("customer figures", statement)

    async def nps_windows(self, as_of: Any, year_ago: Any, two_years_ago: Any, *_: Any) -> Any:
        statement = self._all(
            BEFORE_NPS_WINDOWS, as_of=as_of, year_ago=year_ago, two_years_ago=two_years_ago
        )
        return await self._timed("nps windows", statement)

    async def nps_by_month(self, since: Any, as_of: Any, *_: Any) -> Any:
        statement = self._all(BEFORE_NPS_MONTHS, since=since, as_of=as_of)
        return await self._timed("nps by month", statement)


def _hour_down(moment: datetime) -> datetime:
    return moment.replace(minute=0, second=0, microsecond=0)


def _hour_up(moment: datetime) -> datetime:
    down = _hour_down(moment)
    return down if down == moment else down + timedelta(hours=1)


class HourlyRepository(TimedRepository):
    """The dashboard of migrations 0014-0016: NPS from the hourly rollup (no nps_days)."""

    async def nps_windows(self, as_of: Any, year_ago: Any, two_years_ago: Any, *_: Any) -> Any:
        async def windows() -> list[dict[str, Any]]:
            found = []
            for current, lo, hi in ((True, year_ago, as_of), (False, two_years_ago, year_ago)):
                row = await self._one(
                    HOURS_NPS_BETWEEN, lo=lo, hi=hi, lo_up=_hour_up(lo), hi_down=_hour_down(hi)
                )
                if row["promoters"] + row["passives"] + row["detractors"]:
                    found.append({**row, "current": current})
            return found

        return await self._timed("nps windows", windows())

    async def nps_by_month(self, since: Any, as_of: Any, *_: Any) -> Any:
        starts = [since]
        while (following := add_months(starts[-1], 1)) < as_of:
            starts.append(following)
        statement = self._all(
            HOURS_NPS_MONTHS, starts=starts, ends=[*starts[1:], as_of], hi_down=_hour_down(as_of)
        )
        return await self._timed("nps by month", statement)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


async def fill_rollups(database_url: str) -> None:
    """Revenue per hour as the order handler keeps it (the generated orders bypassed it);
    the customer and NPS rollups are kept by the triggers, also for generated rows."""
    conn = await asyncpg.connect(libpq(database_url))
    try:
        await conn.execute(
            "CREATE INDEX IF NOT EXISTS ix_nps_responses_responded_at"
            " ON nps_responses (responded_at) INCLUDE (category)"
        )
        await conn.execute("TRUNCATE revenue_hours")
        await conn.execute(
            "INSERT INTO revenue_hours (hour, currency, revenue, orders)"
            " SELECT date_trunc('hour', ordered_at, 'UTC'), currency, sum(revenue), count(*)"
            " FROM orders GROUP BY 1, 2"
        )
        await conn.execute("VACUUM ANALYZE")
        customers = await conn.fetchval("SELECT count(*) FROM customers")
        orders = await conn.fetchval("SELECT count(*) FROM orders")
    finally:
        await conn.close()
    print(f"data                 {customers:,} customers, {orders:,} orders")


VARIANTS: dict[str, type[TimedRepository]] = {
    "before 0014 (scans)": ScanningRepository,
    "0014 (hourly NPS rollup)": HourlyRepository,
    "0019 (NPS by day)": TimedRepository,
}


def report(name: str, spent: dict[str, list[float]], totals: list[float]) -> None:
    print(f"dashboard {name}, {len(totals)} calls:")
    for statement, values in spent.items():
        print(
            f"  {statement:<20} p50 {statistics.median(values) * 1000:8.1f} ms"
            f"   p99 {percentile(values, 0.99) * 1000:8.1f} ms"
        )
    p50 = statistics.median(totals) * 1000
    p99 = percentile(totals, 0.99) * 1000
    goal = verdict(p99, GOAL_P99_MS, higher_is_better=False)
    print(f"  {'total':<20} p50 {p50:8.1f} ms   p99 {p99:8.1f} ms ({goal}: p99 < 200 ms)")


async def measure(database_url: str, calls: int, variants: list[str]) -> None:
    """The variants' calls alternate, so all see the same load; all must return the same
    dashboard."""
    engine = create_async_engine(database_url)
    sessions = async_sessionmaker(engine, expire_on_commit=False)
    spent: dict[str, dict[str, list[float]]] = {name: defaultdict(list) for name in variants}
    totals: dict[str, list[float]] = {name: [] for name in variants}
    try:
        for call in range(calls + 2):
            answers = []
            as_of = datetime.now(UTC)
            for name in variants:
                # As the route does: a session per request.
                async with sessions() as session:
                    started = time.perf_counter()
                    answers.append(
                        await insights.dashboard(
                            VARIANTS[name](session, spent[name]), as_of, RISK_THRESHOLD, MONEY
                        )
                    )
                    elapsed = time.perf_counter() - started
                if call >= 2:  # the first two warm the pool and the statement caches
                    totals[name].append(elapsed)
                else:
                    spent[name].clear()
            if any(answer != answers[0] for answer in answers):
                raise SystemExit(f"the dashboards differ:\n{answers}")
    finally:
        await engine.dispose()
    for name in variants:
        report(name, spent[name], totals[name])


async def measure_segments(database_url: str, calls: int, sizes: list[int]) -> None:
    """The dashboard of a saved segment of each size: members drawn at random from the
    customers, written straight into segment_members (a bench shortcut: the service
    evaluates filters). The largest size, if it is every customer, must give the global
    dashboard."""
    conn = await asyncpg.connect(libpq(database_url))
    segments = {}
    try:
        customers = await conn.fetchval("SELECT count(*) FROM customers WHERE erased_at IS NULL")
        for size in sizes:
            segment_id = uuid.uuid4()
            await conn.execute(
                "INSERT INTO segments (id, name, filters, created_at, updated_at)"
                " VALUES ($1, $2, '{}', now(), now())",
                segment_id,
                f"bench {size} {segment_id}",
            )
            await conn.execute(
                "INSERT INTO segment_members (segment_id, contact_id)"
                " SELECT $1, contact_id FROM customers WHERE erased_at IS NULL"
                " ORDER BY random() LIMIT $2",
                segment_id,
                size,
            )
            segments[size] = segment_id
        await conn.execute("ANALYZE segment_members")
    finally:
        await conn.close()
    engine = create_async_engine(database_url)
    sessions = async_sessionmaker(engine, expire_on_commit=False)
    try:
        for size, segment_id in segments.items():
            spent: dict[str, list[float]] = defaultdict(list)
            totals = []
            for call in range(calls + 1):
                as_of = datetime.now(UTC)
                async with sessions() as session:
                    started = time.perf_counter()
                    answer = await insights.dashboard(
                        TimedRepository(session, spent), as_of, RISK_THRESHOLD, MONEY, segment_id
                    )
                    elapsed = time.perf_counter() - started
                if call:
                    totals.append(elapsed)
                else:
                    spent.clear()
            if size >= customers:
                async with sessions() as session:
                    everyone = await insights.dashboard(
                        InsightsRepository(session), as_of, RISK_THRESHOLD, MONEY
                    )
                if {**answer, "segment_id": None} != everyone:
                    raise SystemExit(f"everyone's segment differs:\n{answer}\n{everyone}")
                print("  (a segment of every customer gave the global dashboard)")
            report(f"of a segment of {size:,} members", spent, totals)
    finally:
        await engine.dispose()
        conn = await asyncpg.connect(libpq(database_url))
        try:
            await conn.execute("DELETE FROM segments WHERE id = ANY($1)", list(segments.values()))
        finally:
            await conn.close()


async def main(arguments: argparse.Namespace) -> None:
    if arguments.database:
        url = with_database(arguments.server_url, arguments.database)
        await migrate(url, ANALYTICS_ALEMBIC_INI)
        await fill_rollups(url)
        await measure(url, arguments.calls, arguments.variants)
        if arguments.segments:
            await measure_segments(url, arguments.segment_calls, arguments.segments)
        return
    as_of = datetime.now(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    database = f"bench_dashboard_{uuid.uuid4().hex[:8]}"
    async with scratch_database(arguments.server_url, database, keep=arguments.keep) as url:
        await migrate(url, ANALYTICS_ALEMBIC_INI)
        await generate(url, arguments.customers, arguments.orders, as_of - timedelta(days=1))
        await run_recompute(url, as_of - timedelta(days=1))
        await fill_rollups(url)
        await measure(url, arguments.calls, arguments.variants)
        if arguments.segments:
            await measure_segments(url, arguments.segment_calls, arguments.segments)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=200_000)
    parser.add_argument("--orders", type=int, default=2_000_000)
    parser.add_argument("--calls", type=int, default=50)
    parser.add_argument("--server-url", default=DEFAULT_SERVER_URL)
    parser.add_argument("--keep", action="store_true", help="keep the scratch database")
    parser.add_argument("--database", help="measure on this kept database (recompute.py --keep)")
    parser.add_argument(
        "--variants",
        type=lambda text: [name for name in VARIANTS if name.split()[0] in text.split(",")],
        default=list(VARIANTS),
        help="which of: before,0014,0019 (default: all, alternating)",
    )
    parser.add_argument(
        "--segments",
        type=lambda text: [int(size) for size in text.split(",")],
        default=[],
        help="also the dashboard of a segment of each of these sizes, e.g. 10000,100000",
    )
    parser.add_argument("--segment-calls", type=int, default=10)
    parser.add_argument("--loop", default="uvloop")
    arguments = parser.parse_args()
    run(main(arguments), loop=arguments.loop)
