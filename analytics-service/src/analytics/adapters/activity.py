"""All SQL of what customers did: orders and interactions, each kept once by its id."""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from typing import Any

import orjson
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

# A run of orders, each with its lines, as one JSON array in one parameter, kept by one
# statement: the lines of the run, the new orders, their hours (per currency) and their
# customers' totals. An order seen before is skipped by its id and adds nothing (its lines
# are skipped by theirs); a customer's currency becomes that of its last new order in the
# run, as one by one. The decimal strings of the contract go to `numeric` as they are.
_RECORD_ORDERS = text(
    """
    WITH batch AS (
        SELECT * FROM ROWS FROM (
            jsonb_to_recordset(CAST(:orders AS jsonb)) AS (
                order_id uuid, contact_id uuid, ordered_at timestamptz, currency text,
                revenue numeric, cost numeric, lines jsonb)
        ) WITH ORDINALITY AS o(order_id, contact_id, ordered_at, currency, revenue, cost, lines,
                               position)
    ), lined AS (
        INSERT INTO order_lines (order_id, line_no, contact_id, ordered_at, product_id, sku,
                                 currency, quantity, revenue, cost)
        SELECT b.order_id, l.line_no, b.contact_id, b.ordered_at, l.product_id, l.sku,
               b.currency, l.quantity, l.revenue, l.cost
        FROM batch AS b
        CROSS JOIN LATERAL jsonb_to_recordset(b.lines) AS l(
            line_no int, product_id uuid, sku text, quantity numeric, revenue numeric,
            cost numeric)
        ON CONFLICT (order_id, line_no) DO NOTHING
    ), recorded AS (
        INSERT INTO orders (order_id, contact_id, ordered_at, currency, revenue, cost)
        SELECT order_id, contact_id, ordered_at, currency, revenue, cost FROM batch
        ORDER BY position
        ON CONFLICT (order_id) DO NOTHING
        RETURNING order_id, contact_id, ordered_at, currency, revenue, cost
    ), rolled_up AS (
        INSERT INTO revenue_hours (hour, currency, revenue, orders)
        SELECT date_trunc('hour', ordered_at, 'UTC'), currency, sum(revenue), count(*)
        FROM recorded GROUP BY 1, 2
        ON CONFLICT (hour, currency) DO UPDATE
        SET revenue = revenue_hours.revenue + excluded.revenue,
            orders = revenue_hours.orders + excluded.orders
    ), totals AS (
        SELECT r.contact_id, sum(r.revenue) AS revenue, sum(r.cost) AS cost,
               count(*) AS orders, min(r.ordered_at) AS first_order_at,
               max(r.ordered_at) AS last_order_at,
               (array_agg(b.currency ORDER BY b.position DESC))[1] AS currency
        FROM recorded AS r JOIN batch AS b USING (order_id)
        GROUP BY r.contact_id
    )
    UPDATE customers AS c
    SET revenue = c.revenue + t.revenue, cost = c.cost + t.cost, orders = c.orders + t.orders,
        currency = t.currency,
        first_order_at = LEAST(c.first_order_at, t.first_order_at),
        last_order_at = GREATEST(c.last_order_at, t.last_order_at),
        updated_at = now()
    FROM totals AS t
    WHERE c.contact_id = t.contact_id
    """
)


# A run of interactions in one JSON parameter: those not seen before are kept, and each
# customer's service cost grows by the costs of theirs (a recorded one without a cost still
# touches `updated_at`, as one by one).
_RECORD_INTERACTIONS = text(
    """
    WITH recorded AS (
        INSERT INTO interactions (interaction_id, contact_id, kind, sentiment, occurred_at, cost)
        SELECT interaction_id, contact_id, kind, sentiment, occurred_at, cost
        FROM jsonb_to_recordset(CAST(:interactions AS jsonb)) AS i(
            interaction_id uuid, contact_id uuid, kind text, sentiment text,
            occurred_at timestamptz, cost numeric)
        ON CONFLICT (interaction_id) DO NOTHING
        RETURNING contact_id, cost
    ), costs AS (
        SELECT contact_id, COALESCE(sum(cost), 0) AS cost FROM recorded GROUP BY contact_id
    )
    UPDATE customers AS c
    SET service_cost = c.service_cost + t.cost, updated_at = now()
    FROM costs AS t
    WHERE c.contact_id = t.contact_id
    """
)


class ActivityRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def record_orders(self, orders: Mapping[uuid.UUID, Mapping[str, Any]]) -> None:
        """Keep a run of orders as if recorded one by one, in one statement: the
        `order.recorded` payloads (validated, each with its lines) by their order ids, the
        first of each id in the run. An order whose id was seen in an earlier run changes
        nothing. The payloads go as they came: the statement reads the fields it needs."""
        await self.session.execute(
            _RECORD_ORDERS, {"orders": orjson.dumps(list(orders.values())).decode()}
        )

    async def record_interactions(self, interactions: Sequence[Mapping[str, Any]]) -> None:
        """Keep a run of `interaction.logged` payloads (validated, one per interaction id) and
        add the costs of those not seen before to their customers' service costs, in one
        statement."""
        await self.session.execute(
            _RECORD_INTERACTIONS, {"interactions": orjson.dumps(interactions).decode()}
        )
