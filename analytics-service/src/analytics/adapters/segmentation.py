"""All SQL of the recompute (A2-A4 written for every customer): the predictions of a CLV run,
ABC classes, RFM quintiles and churn risk, computed set-based over the whole read model into
a table of the transaction, then written to the customers in one statement that touches
only the rows that changed, with a `segment.changed` event for each class that changed and a
`customer.churn_risk` event for each upward crossing of the threshold. The ranks (ABC, RFM)
are numpy's (analytics.domain.segments): what they need goes out in one binary COPY and the
ranks come back in another, instead of four window sorts of every customer in SQL."""

from __future__ import annotations

import uuid
from typing import Any, cast

import numpy as np
from sqlalchemy import CursorResult, column, text
from sqlalchemy.ext.asyncio import AsyncSession

from analytics.adapters.churn import CHURN_SCORES
from analytics.adapters.clv_repository import (
    PREDICTIONS_TABLE,
    copy_rows_in,
    copy_rows_out,
    tune_for_recompute,
)
from analytics.domain.segments import AbcThresholds, abc_classes, quintiles
from treue.events.contracts import CustomerChurnRiskV1, SegmentChangedV1
from treue.outbox import OutboxStream

# No primary key: the ids come from `customers`' own, and every statement reading this table
# reads all of it (hash joins, scans); keeping an index of a million random uuids in the
# session's few temporary buffers made a third of the INSERT's time (measured at 200k).
_SCORES_TABLE = text(
    """
    CREATE TEMPORARY TABLE recompute_scores (
        contact_id uuid NOT NULL,
        clv numeric(14, 2), expected_purchases_12m float8, p_alive float8, clv_run_id uuid,
        abc_class varchar(1), rfm_recency smallint, rfm_frequency smallint,
        rfm_monetary smallint, rfm varchar(3),
        churn_risk float8, churn_drivers varchar(40)[], churn_alerted boolean,
        previous_abc varchar(1), previous_risk float8, was_alerted boolean
    ) ON COMMIT DROP
    """
)
# A customer who told us they left (customer.churned, not won back since) is known to be
# gone: the model's P(alive) guesses from silence what this answers, so nothing more is
# expected of them and their value ranks them last.
CHURNED = "c.churned_at IS NOT NULL AND (c.won_back_at IS NULL OR c.won_back_at < c.churned_at)"
# The predictions: a run's (staged by ClvRepository; customers it did not cover have none),
# or, for a recompute without a fit, those the customers have (a churn set them to zero).
_RUN_PREDICTIONS = f"""
    CASE WHEN p.contact_id IS NOT NULL AND {CHURNED} THEN 0
         ELSE round(p.clv::numeric, 2) END AS clv,
    CASE WHEN p.contact_id IS NOT NULL AND {CHURNED} THEN 0
         ELSE p.expected END AS expected_purchases_12m,
    CASE WHEN p.contact_id IS NOT NULL AND {CHURNED} THEN 0 ELSE p.p_alive END AS p_alive,
    CASE WHEN p.contact_id IS NOT NULL THEN CAST(:run_id AS uuid) END AS clv_run_id
    FROM customers AS c LEFT JOIN {PREDICTIONS_TABLE} AS p ON p.contact_id = c.contact_id
"""
_KEPT_PREDICTIONS = """
    c.clv, c.expected_purchases_12m, c.p_alive, c.clv_run_id
    FROM customers AS c
"""
# What the ranks need of every customer, each field of a fixed width (binary COPY read by
# numpy as it comes): the value in whole cents (zero for a churned customer; else the run's
# CLV rounded as it is written, else the one kept, else the historical net value), the
# orders, the last order (a customer with orders but none seen yet sorts last, as NULLs do)
# and the revenue as float8 (the order RFM has always sorted it by; two decimals, 14
# digits: distinct amounts stay distinct).
_RANK_INPUTS = """
    SELECT c.contact_id,
           CAST(CASE WHEN {churned} THEN 0 ELSE COALESCE({clv}, c.net_value) END * 100 AS int8)
               AS value_cents,
           c.orders, COALESCE(c.last_order_at, 'infinity') AS last_order_at,
           CAST(c.revenue AS float8) AS revenue
    FROM customers AS c {predictions}
"""
_RANK_INPUTS_RUN = _RANK_INPUTS.format(
    churned=CHURNED,
    clv="round(CAST(p.clv AS numeric), 2)",
    predictions=f"LEFT JOIN {PREDICTIONS_TABLE} AS p ON p.contact_id = c.contact_id",
)
_RANK_INPUTS_KEPT = _RANK_INPUTS.format(churned=CHURNED, clv="c.clv", predictions="")
_RANK_INPUT_ROW = np.dtype(
    [
        ("fields", ">i2"),
        ("id_len", ">i4"),
        ("contact_id", "V16"),
        ("value_len", ">i4"),
        ("value_cents", ">i8"),
        ("orders_len", ">i4"),
        ("orders", ">i4"),
        ("last_len", ">i4"),
        ("last_order_at", ">i8"),
        ("revenue_len", ">i4"),
        ("revenue", ">f8"),
    ]
)
# The ranks back, one row per customer; 0 is "no RFM" (a customer without orders).
_RANKS_TABLE = "recompute_ranks"
_RANKS = text(
    f"""
    CREATE TEMPORARY TABLE {_RANKS_TABLE} (
        contact_id uuid NOT NULL, abc_class varchar(1) NOT NULL, r smallint NOT NULL,
        f smallint NOT NULL, m smallint NOT NULL
    ) ON COMMIT DROP
    """
)
_RANK_ROW = np.dtype(
    [("fields", ">i2"), ("id_len", ">i4"), ("contact_id", "V16"), ("abc_len", ">i4")]
    + [("abc_class", "S1")]
    + [field for name in ("r", "f", "m") for field in ((f"{name}_len", ">i4"), (name, ">i2"))]
)
# Churn risk: CHURN_SCORES over the new predictions; an erased customer's is kept. `valued`
# is inlined where it is used, so the planner estimates from the customers' own statistics
# (a materialised CTE's filters get default guesses: 0.5 % of the rows). A customer who
# came after the ranks were read (a concurrent order) is scored by the next recompute.
_SCORE = f"""
    INSERT INTO recompute_scores
    WITH valued AS NOT MATERIALIZED (
        SELECT c.contact_id, c.orders, c.last_order_at, c.revenue, c.net_value, c.erased_at,
               c.abc_class, c.churn_risk, c.churn_drivers, c.churn_alerted, c.churned_at,
               c.won_back_at, {{predictions}}
    )
    SELECT v.contact_id, v.clv, v.expected_purchases_12m, v.p_alive, v.clv_run_id,
           k.abc_class, NULLIF(k.r, 0), NULLIF(k.f, 0), NULLIF(k.m, 0),
           CASE WHEN k.r > 0 THEN concat(k.r, k.f, k.m) END,
           CASE WHEN v.erased_at IS NULL THEN s.score ELSE v.churn_risk END,
           CASE WHEN v.erased_at IS NULL THEN s.drivers ELSE v.churn_drivers END,
           CASE WHEN v.erased_at IS NULL
                THEN COALESCE(s.score >= CAST(:threshold AS float8), false)
                ELSE v.churn_alerted END,
           v.abc_class, v.churn_risk, v.churn_alerted
    FROM valued AS v
    JOIN {_RANKS_TABLE} AS k ON k.contact_id = v.contact_id
    LEFT JOIN ({{churn}}) AS s ON s.contact_id = v.contact_id
"""  # noqa: S608
_SCORED_COLUMNS = (
    "clv",
    "expected_purchases_12m",
    "p_alive",
    "clv_run_id",
    "abc_class",
    "rfm_recency",
    "rfm_frequency",
    "rfm_monetary",
    "rfm",
    "churn_risk",
    "churn_drivers",
    "churn_alerted",
)
# Composed of this module's constants only (no input).
_WRITE = text(
    f"""
    UPDATE customers AS c
    SET {", ".join(f"{name} = s.{name}" for name in _SCORED_COLUMNS)}
    FROM recompute_scores AS s
    WHERE c.contact_id = s.contact_id
      AND ({", ".join(f"c.{name}" for name in _SCORED_COLUMNS)})
          IS DISTINCT FROM ({", ".join(f"s.{name}" for name in _SCORED_COLUMNS)})
    """  # noqa: S608
)
_CLASS_CHANGES = (
    text(
        """
        SELECT contact_id::text AS subject,
               jsonb_build_object(
                   'contact_id', contact_id, 'kind', 'abc', 'segment_id', NULL,
                   'previous', previous_abc, 'current', abc_class, 'changed_at', now()
               ) AS data
        FROM recompute_scores
        WHERE abc_class IS DISTINCT FROM previous_abc
        """
    )
    .columns(column("subject"), column("data"))
    .subquery("class_changes")
)
_RISK_CROSSINGS = (
    text(
        """
        SELECT contact_id::text AS subject,
               jsonb_build_object(
                   'contact_id', contact_id, 'score', churn_risk,
                   'previous_score', previous_risk, 'drivers', to_jsonb(churn_drivers),
                   'assessed_at', now()
               ) AS data
        FROM recompute_scores
        WHERE churn_alerted AND NOT was_alerted
        """
    )
    .columns(column("subject"), column("data"))
    .subquery("risk_crossings")
)


