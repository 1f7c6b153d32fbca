"""All SQL of what customers did: orders and interactions, each kept once by its id."""

from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import func, literal, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from analytics.adapters.orm import customers, interactions, order_lines, orders, revenue_hours


class ActivityRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def record_order(
        self,
        order_id: uuid.UUID,
        contact_id: uuid.UUID,
        ordered_at: datetime,
        currency: str,
        revenue: Decimal,
        cost: Decimal,
        lines: list[dict[str, Any]],
    ) -> None:
        """Keep the order and its lines and add it to the customer's totals; an order seen
        before changes nothing."""
        if lines:
            common = {"order_id": order_id, "contact_id": contact_id, "ordered_at": ordered_at}
            await self.session.execute(
                insert(order_lines)
                .values([{**common, "currency": currency, **line} for line in lines])
                .on_conflict_do_nothing(
                    index_elements=[order_lines.c.order_id, order_lines.c.line_no]
                )
            )
        recorded = (
            insert(orders)
            .values(
                order_id=order_id,
                contact_id=contact_id,
                ordered_at=ordered_at,
                currency=currency,
                revenue=revenue,
                cost=cost,
            )
            .on_conflict_do_nothing(index_elements=[orders.c.order_id])
            .returning(orders.c.contact_id, orders.c.ordered_at, orders.c.revenue, orders.c.cost)
            .cte("recorded")
        )
        # Only an order inserted now (not one seen before) adds to its hour.
        hour = func.date_trunc("hour", recorded.c.ordered_at, "UTC")
        rolled_up = insert(revenue_hours).from_select(
            ["hour", "revenue", "orders"],
            select(hour, recorded.c.revenue, literal(1)),
        )
        rolled_up = rolled_up.on_conflict_do_update(
            index_elements=[revenue_hours.c.hour],
            set_={
                "revenue": revenue_hours.c.revenue + rolled_up.excluded.revenue,
                "orders": revenue_hours.c.orders + rolled_up.excluded.orders,
            },
        )
        await self.session.execute(
            update(customers)
            .add_cte(rolled_up.cte("rolled_up"))
            .where(customers.c.contact_id == recorded.c.contact_id)
            .values(
                revenue=customers.c.revenue + recorded.c.revenue,
                cost=customers.c.cost + recorded.c.cost,
                orders=customers.c.orders + 1,
                currency=currency,
                first_order_at=func.least(customers.c.first_order_at, recorded.c.ordered_at),
                last_order_at=func.greatest(customers.c.last_order_at, recorded.c.ordered_at),
                updated_at=func.now(),
            )
        )

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
