"""new orders add to a customer's purchase summary instead of recounting all their orders

bench/consumer.py --kind orders: the insert trigger of migration 0021 recounted every
touched customer from all their orders (a lock, a delete, and a read of each customer's
orders by `ix_orders_contact_id` with a heap fetch per order), about a fifth of Postgres'
time per order event, growing with each customer's order history. Orders nearly always
arrive on or after the customer's last purchase day; then the summary follows from the
row as it is and the new orders alone:
- first day unchanged; last day the latest; purchase days plus the new days after the
  last one; orders plus the new ones; repeat revenue plus the new orders' revenue after
  the first day; the currency kept only while every order is in it.
A customer's first orders make their row from the new orders alone. An order before the
last purchase day (a late event) can change which days are purchase days and the first
day: those customers are still recounted from their orders, so the summary stays equal to
a recount in every case (tests/integration/test_customer_purchases.py).

The rows are locked first, as before, so a concurrent writer of the same customer is
waited for and the statement after the lock reads the row as that writer left it. Two
transactions giving a customer their very first orders at once still collide on the
primary key, as before (the consumer retries the batch).

Revision ID: 0023
Revises: 0022
Create Date: 2026-11-29
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0023"
down_revision: str | None = "0022"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_INCREMENTAL = """
CREATE OR REPLACE FUNCTION orders_purchases_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
PERFORM 1 FROM customer_purchases WHERE contact_id IN (SELECT contact_id FROM new_rows)
ORDER BY contact_id FOR UPDATE;
WITH added AS (
    SELECT contact_id, currency, revenue, day, min(day) OVER (PARTITION BY contact_id) AS first_new
    FROM (
        SELECT contact_id, currency, revenue, (ordered_at AT TIME ZONE 'UTC')::date AS day
        FROM new_rows
    ) AS dated
), late AS (
    SELECT DISTINCT a.contact_id
    FROM added AS a JOIN customer_purchases AS p USING (contact_id)
    WHERE a.day < p.last_day
), summed AS (
    SELECT a.contact_id, p.contact_id IS NOT NULL AS known,
           CASE WHEN min(a.currency) = max(a.currency)
                 AND (p.contact_id IS NULL OR p.currency = min(a.currency))
                THEN min(a.currency) END AS currency,
           COALESCE(p.first_day, min(a.day)) AS first_day,
           GREATEST(p.last_day, max(a.day)) AS last_day,
           COALESCE(p.days, 0)
             + count(DISTINCT a.day) FILTER (WHERE p.last_day IS NULL OR a.day > p.last_day)
             AS days,
           COALESCE(p.orders, 0) + count(*) AS orders,
           COALESCE(p.repeat_revenue, 0)
             + COALESCE(sum(a.revenue) FILTER (WHERE a.day > COALESCE(p.first_day, a.first_new)), 0)
             AS repeat_revenue
    FROM added AS a LEFT JOIN customer_purchases AS p USING (contact_id)
    WHERE a.contact_id NOT IN (SELECT contact_id FROM late)
    GROUP BY a.contact_id, p.contact_id
), recounted AS (
    SELECT contact_id, CASE WHEN min(currency) = max(currency) THEN min(currency) END AS currency,
           min(day) AS first_day, max(day) AS last_day, count(DISTINCT day) AS days,
           count(*) AS orders,
           COALESCE(sum(revenue) FILTER (WHERE day > first_day), 0) AS repeat_revenue
    FROM (
        SELECT contact_id, currency, revenue, day,
               min(day) OVER (PARTITION BY contact_id) AS first_day
        FROM (
            SELECT o.contact_id, o.currency, o.revenue,
                   (o.ordered_at AT TIME ZONE 'UTC')::date AS day
            FROM orders AS o
            WHERE o.contact_id IN (SELECT contact_id FROM late)
        ) AS dated
    ) AS marked
    GROUP BY contact_id
), changed AS (
    UPDATE customer_purchases AS p
    SET currency = c.currency, first_day = c.first_day, last_day = c.last_day, days = c.days,
        orders = c.orders, repeat_revenue = c.repeat_revenue
    FROM (
        SELECT contact_id, currency, first_day, last_day, days, orders, repeat_revenue
        FROM summed WHERE known
        UNION ALL
        SELECT * FROM recounted
    ) AS c
    WHERE p.contact_id = c.contact_id
)
INSERT INTO customer_purchases (contact_id, currency, first_day, last_day, days, orders,
                                repeat_revenue)
SELECT contact_id, currency, first_day, last_day, days, orders, repeat_revenue
FROM summed WHERE NOT known;
RETURN NULL;
END
$$
"""

# Migration 0021's function, for the downgrade.
_RECOUNTING = """
CREATE OR REPLACE FUNCTION orders_purchases_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
PERFORM 1 FROM customer_purchases WHERE contact_id IN (SELECT contact_id FROM new_rows)
ORDER BY contact_id FOR UPDATE;
DELETE FROM customer_purchases WHERE contact_id IN (SELECT contact_id FROM new_rows);
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
        WHERE o.contact_id IN (SELECT contact_id FROM new_rows)
    ) AS dated
) AS marked
GROUP BY contact_id;
RETURN NULL;
END
$$
"""


def upgrade() -> None:
    op.execute(_INCREMENTAL)


def downgrade() -> None:
    op.execute(_RECOUNTING)