# Migration 0017: while set, the UPDATE trigger of `customers` leaves the hourly rollups
# alone, which only count columns this write does not touch (it would group every changed
# row for nothing); the risks and figures still follow the transition rows.
_SCORES_ONLY = text("SELECT set_config('analytics.recompute_scores_only', :on, true)")


# The saved segments are evaluated next, in this transaction, by filters over these columns.
# When the write changed a large share of the customers (the first recompute: every score
# was NULL when last analysed), the planner would take each segment for a handful of rows
# and loop over the members once per customer: at 200k customers the 'Champions' segment
# took about 3 minutes instead of seconds. ANALYZE in the transaction sees its own writes
# (a sample of 30,000 rows, whatever the table's size), and commits with it.
_RESTATE_SHARE = 10
_RESTATE = text(f"ANALYZE customers ({', '.join(_SCORED_COLUMNS)})")


class SegmentationRepository:
    def __init__(self, session: AsyncSession, stream: OutboxStream) -> None:
        self.session = session
        self.stream = stream

    async def rescore(
        self,
        thresholds: AbcThresholds,
        churn_parameters: dict[str, Any],
        run_id: uuid.UUID | None = None,
    ) -> int:
        """Every customer's scores, with the predictions of `run_id` (staged in this
        transaction by ClvRepository.stage_predictions) or those they have; returns how many
        customers changed."""
        await tune_for_recompute(self.session)
        customers = await self._stage_ranks(thresholds, with_run=run_id is not None)
        await self.session.execute(_SCORES_TABLE)
        score = _SCORE.format(
            predictions=_KEPT_PREDICTIONS if run_id is None else _RUN_PREDICTIONS,
            churn=CHURN_SCORES.format(customers="valued"),
        )
        await self.session.execute(
            text(score),
            {**churn_parameters, "ids": None, **({} if run_id is None else {"run_id": run_id})},
        )
        # Temporary tables have no statistics until analysed (autovacuum does not see them).
        await self.session.execute(text("ANALYZE recompute_scores"))
        await self.session.execute(_SCORES_ONLY, {"on": "on"})
        written = cast(CursorResult[Any], await self.session.execute(_WRITE))
        await self.session.execute(_SCORES_ONLY, {"on": "off"})
        if written.rowcount * _RESTATE_SHARE >= customers:
            await self.session.execute(_RESTATE)
        await self.stream.publish_from(self.session, SegmentChangedV1, _CLASS_CHANGES)
        await self.stream.publish_from(self.session, CustomerChurnRiskV1, _RISK_CROSSINGS)
        return written.rowcount

    async def _stage_ranks(self, thresholds: AbcThresholds, *, with_run: bool) -> int:
        """Every customer's ABC class and RFM quintiles, ranked by numpy, into a table of
        the transaction; returns how many customers there are."""
        found = await copy_rows_out(
            self.session, _RANK_INPUTS_RUN if with_run else _RANK_INPUTS_KEPT, _RANK_INPUT_ROW
        )
        ids = found["contact_id"]
        buyers = found["orders"] > 0
        ranks = np.empty(len(found), dtype=_RANK_ROW)
        ranks["fields"], ranks["id_len"], ranks["contact_id"] = 5, 16, ids
        ranks["abc_len"], ranks["abc_class"] = (
            1,
            abc_classes(ids, found["value_cents"].astype(np.int64), thresholds),
        )
        for name, key in (
            ("r", found["last_order_at"].astype(np.int64)),
            ("f", found["orders"].astype(np.int64)),
            ("m", found["revenue"].astype(np.float64)),
        ):
            ranks[f"{name}_len"], ranks[name] = 2, quintiles(ids, key, buyers)
        await self.session.execute(_RANKS)
        await copy_rows_in(self.session, _RANKS_TABLE, ranks)
        return len(ranks)
