"""All SQL of churn risk (A4): its signals as seen in events, and the score of every customer
(or of a few) in one statement, announcing each upward crossing of the threshold once."""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

import orjson
from sqlalchemy import Boolean, Table, and_, case, column, func, or_, select, text, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from analytics.adapters.orm import churns, contracts, customers, feedback_cases
from treue.events.contracts import CustomerChurnRiskV1
from treue.outbox import OutboxStream

# What a CLV run predicts of a customer.
_PREDICTED = ("clv", "expected_purchases_12m", "p_alive")

# Each customer's score and drivers from their signals, for the customers of `{customers}`:
# the table itself, or the recompute's view of it with the new predictions (the same
# columns). :ids NULL scores everyone, otherwise only those customers; the filter is
# repeated in each signal's subquery so that it applies before the grouping.
CHURN_SCORES = """
        SELECT contact_id, previous_score, was_alerted,
               CASE WHEN churned THEN NULL ELSE round(CAST(
                   1 - (1 - dormancy) * (1 - contract) * (1 - detractor) * (1 - negative)
                   AS numeric), 4)::float8 END AS score,
               CASE WHEN churned THEN NULL
                    -- Most customers have no signal but dormancy: the same array without a
                    -- list sorted per customer (in the recompute, a subplan for every row).
                    WHEN contract < CAST(:min_driver AS float8)
                         AND detractor < CAST(:min_driver AS float8)
                         AND negative < CAST(:min_driver AS float8)
                    THEN CASE WHEN dormancy >= CAST(:min_driver AS float8)
                              THEN ARRAY['low_p_alive']
                              ELSE ARRAY[]::text[] END::varchar(40)[]
                    ELSE ARRAY(
                        SELECT d.name
                        FROM (VALUES ('low_p_alive', dormancy), (contract_driver, contract),
                                     ('detractor', detractor), ('negative_interactions', negative)
                             ) AS d(name, weight)
                        WHERE d.weight >= CAST(:min_driver AS float8)
                        ORDER BY d.weight DESC, d.name
                    )::varchar(40)[] END AS drivers
        FROM (
            SELECT c.contact_id, c.churn_risk AS previous_score, c.churn_alerted AS was_alerted,
                   c.churned_at IS NOT NULL
                       AND (c.won_back_at IS NULL OR c.won_back_at < c.churned_at) AS churned,
                   COALESCE(CAST(:w_dormancy AS float8) * (1 - c.p_alive), 0) AS dormancy,
                   CASE WHEN k.cancelled THEN CAST(:w_cancelled AS float8)
                        WHEN k.ending THEN CAST(:w_ending AS float8) ELSE 0 END AS contract,
                   CASE WHEN k.cancelled THEN 'contract_cancelled'
                        ELSE 'contract_ending' END AS contract_driver,
                   CASE WHEN n.category = 'detractor'
                        THEN CAST(:w_detractor AS float8) ELSE 0 END AS detractor,
                   CAST(:w_negative AS float8) * LEAST(
                       COALESCE(i.negative, 0) / CAST(:negative_saturation AS float8), 1
                   ) AS negative
            FROM {customers} AS c
            LEFT JOIN (
                SELECT contact_id,
                       bool_or(status = 'notice_given') AS cancelled,
                       bool_or(status IN ('active', 'renewed') AND NOT auto_renew
                               AND end_date <= CAST(:ending_by AS date)) AS ending
                FROM contracts
                WHERE (CAST(:ids AS uuid[]) IS NULL OR contact_id = ANY(CAST(:ids AS uuid[])))
                GROUP BY contact_id
            ) AS k ON k.contact_id = c.contact_id
            LEFT JOIN (
                SELECT DISTINCT ON (contact_id) contact_id, category
                FROM nps_responses
                WHERE responded_at >= CAST(:detractor_since AS timestamptz)
                  AND (CAST(:ids AS uuid[]) IS NULL OR contact_id = ANY(CAST(:ids AS uuid[])))
                ORDER BY contact_id, responded_at DESC
            ) AS n ON n.contact_id = c.contact_id
            LEFT JOIN (
                SELECT contact_id, count(*)::float8 AS negative
                FROM interactions
                WHERE sentiment = 'negative'
                  AND occurred_at >= CAST(:negative_since AS timestamptz)
                  AND (CAST(:ids AS uuid[]) IS NULL OR contact_id = ANY(CAST(:ids AS uuid[])))
                GROUP BY contact_id
            ) AS i ON i.contact_id = c.contact_id
            WHERE (CAST(:ids AS uuid[]) IS NULL OR c.contact_id = ANY(CAST(:ids AS uuid[])))
              AND c.erased_at IS NULL
        ) AS signals
"""
# Composed of this module's constants only (no input).
_ASSESS = text(
    f"""
    UPDATE customers AS c
    SET churn_risk = s.score, churn_drivers = s.drivers,
        churn_alerted = COALESCE(s.score >= CAST(:threshold AS float8), false)
    FROM ({CHURN_SCORES.format(customers="customers")}) AS s
    WHERE c.contact_id = s.contact_id
      AND (c.churn_risk, c.churn_drivers, c.churn_alerted)
          IS DISTINCT FROM
          (s.score, s.drivers, COALESCE(s.score >= CAST(:threshold AS float8), false))
    RETURNING c.contact_id::text AS subject, s.was_alerted, c.churn_alerted AS alerted,
              jsonb_build_object(
                  'contact_id', c.contact_id, 'score', s.score,
                  'previous_score', s.previous_score, 'drivers', to_jsonb(s.drivers),
                  'assessed_at', now()
              ) AS data
    """  # noqa: S608
).columns(
    column("subject"), column("was_alerted", Boolean), column("alerted", Boolean), column("data")
)


