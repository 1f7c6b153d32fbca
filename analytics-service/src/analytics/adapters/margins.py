"""All SQL of the offer margins counted by the association run (migration 0024): the run's
writes, and the reads of its counts of the lines before its cutoff (:counted_at) plus the
lines since, so that each figure equals the one counted from every line of the window
(adapters.insights)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import numpy as np
from numpy.typing import NDArray
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from analytics.adapters.rates import RATES
from analytics.domain.line_sums import LineSums, margin_months
from analytics.domain.margins import Cells, LastPurchases, LineCounts

# The lines of [since, until) the run did not count: placed from its cutoff on, or placed
# before and recorded since (late events), found by the indexes on those two moments.
_RECENT = """recent AS MATERIALIZED (
        SELECT l.order_id, l.contact_id, l.ordered_at, l.product_id, l.currency, l.quantity,
               l.revenue, l.cost
        FROM order_lines AS l
        WHERE l.ordered_at >= GREATEST(CAST(:since AS timestamptz),
                                       CAST(:counted_at AS timestamptz))
          AND l.ordered_at < CAST(:until AS timestamptz)
        UNION ALL
        SELECT l.order_id, l.contact_id, l.ordered_at, l.product_id, l.currency, l.quantity,
               l.revenue, l.cost
        FROM orders AS o JOIN order_lines AS l ON l.order_id = o.order_id
        WHERE o.recorded_at >= CAST(:counted_at AS timestamptz)
          AND l.ordered_at >= CAST(:since AS timestamptz)
          AND l.ordered_at < CAST(:counted_at AS timestamptz)
    )"""


def _counted(products: str) -> str:
    """The condition "the run counted a line of r.contact_id of {products} in a currency
    with a rate, in the window": a customer the run's counts already have."""
    return f"""EXISTS (
        SELECT 1 FROM order_lines AS e
        WHERE e.contact_id = r.contact_id AND {products}
          AND e.currency IN (SELECT currency FROM rates)
          AND e.ordered_at >= CAST(:since AS timestamptz)
          AND e.ordered_at < CAST(:counted_at AS timestamptz)
          AND NOT EXISTS (
              SELECT 1 FROM orders AS eo
              WHERE eo.order_id = e.order_id
                AND eo.recorded_at >= CAST(:counted_at AS timestamptz)))"""  # noqa: S608


# Per product, as adapters.insights' _PRODUCT_MARGINS: the run's sums of the window's
# months and the recent lines', converted; its customers (whose last purchase is in the
# window, in a currency with a rate: those of one currency counted, those of several
# distinct) and the recent lines' customers it did not count; the SKU of the newest line
# (a probe of the product's index).
PRODUCT_MARGINS = text(
    f"""
    WITH {RATES}, {_RECENT}, parts AS (
        SELECT product_id, currency, quantity, revenue, cost, orders, last_buyers AS customers
        FROM margin_months WHERE month >= CAST(:since AS timestamptz)
        UNION ALL
        SELECT product_id, currency, sum(quantity), sum(revenue), sum(cost),
               count(DISTINCT order_id), 0
        FROM recent GROUP BY 1, 2
    ), sold AS (
        SELECT product_id, sum(quantity) AS quantity, round(sum(revenue * rate), 2) AS revenue,
               round(sum(cost * rate), 2) AS cost, sum(orders)::int8 AS orders,
               sum(customers)::int8 AS customers
        FROM parts JOIN rates USING (currency)
        GROUP BY product_id
    ), mixed AS (
        SELECT product_id, count(DISTINCT contact_id) AS customers
        FROM margin_mixed_buyers JOIN rates USING (currency)
        WHERE month >= CAST(:since AS timestamptz)
        GROUP BY product_id
    ), newcomers AS (
        SELECT r.product_id, count(DISTINCT r.contact_id) AS customers
        FROM recent AS r JOIN rates USING (currency)
        WHERE NOT {_counted("e.product_id = r.product_id")}
        GROUP BY r.product_id
    )
    SELECT s.product_id,
           (SELECT l.sku FROM order_lines AS l
            WHERE l.product_id = s.product_id AND l.ordered_at >= CAST(:since AS timestamptz)
              AND l.ordered_at < CAST(:until AS timestamptz)
              AND l.currency IN (SELECT currency FROM rates)
            ORDER BY l.ordered_at DESC LIMIT 1) AS sku,
           s.quantity, s.revenue, s.cost, s.orders,
           s.customers + COALESCE(m.customers, 0) + COALESCE(n.customers, 0) AS customers,
           p.name AS product_name
    FROM sold AS s
    LEFT JOIN mixed AS m USING (product_id)
    LEFT JOIN newcomers AS n USING (product_id)
    LEFT JOIN products AS p USING (product_id)
    ORDER BY s.revenue DESC, s.product_id
    """  # noqa: S608
)

