"""All SQL of the recompute (A2-A4 written for every customer): the predictions of a CLV run,
ABC classes, RFM quintiles and churn risk, computed set-based over the whole read model into
a table of the transaction, then written to the customers in one statement that touches
only the rows that changed, with a `segment.changed` event for each class that changed and a
`customer.churn_risk` event for each upward crossing of the threshold."""

from __future__ import annotations

import uuid
from typing import Any, cast

from sqlalchemy import CursorResult, column, text
from sqlalchemy.ext.asyncio import AsyncSession

from analytics.adapters.churn import CHURN_SCORES
from analytics.adapters.clv_repository import PREDICTIONS_TABLE, tune_for_recompute
from analytics.domain.segments import AbcThresholds
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
# The predictions: a run's (staged by ClvRepository; customers it did not cover have none),
# or, for a recompute without a fit, those the customers have.
_RUN_PREDICTIONS = f"""
    round(p.clv::numeric, 2) AS clv, p.expected AS expected_purchases_12m, p.p_alive,
    CASE WHEN p.contact_id IS NOT NULL THEN CAST(:run_id AS uuid) END AS clv_run_id
    FROM customers AS c LEFT JOIN {PREDICTIONS_TABLE} AS p ON p.contact_id = c.contact_id
"""
_KEPT_PREDICTIONS = """
    c.clv, c.expected_purchases_12m, c.p_alive, c.clv_run_id
    FROM customers AS c
"""
# ABC: the running total ranks customers by value (ties by id, so the classes are
# deterministic); a customer is A while the value before them is under the A share.
# RFM: quintiles among customers with at least one order; 5 is the most recent last order,
# the most orders, the highest revenue; ntile splits ties by id, so every quintile is a
# fifth. Churn risk: CHURN_SCORES over the new predictions; an erased customer's is kept.
# `valued` is inlined where it is used, so the planner estimates from the customers' own
# statistics (a materialised CTE's filters get default guesses: 0.5 % of the rows).
_SCORE = """
    INSERT INTO recompute_scores
    WITH valued AS NOT MATERIALIZED (
        SELECT c.contact_id, c.orders, c.last_order_at, c.revenue, c.net_value, c.erased_at,
               c.abc_class, c.churn_risk, c.churn_drivers, c.churn_alerted, c.churned_at,
               c.won_back_at, {predictions}
    ), ranked AS (
        -- Only the columns the ranks need go through the four sorts. Money sorts as
        -- float8: the same order (two decimals, 14 digits: distinct amounts stay distinct)
        -- for a fraction of numeric's comparisons; the sums stay numeric.
        SELECT contact_id, orders,
               GREATEST(COALESCE(clv, net_value), 0) AS value,
               sum(GREATEST(COALESCE(clv, net_value), 0)) OVER (
                   ORDER BY CAST(COALESCE(clv, net_value) AS float8) DESC, contact_id
                   ROWS UNBOUNDED PRECEDING
               ) AS running,
               sum(GREATEST(COALESCE(clv, net_value), 0)) OVER () AS total,
               ntile(5) OVER (PARTITION BY orders > 0 ORDER BY last_order_at, contact_id) AS r,
               ntile(5) OVER (PARTITION BY orders > 0 ORDER BY orders, contact_id) AS f,
               ntile(5) OVER (
                   PARTITION BY orders > 0 ORDER BY CAST(revenue AS float8), contact_id
               ) AS m
        FROM valued
    )
    SELECT v.contact_id, v.clv, v.expected_purchases_12m, v.p_alive, v.clv_run_id,
           CASE WHEN k.value <= 0 OR k.total <= 0 THEN 'C'
                WHEN k.running - k.value < CAST(:a_share AS numeric) * k.total THEN 'A'
                WHEN k.running - k.value < CAST(:ab_share AS numeric) * k.total THEN 'B'
                ELSE 'C' END,
           CASE WHEN k.orders > 0 THEN k.r END, CASE WHEN k.orders > 0 THEN k.f END,
           CASE WHEN k.orders > 0 THEN k.m END,
           CASE WHEN k.orders > 0 THEN concat(k.r, k.f, k.m) END,
           CASE WHEN v.erased_at IS NULL THEN s.score ELSE v.churn_risk END,
           CASE WHEN v.erased_at IS NULL THEN s.drivers ELSE v.churn_drivers END,
           CASE WHEN v.erased_at IS NULL
                THEN COALESCE(s.score >= CAST(:threshold AS float8), false)
                ELSE v.churn_alerted END,
           v.abc_class, v.churn_risk, v.churn_alerted
    FROM valued AS v
    JOIN ranked AS k ON k.contact_id = v.contact_id
    LEFT JOIN ({churn}) AS s ON s.contact_id = v.contact_id
"""
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
        await self.session.execute(_SCORES_TABLE)
        score = _SCORE.format(
            predictions=_KEPT_PREDICTIONS if run_id is None else _RUN_PREDICTIONS,
            churn=CHURN_SCORES.format(customers="valued"),
        )
        await self.session.execute(
            text(score),
            {
                **churn_parameters,
                "ids": None,
                "a_share": thresholds.a_share,
                "ab_share": thresholds.ab_share,
                **({} if run_id is None else {"run_id": run_id}),
            },
        )
        # Temporary tables have no statistics until analysed (autovacuum does not see them).
        await self.session.execute(text("ANALYZE recompute_scores"))
        await self.session.execute(_SCORES_ONLY, {"on": "on"})
        written = cast(CursorResult[Any], await self.session.execute(_WRITE))
        await self.session.execute(_SCORES_ONLY, {"on": "off"})
        await self.stream.publish_from(self.session, SegmentChangedV1, _CLASS_CHANGES)
        await self.stream.publish_from(self.session, CustomerChurnRiskV1, _RISK_CROSSINGS)
        return written.rowcount
