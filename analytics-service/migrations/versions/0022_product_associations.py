"""co-purchase associations precomputed by a job, so next best offers read a few rows

bench/offers.py: the next best offers of one customer were counted live from order_lines
(every peer who bought any of the customer's products, all their lines, and the distinct
buying customers of the whole table): seconds per request at 10M orders. The job
`product-associations` (analytics.service_layer.associations) counts, from the distinct
(customer, product) pairs of all order lines:

- `association_products`: per product sold, its position (0 .. products - 1), the SKU it was
  last sold under, its buyers, and `together`: its row of XᵀX, the customers who bought it
  and the product at each position, as little-endian int32s (4 bytes a product; the
  diagonal is its buyers). One row per product, not one per pair: a customer's offers
  read the rows of the products they own (a handful of rows of 4 kB at 1,000 products),
  where a pair table gave ~1,000 rows per owned product to sort; prospects for a product
  read its own row (the matrix is symmetric);
- `association_sales`: per product and currency, the sum of revenue - cost and the number
  of lines (the margin per sale is converted into the reporting currency when read, as
  before);
- `association_totals`: one row, the buying customers (the population) and when the run
  counted them;
- `cohort_months` and `cohort_revenue`: the acquisition cohorts (A8) of the orders recorded
  before the run's cutoff (`association_totals.counted_at`, five minutes before the run
  started: a transaction that recorded orders then has committed), per cohort (month of
  the customer's first order) and calendar month: the customers who ordered, and per
  currency the revenue and orders (only of orders placed before the cutoff, too). GET
  /cohorts up to a moment after the cutoff adds the other orders (recorded since: by
  `orders.recorded_at`, new here, and its index; a customer counts there only if the run
  did not count them in that month), so its figures include every order analytics has,
  late events too; an earlier moment, or a segment, is counted from all orders as before.
  A cohort moved by a late, older first order stays where the run put it until the next
  run.

A run replaces them all in one transaction: readers see the previous run or this one.

Revision ID: 0022
Revises: 0021
Create Date: 2026-11-28
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0022"
down_revision: str | None = "0021"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Orders already here count as recorded long ago (a constant default: no rewrite of the
    # table), so the first run counts them all, however soon after this it starts; new ones
    # are recorded now.
    op.add_column(
        "orders",
        sa.Column(
            "recorded_at",
            sa.DateTime(timezone=True),
            nullable=False,
            server_default=sa.text("'-infinity'"),
        ),
    )
    op.alter_column("orders", "recorded_at", server_default=sa.func.now())
    op.create_index("ix_orders_recorded_at", "orders", ["recorded_at"])
    op.create_table(
        "association_products",
        sa.Column("product_id", sa.Uuid, primary_key=True),
        sa.Column("position", sa.Integer, nullable=False, unique=True),
        sa.Column("sku", sa.String(100), nullable=False),
        sa.Column("buyers", sa.Integer, nullable=False),
        sa.Column("together", sa.LargeBinary, nullable=False),
    )
    op.create_table(
        "association_sales",
        sa.Column("product_id", sa.Uuid, primary_key=True),
        sa.Column("currency", sa.String(3), primary_key=True),
        sa.Column("margin", sa.Numeric(20, 2), nullable=False),
        sa.Column("lines", sa.BigInteger, nullable=False),
    )
    op.create_table(
        "association_totals",
        sa.Column("population", sa.BigInteger, nullable=False),
        sa.Column("counted_at", sa.DateTime(timezone=True), primary_key=True),
    )
    op.create_table(
        "cohort_months",
        sa.Column("cohort", sa.DateTime(timezone=True), primary_key=True),
        sa.Column("month", sa.DateTime(timezone=True), primary_key=True),
        sa.Column("customers", sa.BigInteger, nullable=False),
    )
    op.create_table(
        "cohort_revenue",
        sa.Column("cohort", sa.DateTime(timezone=True), primary_key=True),
        sa.Column("month", sa.DateTime(timezone=True), primary_key=True),
        sa.Column("currency", sa.String(3), primary_key=True),
        sa.Column("revenue", sa.Numeric(20, 2), nullable=False),
        sa.Column("orders", sa.BigInteger, nullable=False),
    )


def downgrade() -> None:
    for table in (
        "cohort_revenue",
        "cohort_months",
        "association_totals",
        "association_sales",
        "association_products",
    ):
        op.drop_table(table)
    op.drop_index("ix_orders_recorded_at", table_name="orders")
    op.drop_column("orders", "recorded_at")
