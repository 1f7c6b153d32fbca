"""All SQL of what customers did: orders and interactions, each kept once by its id."""

from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal
from typing import Any

import orjson
from sqlalchemy import func, text, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from analytics.adapters.orm import customers, interactions

# A run of orders (one JSON array, one parameter) and their lines (another): the lines go in
# first, then one statement keeps the new orders, adds them to their hours (per currency)
# and to their customers' totals. An order seen before is skipped by its id and adds
# nothing; a customer's currency becomes that of its last new order in the run, as one by one.
_RECORD_ORDER_LINES = text(
    """
    INSERT INTO order_lines (order_id, line_no, contact_id, ordered_at, product_id, sku,
                             currency, quantity, revenue, cost)
    SELECT order_id, line_no, contact_id, ordered_at, product_id, sku, currency, quantity,
           revenue, cost
    FROM jsonb_to_recordset(CAST(:lines AS jsonb)) AS l(
        order_id uuid, line_no int, contact_id uuid, ordered_at timestamptz, product_id uuid,
        sku text, currency text, quantity numeric, revenue numeric, cost numeric)
    ON CONFLICT (order_id, line_no) DO NOTHING
    """
)
_RECORD_ORDERS = text(
    """
    WITH batch AS (
        SELECT * FROM jsonb_to_recordset(CAST(:orders AS jsonb)) AS o(
            position int, order_id uuid, contact_id uuid, ordered_at timestamptz,
            currency text, revenue numeric, cost numeric)
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


def _json(rows: list[dict[str, Any]]) -> str:
    return orjson.dumps(rows, default=str).decode()


class ActivityRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def record_orders(self, run: list[dict[str, Any]]) -> None:
        """Keep a run of orders (each with its `lines`) as if recorded one by one, in a
        fixed number of statements: an order whose id was seen before, in an earlier run
        or earlier in this one, changes nothing."""
        first: dict[uuid.UUID, dict[str, Any]] = {}
        for order in run:
            first.setdefault(order["order_id"], order)
        orders_json = [
            {key: value for key, value in order.items() if key != "lines"} | {"position": i}
            for i, order in enumerate(first.values())
        ]
        lines = [
            {
                **line,
                "order_id": order["order_id"],
                "contact_id": order["contact_id"],
                "ordered_at": order["ordered_at"],
                "currency": order["currency"],
            }
            for order in first.values()
            for line in order["lines"]
        ]
        if lines:
            await self.session.execute(_RECORD_ORDER_LINES, {"lines": _json(lines)})
        await self.session.execute(_RECORD_ORDERS, {"orders": _json(orders_json)})

    async def record_interaction(
        self,
        interaction_id: uuid.UUID,
        contact_id: uuid.UUID,
        kind: str,
        sentiment: str | None,
        occurred_at: datetime,
        cost: Decimal | None,
    ) -> None:
        """Keep the interaction and add its cost to the customer's service cost."""
        recorded = (
            insert(interactions)
            .values(
                interaction_id=interaction_id,
                contact_id=contact_id,
                kind=kind,
                sentiment=sentiment,
                occurred_at=occurred_at,
                cost=cost,
            )
            .on_conflict_do_nothing(index_elements=[interactions.c.interaction_id])
            .returning(interactions.c.contact_id, interactions.c.cost)
            .cte("recorded")
        )
        await self.session.execute(
            update(customers)
            .where(customers.c.contact_id == recorded.c.contact_id)
            .values(
                service_cost=customers.c.service_cost + func.coalesce(recorded.c.cost, 0),
                updated_at=func.now(),
            )
        )
