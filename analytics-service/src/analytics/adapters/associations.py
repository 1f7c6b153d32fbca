"""All SQL of the co-purchase associations (migration 0022): the products sold, and the
counts and cohorts in, for the job (the order lines are read by adapters.order_line_reader);
the next best offers and prospects, for the reads."""

from __future__ import annotations

import json
import uuid
from datetime import datetime
from typing import Any

import numpy as np
from numpy.typing import NDArray
from sqlalchemy import RowMapping, text
from sqlalchemy.ext.asyncio import AsyncSession

from analytics.adapters.clv_repository import tune_for_recompute
from analytics.adapters.rates import RATES
from analytics.domain.associations import (
    Association,
    CoPurchaseCounts,
    Owned,
    row_of,
)
from analytics.domain.money import ReportingCurrency

# The products sold, in order, by a walk of the product index (one probe per product, not
# a read of every line).
_PRODUCTS = text(
    """
    WITH RECURSIVE sold AS (
        (SELECT product_id FROM order_lines ORDER BY product_id LIMIT 1)
        UNION ALL
        SELECT (SELECT l.product_id FROM order_lines AS l
                WHERE l.product_id > sold.product_id ORDER BY l.product_id LIMIT 1)
        FROM sold WHERE sold.product_id IS NOT NULL
    )
    SELECT sold.product_id,
           (SELECT l.sku FROM order_lines AS l WHERE l.product_id = sold.product_id
            ORDER BY l.ordered_at DESC LIMIT 1) AS sku
    FROM sold WHERE sold.product_id IS NOT NULL
    """
)
_CLEAR = [
    text(f"DELETE FROM {table}")  # noqa: S608
    for table in (
        "association_products",
        "association_sales",
        "association_totals",
        "cohort_months",
        "cohort_revenue",
        "margin_months",
        "margin_mixed_buyers",
        "margin_customers",
        "margin_orders",
    )
]
_WRITE_PRODUCTS = text(
    """
    INSERT INTO association_products (product_id, position, sku, buyers, together)
    SELECT product_id, position - 1, sku, buyers, together
    FROM unnest(CAST(:products AS uuid[]), CAST(:skus AS text[]), CAST(:buyers AS int4[]),
                CAST(:together AS bytea[])) WITH ORDINALITY
         AS p(product_id, sku, buyers, together, position)
    """
)
# The acquisition cohorts of the orders recorded and placed before the cutoff
# (association_totals' counted_at): five minutes before the run, so that whatever was
# recorded before it has committed by now and is in these counts; the reads add the others.
# Per customer and month first (hashed: a customer's orders of a month in any currency, and
# in each), then per cohort: no count(DISTINCT …), which sorted all orders. Months in UTC
# (the transaction's time zone, set by tune_for_counting).
_COUNT_COHORTS = text(
    """
    WITH per_customer AS (
        SELECT o.contact_id, date_trunc('month', o.ordered_at) AS month, o.currency,
               sum(o.revenue) AS revenue, count(*) AS orders
        FROM orders AS o
        WHERE o.recorded_at < CAST(:cutoff AS timestamptz)
          AND o.ordered_at < CAST(:cutoff AS timestamptz)
        GROUP BY GROUPING SETS ((1, 2), (1, 2, 3))
    )
    SELECT date_trunc('month', c.first_order_at) AS cohort, p.month, p.currency,
           count(*) AS customers, sum(p.revenue) AS revenue, sum(p.orders)::int8 AS orders
    FROM per_customer AS p JOIN customers AS c ON c.contact_id = p.contact_id
    WHERE c.first_order_at IS NOT NULL
    GROUP BY 1, 2, 3
    """
)
# The cohorts counted, customers per cell (currency none) and money per cell and currency.
_WRITE_COHORTS = text(
    """
    WITH counted AS (
        SELECT * FROM unnest(CAST(:cohorts AS timestamptz[]), CAST(:months AS timestamptz[]),
                             CAST(:currencies AS text[]), CAST(:customers AS int8[]),
                             CAST(:revenue AS numeric[]), CAST(:orders AS int8[]))
             AS c(cohort, month, currency, customers, revenue, orders)
    ), months AS (
        INSERT INTO cohort_months (cohort, month, customers)
        SELECT cohort, month, customers FROM counted WHERE currency IS NULL
    )
    INSERT INTO cohort_revenue (cohort, month, currency, revenue, orders)
    SELECT cohort, month, currency, revenue, orders FROM counted WHERE currency IS NOT NULL
    """
)
_WRITE_TOTALS = text(
    "INSERT INTO association_totals (population, counted_at) VALUES (:population, :cutoff)"
)
_CUTOFF = text("SELECT now() - interval '5 minutes'")
# The run's months are calendar months in UTC; with the transaction in UTC, date_trunc's
# two-argument form says so (its form with a time zone looks the zone up on every row).
_IN_UTC = text("SET LOCAL TimeZone = 'UTC'")


