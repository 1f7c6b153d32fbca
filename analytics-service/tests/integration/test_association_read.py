"""The association run's read of the lines on several connections (a share of the pages
each, one snapshot) on the real Postgres: over lines on many pages, what it writes equals
what Postgres counts from every line."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from sqlalchemy import text

from .test_associations import Associate

# 600 orders of 40 customers over two years, 1-3 lines each over 9 products (an order may
# repeat a product), every seventh in dollars; all recorded an hour ago but the last 50,
# recorded now (after the run's cutoff: read for the co-purchases, not counted for the
# margins).
_ORDERS = """
INSERT INTO orders (order_id, contact_id, ordered_at, currency, revenue, cost, recorded_at)
SELECT md5('order-' || n)::uuid, md5('contact-' || n % 40)::uuid,
       timestamptz '2025-01-01 00:00+00' + n * interval '29 hours',
       CASE WHEN n % 7 = 0 THEN 'USD' ELSE 'EUR' END, 0, 0,
       now() - CASE WHEN n > 550 THEN interval '0 hours' ELSE interval '1 hour' END
FROM generate_series(1, 600) AS n
"""
_LINES = """
INSERT INTO order_lines (order_id, line_no, contact_id, ordered_at, product_id, sku, currency,
                         quantity, revenue, cost)
SELECT o.order_id, k, o.contact_id, o.ordered_at, md5('product-' || (n * 5 + k * k) % 9)::uuid,
       'SKU-' || (n * 5 + k * k) % 9, o.currency, k * 1.125, n % 97 + k * 0.37, n % 41 + 0.05
FROM generate_series(1, 600) AS n
JOIN orders AS o ON o.order_id = md5('order-' || n)::uuid,
LATERAL generate_series(1, 1 + n % 3) AS k
"""

_EXPECTED_MONTHS = """
SELECT product_id, date_trunc('month', ordered_at, 'UTC'), currency, sum(quantity),
       sum(revenue), sum(cost), count(*), count(DISTINCT order_id)
FROM order_lines
WHERE order_id IN (SELECT order_id FROM orders WHERE recorded_at < now() - interval '5 minutes')
GROUP BY 1, 2, 3
"""
_WRITTEN_MONTHS = """
SELECT product_id, month, currency, quantity, revenue, cost, lines, orders FROM margin_months
"""
_EXPECTED_SALES = """
SELECT product_id, currency, sum(revenue - cost), count(*) FROM order_lines GROUP BY 1, 2
"""
_WRITTEN_SALES = "SELECT product_id, currency, margin, lines FROM association_sales"
_EXPECTED_BUYERS = "SELECT product_id, count(DISTINCT contact_id) FROM order_lines GROUP BY 1"
_WRITTEN_BUYERS = "SELECT product_id, buyers FROM association_products"


async def test_the_lines_read_in_shares_of_the_pages_count_as_every_line(
    clean: None, app: FastAPI, associate: Associate
) -> None:
    async with app.state.runtime.session_factory() as session, session.begin():
        await session.execute(text(_ORDERS))
        await session.execute(text(_LINES))
    await associate()

    async with app.state.runtime.session_factory() as session:

        async def rows(query: str) -> set[tuple[Any, ...]]:
            return {tuple(row) for row in (await session.execute(text(query))).all()}

        pages = await session.scalar(text("SELECT pg_relation_size('order_lines') / 8192"))
        assert pages >= 4  # each connection reads some of the lines
        assert await rows(_WRITTEN_MONTHS) == await rows(_EXPECTED_MONTHS)
        assert await rows(_WRITTEN_SALES) == await rows(_EXPECTED_SALES)
        assert await rows(_WRITTEN_BUYERS) == await rows(_EXPECTED_BUYERS)
        assert len(await rows(_WRITTEN_MONTHS)) > 100
