"""All SQL of the CLV fit: the calibration summary out, the predictions in, and the runs."""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, TypeVar

import asyncpg
import numpy as np
from numpy.typing import NDArray
from sqlalchemy import and_, func, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from analytics.domain.clv import Predictions, PurchaseHistory
from analytics.domain.money import ReportingCurrency
from treue.jobs import JobStatus
from treue.outbox import advisory_lock_key
from treue.tables import BackboneTables

# One row per customer from their purchase days (UTC) up to and including as_of: same-day
# orders are one transaction whose value is their sum; the first day is not a repeat. Each
# order's revenue is converted by the rate of its currency ($3: {currency: rate}, the
# reporting currency at 1); orders in a currency without a rate are not in the history.
# A customer whose orders are all in one currency and up to as_of comes from the summary
# the database keeps (`customer_purchases`, migration 0021; the rate times the repeat days'
# revenue is their converted sum, exactly, in numeric); the others (several currencies, or
# a purchase after as_of) from their orders. Read with a binary COPY whose rows all have
# the same width, so numpy takes them as they come (asyncpg puts the parameters into the
# COPY as literals).
_HISTORY = """
        WITH rates AS (
            SELECT key AS currency, value::numeric AS rate FROM jsonb_each_text($3::jsonb)
        ), settled AS (
            SELECT p.contact_id, CAST(p.days - 1 AS int4) AS repeat_purchases,
                   p.last_day - p.first_day AS recency_days, $1::date - p.first_day AS age_days,
                   (p.repeat_revenue * r.rate)::float8 AS repeat_revenue
            FROM customer_purchases AS p JOIN rates AS r USING (currency)
            WHERE p.last_day <= $1::date
        ), days AS (
            SELECT contact_id, (ordered_at AT TIME ZONE 'UTC')::date AS day,
                   sum(revenue * rate) AS spend
            FROM orders JOIN rates USING (currency)
            WHERE ordered_at < $2::timestamptz
              AND contact_id IN (
                  SELECT contact_id FROM customer_purchases
                  WHERE currency IS NULL OR last_day > $1::date
              )
            GROUP BY contact_id, day
        ), marked AS (
            SELECT contact_id, day, spend, min(day) OVER (PARTITION BY contact_id) AS first_day
            FROM days
        )
        SELECT * FROM settled
        UNION ALL
        SELECT contact_id,
               CAST(count(*) - 1 AS int4) AS repeat_purchases,
               max(day) - min(day) AS recency_days,
               $1::date - min(day) AS age_days,
               coalesce(sum(spend) FILTER (WHERE day > first_day), 0)::float8 AS repeat_revenue
        FROM marked
        GROUP BY contact_id
        ORDER BY contact_id
"""
# What the fit leaves out: orders up to and including as_of in a currency without a rate,
# their currencies, and the customers all of whose orders are such. From the summary for
# the customers of one currency up to as_of, from the orders for the others.
_LEFT_OUT = text(
    """
    WITH rates AS (
        SELECT key AS currency FROM jsonb_each_text(CAST(:rates AS jsonb))
    ), settled AS (
        SELECT count(*) AS customers, COALESCE(sum(orders), 0) AS orders,
               array_agg(DISTINCT currency) AS currencies
        FROM customer_purchases
        WHERE currency IS NOT NULL AND last_day <= CAST(:as_of AS date)
          AND currency NOT IN (SELECT currency FROM rates)
    ), buyers AS (
        SELECT contact_id, currency IN (SELECT currency FROM rates) AS converts, currency
        FROM orders
        WHERE ordered_at < CAST(:until AS timestamptz)
          AND contact_id IN (
              SELECT contact_id FROM customer_purchases
              WHERE currency IS NULL OR last_day > CAST(:as_of AS date)
          )
    )
    SELECT (SELECT orders FROM settled)
               + count(*) FILTER (WHERE NOT converts) AS left_out_orders,
           ARRAY(
               SELECT unnest(currencies) FROM settled
               UNION SELECT currency FROM buyers WHERE NOT converts
           ) AS left_out_currencies,
           (SELECT customers FROM settled) + (SELECT count(*) FROM (
                SELECT contact_id FROM buyers GROUP BY contact_id HAVING NOT bool_or(converts)
           ) AS unconverted) AS left_out_customers
    FROM buyers
    """
)
Part = TypeVar("Part")

