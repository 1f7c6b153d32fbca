"""each customer's purchase summary kept by the database, so the CLV fit does not group every
order on every run

bench/recompute.py: the fit's purchase summary grouped all orders (10M at 1M customers)
into purchase days and then customers, and a second scan of them counted what the fit
leaves out; 75-170 s of the 1M recompute. `customer_purchases` holds, per customer, what
the BG/NBD + Gamma-Gamma inputs are made of: the first and last purchase day (UTC), the
number of purchase days, the orders, and the revenue of the days after the first (the
repeat purchases' value).

Spend is converted into the reporting currency at fit time, and a fit may be as of a past
day, so the summary is exact only for a customer whose orders are all in one currency and
up to the fit's day. `currency` is NULL for a customer with orders in several currencies;
the fit reads such customers (and those with a purchase after its day) from their orders,
as before, and everyone else from here.

A statement-level trigger on each kind of write to `orders` recounts the customers the
statement touched from their orders (by `ix_orders_contact_id`): the order handler's
inserts, merges and erasures (which move orders to another contact id), and any later
writer. A recount is exact and idempotent; a customer left without orders loses the row.

Revision ID: 0021
Revises: 0020
Create Date: 2026-11-28
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0021"
down_revision: str | None = "0020"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The summary of the customers of `{touched}` (a query of contact ids) from their orders.
_RECOUNT = """
INSERT INTO customer_purchases (contact_id, currency, first_day, last_day, days, orders,
                                repeat_revenue)
SELECT contact_id, CASE WHEN min(currency) = max(currency) THEN min(currency) END,
       min(day), max(day), count(DISTINCT day), count(*),
       COALESCE(sum(revenue) FILTER (WHERE day > first_day), 0)
FROM (
    SELECT contact_id, currency, revenue, day, min(day) OVER (PARTITION BY contact_id) AS first_day
    FROM (
        SELECT o.contact_id, o.currency, o.revenue, (o.ordered_at AT TIME ZONE 'UTC')::date AS day
        FROM orders AS o
        WHERE o.contact_id IN ({touched})
    ) AS dated
) AS marked
GROUP BY contact_id
"""
# Per statement kind, the contact ids it touched.
_TOUCHED = {
    "INSERT": ("REFERENCING NEW TABLE AS new_rows", "SELECT contact_id FROM new_rows"),
    "UPDATE": (
        "REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows",
        "SELECT contact_id FROM new_rows UNION SELECT contact_id FROM old_rows",
    ),
    "DELETE": ("REFERENCING OLD TABLE AS old_rows", "SELECT contact_id FROM old_rows"),
}


def upgrade() -> None:
    op.create_table(
        "customer_purchases",
        sa.Column("contact_id", sa.Uuid, primary_key=True),
        sa.Column("currency", sa.String(3)),
        sa.Column("first_day", sa.Date, nullable=False),
        sa.Column("last_day", sa.Date, nullable=False),
        sa.Column("days", sa.Integer, nullable=False),
        sa.Column("orders", sa.Integer, nullable=False),
        sa.Column("repeat_revenue", sa.Numeric(18, 2), nullable=False),
    )
    op.execute(_RECOUNT.replace("o.contact_id IN ({touched})", "true"))
    for kind, (referencing, touched) in _TOUCHED.items():
        name = f"orders_purchases_{kind.lower()}"
        # Lock the rows first: a concurrent writer of the same customers is waited for, and
        # the delete and the recount after it (each with a snapshot of its own, as plpgsql
        # takes them under READ COMMITTED) see its orders. Delete, then insert: a customer
        # whose orders all moved away has no row.
        op.execute(
            f"CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$\n"
            f"BEGIN\n"
            f"PERFORM 1 FROM customer_purchases WHERE contact_id IN ({touched})"
            f" ORDER BY contact_id FOR UPDATE;\n"
            f"DELETE FROM customer_purchases WHERE contact_id IN ({touched});\n"
            f"{_RECOUNT.format(touched=touched)};\n"
            f"RETURN NULL;\nEND\n$$"
        )
        op.execute(
            f"CREATE TRIGGER {name} AFTER {kind} ON orders {referencing}"
            f" FOR EACH STATEMENT EXECUTE FUNCTION {name}()"
        )


def downgrade() -> None:
    for kind in _TOUCHED:
        name = f"orders_purchases_{kind.lower()}"
        op.execute(f"DROP TRIGGER {name} ON orders")
        op.execute(f"DROP FUNCTION {name}()")
    op.drop_table("customer_purchases")