async def tune_for_counting(session: AsyncSession) -> None:
    await tune_for_recompute(session)
    await session.execute(_IN_UTC)


# The products a customer owns now (a purchase since the last count is owned all the same)
# that the last count knows, with their rows of XᵀX.
_OWNED = text(
    """
    SELECT a.position, a.product_id, a.sku, p.name, a.buyers, a.together
    FROM association_products AS a LEFT JOIN products AS p USING (product_id)
    WHERE a.product_id IN (
        SELECT product_id FROM order_lines WHERE contact_id = CAST(:contact_id AS uuid)
    )
    """
)
# Per product its margin per sale: in the reporting currency, of the lines that convert;
# none when no line does.
_MARGINS = f"""{RATES}, margins AS (
        SELECT s.product_id,
               round(sum(s.margin * r.rate) / sum(s.lines) FILTER (WHERE r.rate IS NOT NULL),
                     2) AS margin_per_sale
        FROM association_sales AS s LEFT JOIN rates AS r USING (currency)
        GROUP BY s.product_id
    )"""  # noqa: S608
# Every product's margin per sale as one row of arrays, by position.
_MARGINS_BY_POSITION = text(
    f"""
    WITH {_MARGINS}
    SELECT COALESCE(array_agg(a.position), '{{}}') AS positions,
           COALESCE(array_agg(CAST(m.margin_per_sale AS float8)), '{{}}') AS margins
    FROM association_products AS a LEFT JOIN margins AS m USING (product_id)
    """  # noqa: S608
)
# The products at :positions: id, SKU, name, buyers and margin per sale; and the population.
_CANDIDATES = text(
    f"""
    WITH {_MARGINS}
    SELECT a.position, a.product_id, a.sku, p.name, a.buyers, m.margin_per_sale,
           (SELECT population FROM association_totals) AS population
    FROM association_products AS a
    LEFT JOIN margins AS m USING (product_id)
    LEFT JOIN products AS p USING (product_id)
    WHERE a.position = ANY(CAST(:positions AS int4[]))
    """  # noqa: S608
)

# A product's row of XᵀX: with whom its buyers bought what (XᵀX is symmetric, so the row
# also says how many buyers of each other product bought it).
_ROW = text("SELECT position, together FROM association_products WHERE product_id = :product_id")
_AT = text(
    """
    SELECT position, product_id, sku, buyers FROM association_products
    WHERE position = ANY(CAST(:positions AS int4[]))
    """
)
# The buyers of the :owned products (each with the first of them they bought, by position
# in :owned) who have not bought :product_id, as of now.
_OWNERS = text(
    """
    SELECT DISTINCT ON (l.contact_id) l.contact_id, p.position
    FROM unnest(CAST(:owned AS uuid[])) WITH ORDINALITY AS p(product_id, position)
    JOIN order_lines AS l ON l.product_id = p.product_id
    WHERE l.contact_id NOT IN (
        SELECT contact_id FROM order_lines WHERE product_id = CAST(:product_id AS uuid)
    )
    ORDER BY l.contact_id, p.position
    """
)
_PROSPECTS = text(
    """
    SELECT w.contact_id, w.owned, p.name AS owned_name, c.first_name, c.last_name, c.company,
           c.currency, c.net_value, c.clv, c.clv_run_id, c.abc_class
    FROM unnest(CAST(:contacts AS uuid[]), CAST(:owned AS uuid[])) WITH ORDINALITY
         AS w(contact_id, owned, position)
    LEFT JOIN products AS p ON p.product_id = w.owned
    LEFT JOIN customers AS c ON c.contact_id = w.contact_id
    ORDER BY w.position
    """
)


class AssociationRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def _all(self, statement: Any, **parameters: Any) -> list[RowMapping]:
        return list((await self.session.execute(statement, parameters)).mappings().all())

    async def products_sold(self) -> list[RowMapping]:
        """Every product of the order lines (product_id, sku last sold under), in order."""
        return await self._all(_PRODUCTS)

    async def clear(self) -> datetime:
        """The last run's counts gone, in the caller's transaction (readers see them until
        it commits); this run's cutoff: five minutes ago, so that whatever was recorded
        before it has committed by now."""
        await tune_for_counting(self.session)
        for statement in _CLEAR:
            await self.session.execute(statement)
        cutoff: datetime = await self.session.scalar(_CUTOFF)
        return cutoff

    async def cohorts(self, cutoff: datetime) -> list[RowMapping]:
        """The cohorts of the orders before `cutoff` (for replace, from any transaction)."""
        await tune_for_counting(self.session)
        return await self._all(_COUNT_COHORTS, cutoff=cutoff)

    async def replace(
        self,
        products: list[RowMapping],
        counts: CoPurchaseCounts,
        cohorts: list[RowMapping],
        cutoff: datetime,
    ) -> int:
        """This run's co-purchase counts and cohorts, in the caller's transaction after
        clear(); the number of pairs of products bought together."""
        ids = [row["product_id"] for row in products]
        await self.session.execute(
            _WRITE_PRODUCTS,
            {
                "products": ids,
                "skus": [row["sku"] for row in products],
                "buyers": counts.buyers.tolist(),
                "together": counts.rows(),
            },
        )
        await self.session.execute(
            _WRITE_COHORTS,
            {
                column: [row[name] for row in cohorts]
                for column, name in (
                    ("cohorts", "cohort"),
                    ("months", "month"),
                    ("currencies", "currency"),
                    ("customers", "customers"),
                    ("revenue", "revenue"),
                    ("orders", "orders"),
                )
            },
        )
        await self.session.execute(
            _WRITE_TOTALS, {"population": counts.population, "cutoff": cutoff}
        )
        return counts.pairs

    async def owned(self, contact_id: uuid.UUID) -> list[Owned]:
        """The products the customer owns now that the last count knows."""
        return [
            Owned(**{**row, "together": row_of(row["together"])})
            for row in await self._all(_OWNED, contact_id=contact_id)
        ]

    async def margins(self, money: ReportingCurrency) -> NDArray[np.float64]:
        """Every product's margin per sale in the reporting currency, by position (NaN:
        none converts)."""
        row = (
            await self.session.execute(
                _MARGINS_BY_POSITION, {"rates": json.dumps(money.as_rates())}
            )
        ).one()
        margins = np.full(len(row.positions), np.nan)
        margins[row.positions] = [np.nan if m is None else m for m in row.margins]
        return margins

    async def candidates(
        self, positions: list[int], money: ReportingCurrency
    ) -> dict[int, RowMapping]:
        """The products at `positions` by position: product_id, sku, name, buyers,
        margin_per_sale (in the reporting currency) and the population."""
        rows = await self._all(_CANDIDATES, positions=positions, rates=json.dumps(money.as_rates()))
        return {row["position"]: row for row in rows}

    async def associated(self, product_id: uuid.UUID) -> list[Association]:
        """The products bought by a customer who also bought `product_id`, with how many did."""
        found = (await self.session.execute(_ROW, {"product_id": product_id})).one_or_none()
        if found is None:
            return []
        together = row_of(found.together)
        together[found.position] = 0
        positions = np.nonzero(together)[0]
        rows = await self._all(_AT, positions=positions.tolist())
        return [
            Association(
                row["product_id"], row["sku"], int(together[row["position"]]), row["buyers"]
            )
            for row in rows
        ]

    async def owners_without(
        self, owned: list[uuid.UUID], product_id: uuid.UUID
    ) -> list[tuple[uuid.UUID, int]]:
        """The customers who bought any of `owned` and not `product_id`, each with the index
        in `owned` of the first product of theirs there."""
        rows = await self._all(_OWNERS, owned=owned, product_id=product_id)
        return [(row["contact_id"], row["position"] - 1) for row in rows]

    async def prospects(
        self, contacts: list[uuid.UUID], owned: list[uuid.UUID]
    ) -> list[RowMapping]:
        """Each contact (as analytics knows them) with the name of its `owned` product."""
        return await self._all(_PROSPECTS, contacts=contacts, owned=owned)
