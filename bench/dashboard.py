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
    DEFAULT_SERVER_URL,
    create_tables,
    libpq,
    run,
    scratch_database,
    verdict,
    with_database,
)
from recompute import generate
from recompute import recompute as run_recompute
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker, create_async_engine

from analytics.adapters.insights import InsightsRepository
from analytics.adapters.orm import metadata
from analytics.service_layer import insights

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


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


async def fill_rollups(database_url: str) -> None:
    """The rollup as the order handler keeps it (the generated orders bypassed it)."""
    conn = await asyncpg.connect(libpq(database_url))
    try:
        await conn.execute("TRUNCATE revenue_hours")
        await conn.execute(
            "INSERT INTO revenue_hours (hour, revenue, orders)"
            " SELECT date_trunc('hour', ordered_at, 'UTC'), sum(revenue), count(*)"
            " FROM orders GROUP BY 1"
        )
        await conn.execute("VACUUM ANALYZE")
        customers = await conn.fetchval("SELECT count(*) FROM customers")
        orders = await conn.fetchval("SELECT count(*) FROM orders")
    finally:
        await conn.close()
    print(f"data                 {customers:,} customers, {orders:,} orders")


async def measure(database_url: str, calls: int) -> None:
    engine = create_async_engine(database_url)
    sessions = async_sessionmaker(engine, expire_on_commit=False)
    spent: dict[str, list[float]] = defaultdict(list)
    totals: list[float] = []
    try:
        for call in range(calls + 2):
            # As the route does: a session per request, the moment of the request.
            async with sessions() as session:
                started = time.perf_counter()
                await insights.dashboard(
                    TimedRepository(session, spent), datetime.now(UTC), RISK_THRESHOLD
                )
                elapsed = time.perf_counter() - started
            if call >= 2:  # the first two warm the pool and the statement caches
                totals.append(elapsed)
            else:
                spent.clear()
    finally:
        await engine.dispose()
    print(f"dashboard, {len(totals)} calls:")
    for name, values in spent.items():
        print(
            f"  {name:<20} p50 {statistics.median(values) * 1000:8.1f} ms"
            f"   p99 {percentile(values, 0.99) * 1000:8.1f} ms"
        )
    p50, p99 = statistics.median(totals) * 1000, percentile(totals, 0.99) * 1000
    goal = verdict(p99, GOAL_P99_MS, higher_is_better=False)
    print(f"  {'total':<20} p50 {p50:8.1f} ms   p99 {p99:8.1f} ms ({goal}: p99 < 200 ms)")


async def main(arguments: argparse.Namespace) -> None:
    if arguments.database:
        url = with_database(arguments.server_url, arguments.database)
        await fill_rollups(url)
        await measure(url, arguments.calls)
        return
    as_of = datetime.now(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    database = f"bench_dashboard_{uuid.uuid4().hex[:8]}"
    async with scratch_database(arguments.server_url, database, keep=arguments.keep) as url:
        await create_tables(url, metadata)
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
