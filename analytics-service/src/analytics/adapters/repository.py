"""All SQL of analytics-service's customer read model."""

from __future__ import annotations

import functools
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import orjson
from sqlalchemy import (
    ColumnElement,
    Row,
    Text,
    bindparam,
    cast,
    exists,
    func,
    literal_column,
    select,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB, insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.dml import ReturningInsert

from analytics.adapters.orm import customers, erased_contacts
from treue.pagination import after

# Sort keys: nullable columns sort through a sentinel so that keyset pagination (a row
# comparison, where NULL compares as unknown) works and customers without a value come last.
_MONEY_LIMIT = Decimal("999999999999.99")  # the extreme of Numeric(14, 2)
_LOW: dict[str, Any] = {
    "acquisition_cost": -_MONEY_LIMIT,
    "clv": -_MONEY_LIMIT,
    "expected_purchases_12m": -1e300,
    "p_alive": -1e300,
    "first_order_at": datetime(1, 1, 2, tzinfo=UTC),
    "last_order_at": datetime(1, 1, 2, tzinfo=UTC),
    "abc_class": "",
    "rfm": "000",
    "churn_risk": -1e300,
}
_HIGH: dict[str, Any] = {
    **dict.fromkeys(("acquisition_cost", "clv"), _MONEY_LIMIT),
    "expected_purchases_12m": 1e300,
    "p_alive": 1e300,
    "first_order_at": datetime(9999, 12, 30, tzinfo=UTC),
    "last_order_at": datetime(9999, 12, 30, tzinfo=UTC),
    "abc_class": "Z",
    "rfm": "999",
    "churn_risk": 1e300,
}
# A customer's value for ABC: the predicted CLV, or the historical net value where the last
# CLV run made no prediction (also in adapters/segmentation.py).
_ABC_SUMMARY = text(
    """
    SELECT abc_class, count(*) AS customers, sum(GREATEST(COALESCE(clv, net_value), 0)) AS value
    FROM customers
    WHERE abc_class IS NOT NULL
    GROUP BY abc_class
    """
)

_RUN_CURRENCIES = text(
    "SELECT id, result ->> 'currency' AS currency FROM jobs WHERE id = ANY(CAST(:ids AS uuid[]))"
)

# The sales totals of these customers from their orders, and their service cost from their
# costed interactions; a customer with neither keeps their row as it is. One statement
# built once: it runs for every batch of new contacts.
_REFRESH_VALUE = text(
    """
    WITH ids AS (
        SELECT DISTINCT unnest(CAST(:ids AS uuid[])) AS contact_id
    ), sales AS (
        SELECT contact_id, sum(revenue) AS revenue, sum(cost) AS cost, count(*) AS orders,
               min(ordered_at) AS first_order_at, max(ordered_at) AS last_order_at,
               (array_agg(currency ORDER BY ordered_at DESC))[1] AS currency
        FROM orders WHERE contact_id = ANY(CAST(:ids AS uuid[]))
        GROUP BY contact_id
    ), service AS (
        SELECT contact_id, sum(cost) AS cost
        FROM interactions
        WHERE contact_id = ANY(CAST(:ids AS uuid[])) AND cost IS NOT NULL
        GROUP BY contact_id
    )
    UPDATE customers AS c
    SET revenue = CASE WHEN s.contact_id IS NULL THEN c.revenue ELSE s.revenue END,
        cost = CASE WHEN s.contact_id IS NULL THEN c.cost ELSE s.cost END,
        orders = CASE WHEN s.contact_id IS NULL THEN c.orders ELSE s.orders END,
        first_order_at = CASE WHEN s.contact_id IS NULL THEN c.first_order_at
                              ELSE s.first_order_at END,
        last_order_at = CASE WHEN s.contact_id IS NULL THEN c.last_order_at
                             ELSE s.last_order_at END,
        currency = CASE WHEN s.contact_id IS NULL THEN c.currency ELSE s.currency END,
        service_cost = CASE WHEN v.contact_id IS NULL THEN c.service_cost ELSE v.cost END
    FROM ids LEFT JOIN sales AS s USING (contact_id) LEFT JOIN service AS v USING (contact_id)
    WHERE c.contact_id = ids.contact_id
      AND (s.contact_id IS NOT NULL OR v.contact_id IS NOT NULL)
    """
)
SORTABLE = (
    "became_contact_at",
    "revenue",
    "margin",
    "service_cost",
    "acquisition_cost",
    "net_value",
    "orders",
    "first_order_at",
    "last_order_at",
    "clv",
    "expected_purchases_12m",
    "p_alive",
    "abc_class",
    "rfm",
    "churn_risk",
)


@dataclass(frozen=True)
class CustomerQuery:
    """Which customers, in which order: `sort` is one of SORTABLE; bounds are inclusive; a
    customer is in any of the lifecycle stages and ABC classes given and has all the tags."""

    sort: str = "became_contact_at"
    descending: bool = True
    minimum: dict[str, Any] = field(default_factory=dict)
    maximum: dict[str, Any] = field(default_factory=dict)
    lifecycle_stages: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    abc_classes: tuple[str, ...] = ()

    def sort_key(self) -> ColumnElement[Any]:
        column = customers.c[self.sort]
        sentinel = (_LOW if self.descending else _HIGH).get(self.sort)
        return column if sentinel is None else func.coalesce(column, sentinel)

    def conditions(self) -> list[ColumnElement[bool]]:
        # Erased customers are anonymous rows kept for the totals, nobody to list.
        found: list[ColumnElement[bool]] = [customers.c.erased_at.is_(None)]
        found += [customers.c[name] >= value for name, value in self.minimum.items()]
        found += [customers.c[name] <= value for name, value in self.maximum.items()]
        if self.lifecycle_stages:
            found.append(customers.c.lifecycle_stage.in_(self.lifecycle_stages))
        if self.tags:
            found.append(customers.c.tags.contains(list(self.tags)))
        if self.abc_classes:
            found.append(customers.c.abc_class.in_(self.abc_classes))
        return found


@dataclass(frozen=True)
class Upserted:
    """The customers an upsert wrote (inserted, or updated to a newer version), and of
    them the ones that are new here."""

    written: set[uuid.UUID]
    new: set[uuid.UUID]


@dataclass(frozen=True)
class AbcClassSummary:
    abc_class: str
    customers: int
    value: Decimal


@functools.cache
def _upsert_newer(keys: tuple[str, ...]) -> ReturningInsert[tuple[uuid.UUID, bool]]:
    """INSERT … SELECT FROM jsonb_populate_recordset(rows as one JSON array): one parameter
    for the whole run, so the driver's work does not grow with rows times columns (the
    executemany of this upsert cost ~60 µs of CPU per event in bench/consumer.py)."""
    batch = func.jsonb_populate_recordset(
        literal_column(f"NULL::{customers.name}"), cast(bindparam("rows", type_=Text), JSONB)
    ).table_valued(*keys)
    # An erased contact stays erased: a late or replayed snapshot of it writes nothing.
    not_erased = ~exists().where(erased_contacts.c.contact_id == batch.c.contact_id)
    statement = insert(customers).from_select(
        keys, select(*(batch.c[key] for key in keys)).where(not_erased)
    )
    changed: dict[str, Any] = {
        key: statement.excluded[key]
        for key in keys
        if key not in ("contact_id", "became_contact_at")
    }
    changed["updated_at"] = func.now()
    return statement.on_conflict_do_update(
        index_elements=[customers.c.contact_id],
        set_=changed,
        where=customers.c.contact_version < statement.excluded.contact_version,
    ).returning(customers.c.contact_id, literal_column("xmax = 0").label("inserted"))


def _json(rows: list[dict[str, Any]]) -> str:
    return orjson.dumps(rows, default=str).decode()


class CustomerRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def upsert_newer(self, rows: list[dict[str, Any]]) -> Upserted:
        """Insert each customer, or update it when its version is newer than the stored one;
        an erased contact is neither. One statement for all rows (one contact once).

        Comparing versions makes the read model converge even if an older snapshot arrives
        late (e.g. re-delivered after a newer one).
        """
        if not rows:
            return Upserted(set(), set())
        connection = await self.session.connection()
        result = await connection.execute(_upsert_newer(tuple(rows[0])), {"rows": _json(rows)})
        written = {row.contact_id: row.inserted for row in result}
        return Upserted(set(written), {contact_id for contact_id, new in written.items() if new})

    async def refresh_value(self, contact_ids: set[uuid.UUID]) -> None:
        """Recompute the totals of these customers from the orders and interactions seen so
        far (for customers whose orders arrived before the customers themselves)."""
        await self.session.execute(_REFRESH_VALUE, {"ids": list(contact_ids)})

    async def run_currencies(self, run_ids: set[uuid.UUID]) -> dict[uuid.UUID, str]:
        """The reporting currency each of these CLV runs converted into (runs from before
        runs named it have none)."""
        if not run_ids:
            return {}
        rows = await self.session.execute(_RUN_CURRENCIES, {"ids": list(run_ids)})
        return {row.id: row.currency for row in rows if row.currency is not None}

    async def abc_summary(self) -> list[AbcClassSummary]:
        rows = (await self.session.execute(_ABC_SUMMARY)).all()
        return [AbcClassSummary(row.abc_class, row.customers, row.value) for row in rows]

    async def get(self, contact_id: uuid.UUID) -> Row[Any] | None:
        query = select(customers).where(customers.c.contact_id == contact_id)
        return (await self.session.execute(query)).one_or_none()

    async def page(
        self, query: CustomerQuery, limit: int, cursor: list[Any] | None
    ) -> list[Row[Any]]:
        """Rows with their sort key as `sort_key`, strictly after the cursor."""
        sort = [query.sort_key(), customers.c.contact_id]
        statement = (
            select(customers, sort[0].label("sort_key"))
            .where(*query.conditions())
            .order_by(*(c.desc() if query.descending else c.asc() for c in sort))
            .limit(limit)
        )
        if cursor is not None:
            statement = statement.where(after(sort, cursor, descending=query.descending))
        return list((await self.session.execute(statement)).all())
