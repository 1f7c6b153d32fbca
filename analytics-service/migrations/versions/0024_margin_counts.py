"""offer margins from what the association run counted, as the cohorts are

bench/offers.py: GET /products/margins aggregated every order line of its window per
request (112-131 s at 10M orders, 16.6M lines). The `product-associations` run now also
counts, from the lines recorded and placed before its cutoff (association_totals'
counted_at, as for the cohorts):

- `margin_months`: per product, calendar month (UTC) and currency the quantity, revenue,
  cost, lines and orders (orders are distinct within a row; an order has one currency
  and one month, so rows add up), and `last_buyers`: the customers whose last purchase of
  the product was in that month, of those who bought it in this currency only;
- `margin_mixed_buyers`: the customers who bought a product in more than one currency,
  with the month of their last purchase of it in each (rare; so that the customers of a
  product stay exact whichever currencies have an exchange rate at read time);
- `margin_customers`: per product, month and currency the customers (numbered by the run,
  as little-endian int32s) whose last purchase of it in that currency was in that month:
  the customers of several products together (the drop candidates') are the union of
  these lists;
- `margin_orders`: per month and currency the orders with lines (those left out of the
  margins when the currency has no rate).

A customer's last purchase month is what makes the distinct customers of any window that
starts at a month and ends after the cutoff a sum: the customers of [since, until) are
those whose last purchase before the cutoff is in a month from `since` on, plus those the
lines since the cutoff add. The read converts each currency at the rates of the moment.

Revision ID: 0024
Revises: 0023
Create Date: 2026-11-29
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0024"
down_revision: str | None = "0023"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "margin_months",
        sa.Column("product_id", sa.Uuid, primary_key=True),
        sa.Column("month", sa.DateTime(timezone=True), primary_key=True),
        sa.Column("currency", sa.String(3), primary_key=True),
        sa.Column("quantity", sa.Numeric(20, 3), nullable=False),
        sa.Column("revenue", sa.Numeric(20, 2), nullable=False),
        sa.Column("cost", sa.Numeric(20, 2), nullable=False),
        sa.Column("lines", sa.BigInteger, nullable=False),
        sa.Column("orders", sa.BigInteger, nullable=False),
        sa.Column("last_buyers", sa.BigInteger, nullable=False),
    )
    op.create_table(
        "margin_mixed_buyers",
        sa.Column("product_id", sa.Uuid, primary_key=True),
        sa.Column("contact_id", sa.Uuid, primary_key=True),
        sa.Column("currency", sa.String(3), primary_key=True),
        sa.Column("month", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "margin_customers",
        sa.Column("product_id", sa.Uuid, primary_key=True),
        sa.Column("month", sa.DateTime(timezone=True), primary_key=True),
        sa.Column("currency", sa.String(3), primary_key=True),
        sa.Column("customers", sa.LargeBinary, nullable=False),
    )
    op.create_table(
        "margin_orders",
        sa.Column("month", sa.DateTime(timezone=True), primary_key=True),
        sa.Column("currency", sa.String(3), primary_key=True),
        sa.Column("orders", sa.BigInteger, nullable=False),
    )


def downgrade() -> None:
    for table in ("margin_orders", "margin_customers", "margin_mixed_buyers", "margin_months"):
        op.drop_table(table)