PRODUCT_MONTHS = text(
    f"""
    WITH {RATES}, {_RECENT}
    SELECT product_id, month, round(sum(revenue * rate), 2) AS revenue,
           round(sum(cost * rate), 2) AS cost
    FROM (
        SELECT product_id, month, currency, revenue, cost FROM margin_months
        WHERE month >= CAST(:since AS timestamptz)
        UNION ALL
        SELECT product_id, date_trunc('month', ordered_at, 'UTC'), currency, revenue, cost
        FROM recent
    ) AS parts JOIN rates USING (currency)
    GROUP BY 1, 2
    """  # noqa: S608
)

LINES_LEFT_OUT = text(
    f"""
    WITH {RATES}, {_RECENT}
    SELECT COALESCE(sum(orders), 0)::int8 AS orders,
           COALESCE(array_agg(DISTINCT currency), '{{}}') AS currencies
    FROM (
        SELECT currency, orders FROM margin_orders WHERE month >= CAST(:since AS timestamptz)
        UNION ALL
        SELECT currency, count(DISTINCT order_id) FROM recent GROUP BY currency
    ) AS parts
    WHERE currency NOT IN (SELECT currency FROM rates)
    """  # noqa: S608
)

# The run's customers of :products: its numbers, by the month of their last purchase.
NUMBERED_CUSTOMERS = text(
    f"""
    WITH {RATES}
    SELECT customers FROM margin_customers
    WHERE product_id = ANY(CAST(:products AS uuid[]))
      AND month >= CAST(:since AS timestamptz)
      AND currency IN (SELECT currency FROM rates)
    """  # noqa: S608
)

NEW_CUSTOMERS_OF_PRODUCTS = text(
    f"""
    WITH {RATES}, {_RECENT}
    SELECT count(DISTINCT r.contact_id)
    FROM recent AS r JOIN rates USING (currency)
    WHERE r.product_id = ANY(CAST(:products AS uuid[]))
      AND NOT {_counted("e.product_id = ANY(CAST(:products AS uuid[]))")}
    """  # noqa: S608
)


# The last run's cutoff, if it counted margins: a run from before migration 0024 left none
# (nor does a run before any line), and its margins are then counted from every line.
COUNTED_AT = text(
    """
    SELECT max(counted_at) FROM association_totals
    WHERE EXISTS (SELECT 1 FROM margin_orders)
    """
)

