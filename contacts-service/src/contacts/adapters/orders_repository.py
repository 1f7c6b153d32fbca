"""All SQL of contacts-service's orders lives here."""

from __future__ import annotations

import uuid
from collections.abc import Collection, Sequence
from typing import Any

from sqlalchemy import ColumnElement, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from contacts.adapters.bulk import insert_rows
from contacts.adapters.orm import order_lines, orders
from contacts.domain.orders import Order
from treue.pagination import after
from treue.problems import ALREADY_USED, Conflict, FieldError

_LINE_COLUMNS = [c for c in order_lines.columns if c.name != "order_id"]


class OrderRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    def add(self, order: Order) -> None:
        self.session.add(order)

    async def insert_new(self, new: Sequence[Order]) -> None:
        """New orders of a bulk import with their lines, set-based (their events are the
        caller's to publish). An external id recorded meanwhile answers Conflict."""
        order_rows = [{c.name: getattr(order, c.name) for c in orders.columns} for order in new]
        line_rows = [
            {"order_id": order.id, **{c.name: getattr(line, c.name) for c in _LINE_COLUMNS}}
            for order in new
            for line in order.lines
        ]
        try:
            await insert_rows(self.session, orders, order_rows)
        except IntegrityError as error:
            raise Conflict(
                "another order has the same external_id",
                errors=[FieldError(field="external_id", message="already used", code=ALREADY_USED)],
            ) from error
        await insert_rows(self.session, order_lines, line_rows)

    async def get(self, order_id: uuid.UUID) -> Order | None:
        query = select(Order).where(orders.c.id == order_id)
        return (await self.session.execute(query)).scalar_one_or_none()

    async def by_external_id(self, external_id: str) -> Order | None:
        query = select(Order).where(orders.c.external_id == external_id)
        return (await self.session.execute(query)).scalar_one_or_none()

    async def external_ids_taken(self, external_ids: Collection[str]) -> set[str]:
        if not external_ids:
            return set()
        query = select(orders.c.external_id).where(orders.c.external_id.in_(external_ids))
        return set((await self.session.scalars(query)).all())

    async def page(
        self, contact_id: uuid.UUID | None, limit: int, cursor: list[Any] | None
    ) -> list[Order]:
        """Newest first by (ordered_at, id), continuing after `cursor`."""
        key: list[ColumnElement[Any]] = [orders.c.ordered_at, orders.c.id]
        query = select(Order)
        if contact_id is not None:
            query = query.where(orders.c.contact_id == contact_id)
        if cursor is not None:
            query = query.where(after(key, cursor, descending=True))
        query = query.order_by(*(column.desc() for column in key)).limit(limit)
        return list((await self.session.scalars(query)).all())
