"""Full recompute of analytics: the purchase summary from N orders in Postgres, the BG/NBD +
Gamma-Gamma fit, and predictions, ABC classes, RFM scores, churn risks and saved segment
members written for every customer, with their events in the outbox. It runs the CLV fit
job's own code (analytics.service_layer.clv_fit.fit_clv) on a scratch database.

The customers are drawn from the model fitted on CDNOW over two years of history and
expanded into orders in Postgres (several orders on some purchase days, to reach --orders);
a share of them have the churn-risk signals (a cancelled or ending contract, a detractor
answer, complaints). Prints the seconds of each phase and the peak RSS of this process
(Postgres' own memory is not included). The issue's goal: < 60 s, peak RSS < 1.5 GB for
1,000,000 customers and 10,000,000 orders.

    .venv/bin/python bench/recompute.py [--customers 1000000] [--orders 10000000] [--keep]
    .venv/bin/python bench/recompute.py --database <a database kept by --keep>
    .venv/bin/python bench/recompute.py --database analytics_h7 --fill   (data only, into a
        database migrated by alembic; it must hold no customers yet)
"""

from __future__ import annotations

import argparse
import asyncio
import resource
import time
import uuid
from datetime import UTC, datetime, timedelta

import asyncpg
import numpy as np
from benchlib import (
    ANALYTICS_ALEMBIC_INI,
    DEFAULT_SERVER_URL,
    CpuSample,
    libpq,
    migrate,
    run,
    scratch_database,
    verdict,
    with_database,
)
from sqlalchemy import make_url
from sqlalchemy.ext.asyncio import async_sessionmaker, create_async_engine

from analytics.adapters.orm import backbone
from analytics.domain.bgnbd import BgNbdParams
from analytics.domain.clv import TimeUnit
from analytics.domain.gamma_gamma import GammaGammaParams
from analytics.domain.money import ReportingCurrency
from analytics.domain.simulation import simulate
from analytics.service_layer.clv_fit import FitClv, fit_clv
from analytics.service_layer.segmentation import SegmentationRules
from analytics.service_layer.unit_of_work import AnalyticsUnitOfWork
from analytics.settings import AnalyticsSettings

CDNOW = BgNbdParams(r=0.243, alpha=4.414, a=0.793, b=2.426)
SPEND = GammaGammaParams(p=6.25, q=3.74, gamma=15.44)
HISTORY_DAYS = 730
COPY_CHUNK = 200_000

# One purchase day per customer and repeat (the last on the recency day, the others spread
# before it), each day split into 1..2m-1 orders so the total comes near --orders.
_ORDERS = """
INSERT INTO orders (order_id, contact_id, ordered_at, currency, revenue, cost)
SELECT gen_random_uuid(), d.contact_id, d.day + time '10:00' + n * interval '1 minute', 'EUR',
       round((d.spend / d.orders)::numeric, 2), round((d.spend / d.orders * 0.6)::numeric, 2)
FROM (
    SELECT s.contact_id, s.as_of - s.age + CASE WHEN k = 0 THEN 0
                WHEN k = s.repeats THEN s.recency
                ELSE 1 + floor(random() * greatest(s.recency, 1))::int END AS day,
           CASE WHEN k = 0 THEN s.first_spend ELSE s.spend END AS spend,
           1 + floor(random() * (2 * $1::float8 - 1))::int AS orders
    FROM summary AS s, generate_series(0, s.repeats) AS k
) AS d, generate_series(1, d.orders) AS n
"""
_TOTALS = """
INSERT INTO customers (contact_id, contact_version, first_name, last_name, language,
                       lifecycle_stage, tags, became_contact_at, currency, revenue, cost,
                       orders, first_order_at, last_order_at)
SELECT contact_id, 1, 'Kundin', left(contact_id::text, 8), 'de', 'customer',
       CASE WHEN random() < 0.1 THEN ARRAY['key-account'] ELSE '{}' END,
       min(ordered_at), 'EUR', sum(revenue), sum(cost), count(*), min(ordered_at),
       max(ordered_at)
FROM orders GROUP BY contact_id
"""
_SIGNALS = [
    """
    INSERT INTO contracts (contract_id, contact_id, version, status, end_date, auto_renew)
    SELECT gen_random_uuid(), contact_id, 1,
           CASE WHEN random() < 0.2 THEN 'notice_given' ELSE 'active' END,
           current_date + (random() * 365)::int, random() < 0.7
    FROM customers WHERE random() < 0.1
    """,
    """
    INSERT INTO nps_responses (response_id, contact_id, revision, category, responded_at)
    SELECT gen_random_uuid(), contact_id, 1,
           (ARRAY['detractor', 'passive', 'promoter'])[1 + floor(random() * 3)::int],
           now() - random() * interval '400 days'
    FROM customers WHERE random() < 0.2
    """,
    """
    INSERT INTO interactions (interaction_id, contact_id, kind, sentiment, occurred_at, cost)
    SELECT gen_random_uuid(), contact_id, 'ticket', 'negative',
           now() - random() * interval '120 days', 25
    FROM customers, generate_series(1, 1 + floor(random() * 3)::int)
    WHERE random() < 0.05
    """,
    """
    INSERT INTO segments (id, name, filters, created_at, updated_at)
    VALUES (gen_random_uuid(), 'A customers at risk',
            '{"abc_class": ["A"], "min_churn_risk": 0.6}', now(), now()),
           (gen_random_uuid(), 'Champions',
            '{"min_rfm_recency": 4, "min_rfm_frequency": 4, "min_rfm_monetary": 4}', now(), now())
    """,
]


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