# A round of NPS answers in one JSON parameter, each answer once.
_KEEP_RESPONSES = text(
    """
    INSERT INTO nps_responses (response_id, survey_id, contact_id, revision, category,
                               responded_at)
    SELECT response_id, survey_id, contact_id, revision, category, responded_at
    FROM jsonb_to_recordset(CAST(:responses AS jsonb)) AS r(
        response_id uuid, survey_id uuid, contact_id uuid, revision int, category text,
        responded_at timestamptz)
    ON CONFLICT (response_id) DO UPDATE
    SET survey_id = excluded.survey_id, contact_id = excluded.contact_id,
        revision = excluded.revision, category = excluded.category,
        responded_at = excluded.responded_at
    WHERE nps_responses.revision < excluded.revision
    """
)


_CUSTOM_PLANS = text("SET LOCAL plan_cache_mode = force_custom_plan")


class ChurnRepository:
    def __init__(self, session: AsyncSession, stream: OutboxStream) -> None:
        self.session = session
        self.stream = stream

    async def assess(
        self, parameters: dict[str, Any], contact_ids: list[uuid.UUID] | None = None
    ) -> None:
        """Score these customers (None: all); a customer reaching the threshold from below
        is one `customer.churn_risk` event, staying above it is none."""
        if contact_ids is not None and len(contact_ids) > 1:
            # A generic plan (what a prepared statement gets after a few runs) compares
            # every signal row with every id of the array; a plan for these ids hashes
            # them. For a run's customers that was 159 ms against 5 ms at 1,800 ids.
            await self.session.execute(_CUSTOM_PLANS)
        changed = _ASSESS.bindparams(**parameters, ids=contact_ids).cte("changed")
        crossed = (
            select(changed.c.subject, changed.c.data)
            .where(changed.c.alerted, ~changed.c.was_alerted)
            .subquery("crossed")
        )
        await self.stream.publish_from(self.session, CustomerChurnRiskV1, crossed)

    async def keep_contract(self, row: dict[str, Any]) -> None:
        """The newest version of the contract wins, whatever the arrival order."""
        await self._keep_newest(contracts, "contract_id", "version", row)

    async def keep_responses(self, responses: Sequence[Mapping[str, Any]]) -> None:
        """`nps.response_recorded` payloads (validated, each response id once) in one
        statement: the latest revision of each answer wins, whatever the arrival order."""
        await self.session.execute(_KEEP_RESPONSES, {"responses": orjson.dumps(responses).decode()})

    async def keep_case(self, row: dict[str, Any]) -> None:
        """The latest version of the feedback case wins. Its contact stays the one it has
        here: merges and erasures move it (CONTACT_ACTIVITY), a later change must not undo
        that."""
        await self._keep_newest(
            feedback_cases, "feedback_case_id", "updated_at", row, fixed={"contact_id"}
        )

    async def _keep_newest(
        self,
        table: Table,
        key: str,
        version: str,
        row: dict[str, Any],
        fixed: frozenset[str] | set[str] = frozenset(),
    ) -> None:
        statement = insert(table).values(row)
        await self.session.execute(
            statement.on_conflict_do_update(
                index_elements=[table.c[key]],
                set_={k: statement.excluded[k] for k in row if k != key and k not in fixed},
                where=table.c[version] < statement.excluded[version],
            )
        )

    async def mark_churned(self, contact_id: uuid.UUID, churned_at: datetime, reason: str) -> None:
        """Keep the churn with its reason and the customer's latest churn time. A customer
        churned by it (not won back since) expects nothing more: predictions they have go to
        zero now, as the next recompute would write them."""
        await self.session.execute(
            insert(churns)
            .values(contact_id=contact_id, churned_at=churned_at, reason=reason)
            .on_conflict_do_nothing()
        )
        latest = func.greatest(customers.c.churned_at, churned_at)
        gone = and_(
            customers.c.clv_run_id.is_not(None),
            or_(customers.c.won_back_at.is_(None), customers.c.won_back_at < latest),
        )
        await self.session.execute(
            update(customers)
            .where(customers.c.contact_id == contact_id)
            .values(
                churned_at=latest,
                **{name: case((gone, 0), else_=customers.c[name]) for name in _PREDICTED},
            )
        )

    async def mark_won_back(self, contact_id: uuid.UUID, won_back_at: datetime) -> None:
        """Keep the latest win-back. A customer back from a churn has no prediction until
        the next CLV run (the zeros of their churn were not the model's)."""
        latest = func.greatest(customers.c.won_back_at, won_back_at)
        back = and_(customers.c.churned_at.is_not(None), customers.c.churned_at <= latest)
        was_gone = or_(
            customers.c.won_back_at.is_(None), customers.c.won_back_at < customers.c.churned_at
        )
        await self.session.execute(
            update(customers)
            .where(customers.c.contact_id == contact_id)
            .values(
                won_back_at=latest,
                **{
                    name: case((and_(back, was_gone), None), else_=customers.c[name])
                    for name in (*_PREDICTED, "clv_run_id")
                },
            )
        )