# PostgreSQL's binary COPY: a 19-byte header, per row the field count and each field's
# length before it (big-endian), and a 2-byte trailer.
_COPY_HEADER = b"PGCOPY\n\xff\r\n\x00" + bytes(8)
_COPY_TRAILER = b"\xff\xff"
_HISTORY_ROW = np.dtype(
    [("fields", ">i2"), ("id_len", ">i4"), ("contact_id", "V16")]
    + [
        field
        for name, kind in (
            ("repeat_purchases", ">i4"),
            ("recency_days", ">i4"),
            ("age_days", ">i4"),
            ("repeat_revenue", ">f8"),
        )
        for field in ((f"{name}_len", ">i4"), (name, kind))
    ]
)
_PREDICTION_ROW = np.dtype(
    [("fields", ">i2"), ("id_len", ">i4"), ("contact_id", "V16")]
    + [
        field
        for name in ("clv", "expected", "p_alive")
        for field in ((f"{name}_len", ">i4"), (name, ">f8"))
    ]
)
# This run's predictions, for the recompute to take in the same transaction. One row per
# customer of the summary (grouped by contact id); no index, as the recompute reads it whole.
PREDICTIONS_TABLE = "clv_predictions"
_STAGE_PREDICTIONS = text(
    f"""
    CREATE TEMPORARY TABLE {PREDICTIONS_TABLE} (
        contact_id uuid NOT NULL, clv float8, expected float8, p_alive float8
    ) ON COMMIT DROP
    """
)
# For the transaction of a recompute's statements over every customer: sorting and grouping
# in memory rather than in temporary files, and no JIT compilation, whose seconds the
# planner's row estimates for these statements (temporary tables, CTEs) do not repay.
_RECOMPUTE_SETTINGS = (text("SET LOCAL work_mem = '256MB'"), text("SET LOCAL jit = off"))


async def tune_for_recompute(session: AsyncSession) -> None:
    for setting in _RECOMPUTE_SETTINGS:
        await session.execute(setting)


@dataclass(frozen=True)
class CustomerHistories:
    # The contact ids as PostgreSQL's 16 bytes of each uuid, in the order of the history.
    contact_ids: NDArray[np.void]
    history: PurchaseHistory

    def __len__(self) -> int:
        return len(self.contact_ids)


async def driver_connection(session: AsyncSession) -> asyncpg.Connection:
    """The asyncpg connection under the session's transaction, for COPY."""
    raw = await (await session.connection()).get_raw_connection()
    connection = raw.driver_connection
    assert connection is not None
    return connection


async def copy_rows_out(
    session: AsyncSession, query: str, row: np.dtype[Any], *arguments: object
) -> NDArray[Any]:
    """The rows of `query` (every field of a fixed width: no NULLs) as a numpy array of
    `row`, read with one binary COPY in the session's transaction."""
    buffer = io.BytesIO()
    await (await driver_connection(session)).copy_from_query(
        query, *arguments, output=buffer, format="binary"
    )
    return np.frombuffer(buffer.getbuffer()[len(_COPY_HEADER) : -len(_COPY_TRAILER)], dtype=row)