async def generate(database_url: str, customers: int, orders: int, as_of: datetime) -> None:
    """The scratch data, written by Postgres itself from a per-customer summary."""
    history = simulate(CDNOW, SPEND, customers, max_age_days=HISTORY_DAYS, seed=2005)
    rng = np.random.default_rng(7)
    first_spend = rng.gamma(SPEND.p, 1.0 / rng.gamma(SPEND.q, 1.0 / SPEND.gamma, customers))
    transactions = customers + int(history.repeat_purchases.sum())
    per_day = max(1.0, orders / transactions)
    conn = await asyncpg.connect(libpq(database_url))
    try:
        await conn.execute(
            "CREATE UNLOGGED TABLE summary (contact_id uuid, as_of date, age int, repeats int,"
            " recency int, spend float8, first_spend float8)"
        )
        for start in range(0, customers, COPY_CHUNK):
            end = min(start + COPY_CHUNK, customers)
            records = [
                (
                    uuid.uuid4(),
                    as_of.date(),
                    int(history.age_days[i]),
                    int(history.repeat_purchases[i]),
                    int(history.recency_days[i]),
                    float(history.repeat_spend[i]) or float(first_spend[i]),
                    float(first_spend[i]),
                )
                for i in range(start, end)
            ]
            await conn.copy_records_to_table("summary", records=records)
        await conn.execute(_ORDERS, per_day)
        await conn.execute(_TOTALS)
        for statement in _SIGNALS:
            await conn.execute(statement)
        await conn.execute("DROP TABLE summary")
        await conn.execute("VACUUM ANALYZE")
        counts = await conn.fetchrow(
            "SELECT (SELECT count(*) FROM orders) AS orders,"
            " (SELECT count(*) FROM customers) AS customers"
        )
    finally:
        await conn.close()
    assert counts is not None
    print(f"data                 {counts['customers']:,} customers, {counts['orders']:,} orders")


async def recompute(
    database_url: str, as_of: datetime, cpu: dict[str, CpuSample] | None = None
) -> dict[str, float]:
    """Wall-clock seconds since the start at the end of each phase; with `cpu`, also the CPU
    used by this process and the database's Postgres backends at each phase's end."""
    database = make_url(database_url).database or ""
    cpu = {} if cpu is None else cpu
    cpu["start"] = CpuSample.now(database)
    settings = AnalyticsSettings(database_url=database_url, run_background=False)
    engine = create_async_engine(database_url)
    sessions = async_sessionmaker(engine, expire_on_commit=False)
    marks: dict[str, float] = {}
    started = time.perf_counter()
    names = {0.2: "summary read", 0.6: "fit + predictions", 0.8: "predictions staged"}

    async def report(progress: float) -> None:
        marks[names[progress]] = time.perf_counter() - started
        cpu[names[progress]] = CpuSample.now(database)

    command = FitClv(as_of.date(), TimeUnit.WEEK, 12, 0.01)
    rules = SegmentationRules(settings.abc_thresholds(), settings.churn_model())
    try:
        result = await fit_clv(
            uuid.uuid4(),
            command,
            sessions,
            lambda: AnalyticsUnitOfWork(sessions, backbone, "analytics", "bench.analytics"),
            rules,
            report,
            # The generated orders are all in euros.
            ReportingCurrency("EUR"),
        )
        marks["scores written"] = time.perf_counter() - started
        cpu["scores written"] = CpuSample.now(database)
        async with engine.begin() as conn:
            events = await conn.exec_driver_sql(
                "SELECT event_type, count(*) FROM outbox GROUP BY event_type ORDER BY 1"
            )
            for row in events:
                print(f"events               {row.count:,} {row.event_type}")
            await conn.exec_driver_sql("DELETE FROM outbox")
    finally:
        await engine.dispose()
    params = result["params"]
    print(
        f"fit                  r={params['r']:.3f} alpha={params['alpha']:.3f} a={params['a']:.3f}"
        f" b={params['b']:.3f} p={params['p']:.2f} q={params['q']:.2f} gamma={params['gamma']:.2f}"
    )
    marks["customers"] = result["customers"]
    return marks


