"""Dashboard latency: analytics' GET /dashboard figures (insights.dashboard, the service
layer the route calls) on a read model of N customers, p50 and p99 over repeated calls, with
the time of each of its statements.

The data is recompute.py's (customers drawn from the CDNOW model, their orders expanded in
Postgres, contracts, NPS answers, complaints), scored by one recompute so that the classes
and CLV are there. The issue's goal: p99 < 200 ms with 1,000,000 customers and 10,000,000
orders. The HTTP layer (FastAPI, the gateway) is not included: a few ms on top.

    .venv/bin/python bench/dashboard.py [--customers 200000] [--orders 2000000] [--calls 50]
    .venv/bin/python bench/dashboard.py --database bench_recompute_kept   # a kept database
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

GOAL_P99_MS = 200.0
RISK_THRESHOLD = 0.6


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


class ScanningRepository(TimedRepository):
    """The dashboard as it was before the rollups: the same calls, the old statements."""

    async def customer_figures(self, as_of: Any, year_ago: Any, threshold: Any) -> Any:
        statement = self._one(BEFORE_CUSTOMERS, as_of=as_of, year_ago=year_ago, threshold=threshold)
        return await self._timed("customer figures", statement)

    async def nps_windows(self, as_of: Any, year_ago: Any, two_years_ago: Any) -> Any:
        statement = self._all(
            BEFORE_NPS_WINDOWS, as_of=as_of, year_ago=year_ago, two_years_ago=two_years_ago
        )
        return await self._timed("nps windows", statement)

    async def nps_by_month(self, since: Any, as_of: Any) -> Any:
        statement = self._all(BEFORE_NPS_MONTHS, since=since, as_of=as_of)
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


async def measure(database_url: str, calls: int) -> None:
    """Calls before (scanning) and after (rollups) alternate, so both see the same load;
    both must return the same dashboard."""
    engine = create_async_engine(database_url)
    sessions = async_sessionmaker(engine, expire_on_commit=False)
    variants = {"before (scans)": ScanningRepository, "after (rollups)": TimedRepository}
    spent: dict[str, dict[str, list[float]]] = {name: defaultdict(list) for name in variants}
    totals: dict[str, list[float]] = {name: [] for name in variants}
    try:
        for call in range(calls + 2):
            answers = []
            as_of = datetime.now(UTC)
            for name, repository in variants.items():
                # As the route does: a session per request.
                async with sessions() as session:
                    started = time.perf_counter()
                    answers.append(
                        await insights.dashboard(
                            repository(session, spent[name]), as_of, RISK_THRESHOLD
                        )
                    )
                    elapsed = time.perf_counter() - started
                if call >= 2:  # the first two warm the pool and the statement caches
                    totals[name].append(elapsed)
                else:
                    spent[name].clear()
            if answers[0] != answers[1]:
                raise SystemExit(f"the dashboards differ:\n{answers[0]}\n{answers[1]}")
    finally:
        await engine.dispose()
    for name in variants:
        print(f"dashboard {name}, {len(totals[name])} calls:")
        for statement, values in spent[name].items():
            print(
                f"  {statement:<20} p50 {statistics.median(values) * 1000:8.1f} ms"
                f"   p99 {percentile(values, 0.99) * 1000:8.1f} ms"
            )
        p50 = statistics.median(totals[name]) * 1000
        p99 = percentile(totals[name], 0.99) * 1000
        goal = verdict(p99, GOAL_P99_MS, higher_is_better=False)
        print(f"  {'total':<20} p50 {p50:8.1f} ms   p99 {p99:8.1f} ms ({goal}: p99 < 200 ms)")


async def main(arguments: argparse.Namespace) -> None:
    if arguments.database:
        url = with_database(arguments.server_url, arguments.database)
        await migrate(url, ANALYTICS_ALEMBIC_INI)
        await fill_rollups(url)
        await measure(url, arguments.calls)
        return
    as_of = datetime.now(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    database = f"bench_dashboard_{uuid.uuid4().hex[:8]}"
    async with scratch_database(arguments.server_url, database, keep=arguments.keep) as url:
        await migrate(url, ANALYTICS_ALEMBIC_INI)
        await generate(url, arguments.customers, arguments.orders, as_of - timedelta(days=1))
        await run_recompute(url, as_of - timedelta(days=1))
        await fill_rollups(url)
        await measure(url, arguments.calls)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=200_000)
    parser.add_argument("--orders", type=int, default=2_000_000)
    parser.add_argument("--calls", type=int, default=50)
    parser.add_argument("--server-url", default=DEFAULT_SERVER_URL)
    parser.add_argument("--keep", action="store_true", help="keep the scratch database")
    parser.add_argument("--database", help="measure on this kept database (recompute.py --keep)")
    parser.add_argument("--loop", default="uvloop")
    arguments = parser.parse_args()
    run(main(arguments), loop=arguments.loop)
