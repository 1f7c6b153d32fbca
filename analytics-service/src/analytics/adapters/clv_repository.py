"""All SQL of the CLV fit: the calibration summary out, the predictions in, and the runs."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
from sqlalchemy import and_, func, select, text, update
from sqlalchemy.ext.asyncio import AsyncSession

from analytics.adapters.orm import customers
from analytics.domain.clv import Predictions, PurchaseHistory
from treue.jobs import JobStatus
from treue.outbox import advisory_lock_key
from treue.tables import BackboneTables

# One row per customer from their purchase days (UTC) up to and including as_of: same-day
# orders are one transaction whose value is their sum; the first day is not a repeat.
_HISTORY = text(
    """
    WITH days AS (
        SELECT contact_id, (ordered_at AT TIME ZONE 'UTC')::date AS day, sum(revenue) AS spend
        FROM orders
        WHERE ordered_at < :calibration_end
        GROUP BY contact_id, day
    ), marked AS (
        SELECT contact_id, day, spend, min(day) OVER (PARTITION BY contact_id) AS first_day
        FROM days
    )
    SELECT contact_id,
           count(*) - 1 AS repeat_purchases,
           max(day) - min(day) AS recency_days,
           CAST(:as_of AS date) - min(day) AS age_days,
           coalesce(sum(spend) FILTER (WHERE day > first_day), 0)::float8 AS repeat_revenue
    FROM marked
    GROUP BY contact_id
    ORDER BY contact_id
    """
)
_WRITE_PREDICTIONS = text(
    """
    UPDATE customers AS c
    SET clv = round(u.clv::numeric, 2), expected_purchases_12m = u.expected,
        p_alive = u.p_alive, clv_run_id = :run_id
    FROM unnest(CAST(:contact_ids AS uuid[]), CAST(:clv AS float8[]),
                CAST(:expected AS float8[]), CAST(:p_alive AS float8[]))
         AS u(contact_id, clv, expected, p_alive)
    WHERE c.contact_id = u.contact_id
    """
)
WRITE_CHUNK = 20_000


@dataclass(frozen=True)
class CustomerHistories:
    contact_ids: list[uuid.UUID]
    history: PurchaseHistory


class ClvRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def purchase_histories(self, as_of: date) -> CustomerHistories:
        rows = (
            await self.session.execute(
                _HISTORY, {"as_of": as_of, "calibration_end": as_of + timedelta(days=1)}
            )
        ).all()
        x = np.array([row.repeat_purchases for row in rows], dtype=np.int64)
        revenue = np.array([row.repeat_revenue for row in rows], dtype=np.float64)
        history = PurchaseHistory(
            repeat_purchases=x,
            recency_days=np.array([row.recency_days for row in rows], dtype=np.int64),
            age_days=np.array([row.age_days for row in rows], dtype=np.int64),
            repeat_spend=np.divide(revenue, x, out=np.zeros_like(revenue), where=x > 0),
        )
        return CustomerHistories([row.contact_id for row in rows], history)

    async def write_predictions(
        self, run_id: uuid.UUID, contact_ids: list[uuid.UUID], predictions: Predictions
    ) -> None:
        """Replace every customer's predictions by this run's; customers the run did not
        cover (no purchase up to its as_of) have none."""
        for start in range(0, len(contact_ids), WRITE_CHUNK):
            chunk = slice(start, start + WRITE_CHUNK)
            await self.session.execute(
                _WRITE_PREDICTIONS,
                {
                    "run_id": run_id,
                    "contact_ids": contact_ids[chunk],
                    "clv": predictions.clv[chunk].tolist(),
                    "expected": predictions.expected_purchases_12m[chunk].tolist(),
                    "p_alive": predictions.p_alive[chunk].tolist(),
                },
            )
        await self.session.execute(
            update(customers)
            .where(customers.c.clv_run_id != run_id)
            .values(clv=None, expected_purchases_12m=None, p_alive=None, clv_run_id=None)
        )


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