async def main(arguments: argparse.Namespace) -> None:
    as_of = datetime.now(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    as_of -= timedelta(days=1)
    next_day = as_of + timedelta(days=1)
    if arguments.database:
        url = with_database(arguments.server_url, arguments.database)
        if arguments.fill:
            generating = time.perf_counter()
            await generate(url, arguments.customers, arguments.orders, as_of)
            print(f"generating the data  {time.perf_counter() - generating:.1f} s")
            return
        await reset_scores(url)
        await measure(url, as_of, next_day, arguments.timeout)
        return
    database = f"bench_recompute_{uuid.uuid4().hex[:8]}"
    async with scratch_database(arguments.server_url, database, keep=arguments.keep) as url:
        await migrate(url, ANALYTICS_ALEMBIC_INI)
        generating = time.perf_counter()
        await generate(url, arguments.customers, arguments.orders, as_of)
        print(f"generating the data  {time.perf_counter() - generating:.1f} s (not measured)")
        await measure(url, as_of, next_day, arguments.timeout)


async def reset_scores(database_url: str) -> None:
    """A kept database as if no recompute had run, so the first one classifies everyone."""
    conn = await asyncpg.connect(libpq(database_url))
    try:
        await conn.execute(
            "UPDATE customers SET clv = NULL, expected_purchases_12m = NULL, p_alive = NULL,"
            " clv_run_id = NULL, abc_class = NULL, rfm_recency = NULL, rfm_frequency = NULL,"
            " rfm_monetary = NULL, rfm = NULL, churn_risk = NULL, churn_drivers = NULL,"
            " churn_alerted = false"
            " WHERE clv_run_id IS NOT NULL OR abc_class IS NOT NULL OR rfm IS NOT NULL"
            " OR churn_risk IS NOT NULL OR churn_alerted"
        )
        await conn.execute("TRUNCATE outbox, segment_members")
        await conn.execute("VACUUM ANALYZE")
    finally:
        await conn.close()


async def scores_digest(database_url: str) -> str:
    """An md5 of every customer's written scores (not measured): two versions of the code
    run on the same data must give the same digest."""
    conn = await asyncpg.connect(libpq(database_url))
    try:
        digest: str = await conn.fetchval(
            "SELECT md5(string_agg(concat_ws(',', contact_id, clv, expected_purchases_12m,"
            " p_alive, abc_class, rfm, churn_risk, churn_drivers, churn_alerted), ';'"
            " ORDER BY contact_id)) FROM customers"
        )
    finally:
        await conn.close()
    return digest


async def a_day_of_autovacuum(database_url: str) -> None:
    """What autovacuum does in the day between two scheduled runs (not measured): without
    it the next run's updates find the first run's old row versions on every page, are not
    HOT, and go into every index, which no day in production shows."""
    started = time.perf_counter()
    conn = await asyncpg.connect(libpq(database_url))
    try:
        await conn.execute("VACUUM (ANALYZE) customers, outbox, segment_members")
    finally:
        await conn.close()
    print(f"vacuum between       {time.perf_counter() - started:.1f} s (not measured)")


async def measure(url: str, as_of: datetime, next_day: datetime, timeout: float) -> None:
    rss_before = peak_rss_mb()
    # The first recompute classifies everyone (an event per customer); the next day's
    # run changes what a day changes, as the scheduled fit does.
    for label, day in (("first recompute", as_of), ("next day's recompute", next_day)):
        if day == next_day:
            await a_day_of_autovacuum(url)
        print(f"{label}:")
        cpu: dict[str, CpuSample] = {}
        marks = await asyncio.wait_for(recompute(url, day, cpu), timeout)
        customers = marks.pop("customers")
        previous, before = 0.0, cpu["start"]
        for name, at in marks.items():
            rate = customers / max(at - previous, 1e-9)
            used = cpu[name]
            print(
                f"  {name:<24} {at - previous:6.1f} s  {rate:>12,.0f} customers/s"
                f"   CPU: this process {used.own - before.own:5.1f} s"
                f" + postgres {used.postgres - before.postgres:5.1f} s"
            )
            previous, before = at, used
        total = marks["scores written"]
        goal = verdict(total, 60, higher_is_better=False)
        print(f"  {'total':<24} {total:6.1f} s ({goal}: < 60 s)")
        print(f"  {'scores digest':<24} {await scores_digest(url)}")
    print(
        f"peak RSS             {peak_rss_mb():.0f} MB (before the recompute: {rss_before:.0f} MB)"
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=1_000_000)
    parser.add_argument("--orders", type=int, default=10_000_000)
    parser.add_argument("--server-url", default=DEFAULT_SERVER_URL)
    parser.add_argument("--timeout", type=float, default=1800.0)
    parser.add_argument("--keep", action="store_true", help="keep the scratch database")
    parser.add_argument(
        "--database",
        help="measure on this database kept by an earlier --keep run (its scores are reset first)",
    )
    parser.add_argument(
        "--fill", action="store_true", help="only generate the data into --database, then stop"
    )
    parser.add_argument("--loop", default="uvloop")
    arguments = parser.parse_args()
    run(main(arguments), loop=arguments.loop)