async def copy_rows_out_in_parts(
    session: AsyncSession,
    query: str,
    row: np.dtype[Any],
    take: Callable[[NDArray[Any]], Part],
    *arguments: object,
    part_bytes: int = 1 << 25,
) -> list[Part]:
    """The rows of `query`, as copy_rows_out reads them, handed to `take` a part of about
    `part_bytes` at a time; what it makes of each part (copies: the part's rows are a view
    of the buffer read into), in order. The raw rows of a large result are never held all at
    once, only what `take` keeps of them."""
    parts: list[Part] = []
    pending = bytearray()
    started = False

    def hand_over(rows_end: int) -> None:
        nonlocal pending, started
        start = 0 if started else len(_COPY_HEADER)
        whole = (rows_end - start) // row.itemsize * row.itemsize
        if whole:
            rows = np.frombuffer(pending, dtype=row, count=whole // row.itemsize, offset=start)
            parts.append(take(rows))
        pending = pending[start + whole :]
        started = True

    async def receive(data: bytes) -> None:
        pending.extend(data)
        if len(pending) >= part_bytes:
            hand_over(len(pending))

    await (await driver_connection(session)).copy_from_query(
        query, *arguments, output=receive, format="binary"
    )
    hand_over(len(pending) - len(_COPY_TRAILER))
    return parts


async def copy_rows_in(session: AsyncSession, table: str, rows: NDArray[Any]) -> None:
    """Rows built by numpy in binary COPY's layout into a temporary table, analysed after."""
    await (await driver_connection(session)).copy_to_table(
        table, source=io.BytesIO(_COPY_HEADER + rows.tobytes() + _COPY_TRAILER), format="binary"
    )
    # Temporary tables have no statistics until analysed (autovacuum does not see them).
    await session.execute(text(f"ANALYZE {table}"))


class ClvRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def purchase_histories(self, as_of: date, money: ReportingCurrency) -> CustomerHistories:
        """The purchase history of every customer with an order that converts into the
        reporting currency, spend in that currency."""
        await tune_for_recompute(self.session)
        rows = await copy_rows_out(
            self.session,
            _HISTORY,
            _HISTORY_ROW,
            as_of,
            as_of + timedelta(days=1),
            json.dumps(money.as_rates()),
        )
        x = rows["repeat_purchases"].astype(np.int64)
        revenue = rows["repeat_revenue"].astype(np.float64)
        history = PurchaseHistory(
            repeat_purchases=x,
            recency_days=rows["recency_days"].astype(np.int64),
            age_days=rows["age_days"].astype(np.int64),
            repeat_spend=np.divide(revenue, x, out=np.zeros_like(revenue), where=x > 0),
        )
        return CustomerHistories(rows["contact_id"].copy(), history)

    async def left_out(self, as_of: date, money: ReportingCurrency) -> dict[str, Any]:
        row = (
            (
                await self.session.execute(
                    _LEFT_OUT,
                    {
                        "rates": json.dumps(money.as_rates()),
                        "as_of": as_of,
                        "until": datetime.combine(as_of + timedelta(days=1), time(), UTC),
                    },
                )
            )
            .mappings()
            .one()
        )
        return {
            "left_out_orders": row["left_out_orders"],
            "left_out_customers": row["left_out_customers"],
            "left_out_currencies": sorted(row["left_out_currencies"]),
        }

    async def stage_predictions(
        self, contact_ids: NDArray[np.void], predictions: Predictions
    ) -> None:
        """This run's predictions into a table of the transaction (dropped at its end), in
        one binary COPY; the recompute writes them to the customers with everything else."""
        rows = np.empty(len(contact_ids), dtype=_PREDICTION_ROW)
        rows["fields"], rows["id_len"], rows["contact_id"] = 4, 16, contact_ids
        for name, values in (
            ("clv", predictions.clv),
            ("expected", predictions.expected_purchases_12m),
            ("p_alive", predictions.p_alive),
        ):
            rows[f"{name}_len"], rows[name] = 8, values
        await self.session.execute(_STAGE_PREDICTIONS)
        await copy_rows_in(self.session, PREDICTIONS_TABLE, rows)


class ClvScheduleRepository:
    """The runs (jobs of kind `kind`) as the scheduler sees them."""

    def __init__(self, session: AsyncSession, tables: BackboneTables, kind: str) -> None:
        self.session = session
        self.jobs = tables.jobs
        self.kind = kind

    async def lock(self, name: str) -> bool:
        """Held to the end of the transaction, so one replica at a time decides."""
        key = advisory_lock_key(name)
        return bool(await self.session.scalar(select(func.pg_try_advisory_xact_lock(key))))

    async def fit_due(self, every: timedelta, retry_after: timedelta) -> bool:
        """No run succeeded within `every`, and none was started within `retry_after`."""
        jobs = self.jobs
        recent = select(func.count()).where(
            jobs.c.kind == self.kind,
            (
                and_(jobs.c.status == JobStatus.SUCCEEDED, jobs.c.created_at > func.now() - every)
                | (jobs.c.created_at > func.now() - retry_after)
            ),
        )
        return (await self.session.scalar(recent)) == 0