# The run's counts per product, month and currency of the lines it counts (placed and
# recorded before its cutoff), all from numpy.
_WRITE_MONTHS = text(
    """
    INSERT INTO margin_months (product_id, month, currency, quantity, revenue, cost, lines,
                               orders, last_buyers)
    SELECT * FROM unnest(CAST(:products AS uuid[]), CAST(:months AS timestamptz[]),
                         CAST(:currencies AS text[]), CAST(:quantity AS numeric[]),
                         CAST(:revenue AS numeric[]), CAST(:cost AS numeric[]),
                         CAST(:lines AS int8[]), CAST(:orders AS int8[]),
                         CAST(:last_buyers AS int8[]))
    """
)
# The margin per sale of every line per product and currency, for the offers.
_WRITE_SALES = text(
    """
    INSERT INTO association_sales (product_id, currency, margin, lines)
    SELECT * FROM unnest(CAST(:products AS uuid[]), CAST(:currencies AS text[]),
                         CAST(:margins AS numeric[]), CAST(:lines AS int8[]))
    """
)
_WRITE_CUSTOMERS = text(
    """
    INSERT INTO margin_customers (product_id, month, currency, customers)
    SELECT * FROM unnest(CAST(:products AS uuid[]), CAST(:months AS timestamptz[]),
                         CAST(:currencies AS text[]), CAST(:numbers AS bytea[]))
    """
)
_WRITE_MIXED_BUYERS = text(
    """
    INSERT INTO margin_mixed_buyers (product_id, contact_id, currency, month)
    SELECT * FROM unnest(CAST(:products AS uuid[]), CAST(:contacts AS uuid[]),
                         CAST(:currencies AS text[]), CAST(:months AS timestamptz[]))
    """
)
_WRITE_ORDER_MONTHS = text(
    """
    INSERT INTO margin_orders (month, currency, orders)
    SELECT * FROM unnest(CAST(:months AS timestamptz[]), CAST(:currencies AS text[]),
                         CAST(:counts AS int8[]))
    """
)


def _month(number: int) -> datetime:
    """The first instant (UTC) of a month numbered as domain.margins numbers them."""
    year, month = divmod(number, 12)
    return datetime(1970 + year, month + 1, 1, tzinfo=UTC)


class MarginRepository:
    """The run's writes of the margin counts, in its transaction after the last run's
    counts are cleared."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add_counts(
        self,
        products: list[uuid.UUID],
        currencies: list[str],
        sums: LineSums,
        lines: LineCounts,
        last: LastPurchases,
        contact_ids: NDArray[np.void],
    ) -> None:
        """The run's counts, of lines numbered by `products` and `currencies` (and
        customers by `contact_ids`)."""
        named = _Names(products, currencies)
        months = margin_months(sums, lines, last)
        sales = sums.sales()
        mixed = lines.purchases
        for statement, parameters in (
            (
                _WRITE_MONTHS,
                {
                    **named.cells(months.cells),
                    "quantity": months.quantity,
                    "revenue": months.revenue,
                    "cost": months.cost,
                    "lines": months.lines.tolist(),
                    "orders": months.orders.tolist(),
                    "last_buyers": months.last_buyers.tolist(),
                },
            ),
            (
                _WRITE_SALES,
                {
                    "products": named.products(sales.products),
                    "currencies": named.currencies(sales.currencies),
                    "margins": sales.margins,
                    "lines": sales.lines.tolist(),
                },
            ),
            (_WRITE_CUSTOMERS, {**named.cells(last.numbered), "numbers": last.numbers}),
            (
                _WRITE_MIXED_BUYERS,
                {
                    "products": named.products(mixed.products[last.mixed]),
                    "contacts": [
                        uuid.UUID(bytes=contact_ids[i].tobytes())
                        for i in mixed.customers[last.mixed].tolist()
                    ],
                    "currencies": named.currencies(mixed.currencies[last.mixed]),
                    "months": _months(mixed.months[last.mixed]),
                },
            ),
            (
                _WRITE_ORDER_MONTHS,
                {
                    "months": _months(lines.order_months),
                    "currencies": named.currencies(lines.order_currencies),
                    "counts": lines.orders.tolist(),
                },
            ),
        ):
            await self.session.execute(statement, parameters)


def _months(numbers: NDArray[np.int32]) -> list[datetime]:
    return [_month(m) for m in numbers.tolist()]


@dataclass(frozen=True)
class _Names:
    """The run's products and currencies by their positions."""

    product_ids: list[uuid.UUID]
    currency_codes: list[str]

    def products(self, positions: NDArray[np.int32]) -> list[uuid.UUID]:
        return [self.product_ids[i] for i in positions.tolist()]

    def currencies(self, positions: NDArray[np.int32]) -> list[str]:
        return [self.currency_codes[i] for i in positions.tolist()]

    def cells(self, found: Cells) -> dict[str, Any]:
        return {
            "products": self.products(found.products),
            "months": _months(found.months),
            "currencies": self.currencies(found.currencies),
        }
