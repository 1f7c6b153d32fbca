"""the dashboard's customer and NPS figures from rollups kept by the database itself

bench/README.md measured the dashboard at 1M customers: one scan of every customer row
(3-4 s) and a grouping of every NPS answer of two years (0.5-1.6 s) on each call. Instead:

- `customer_hours`: per measure and UTC hour, how many customers count there. `started`:
  customers by the hour they started (the earlier of becoming a contact and the first
  order); `active`: customers not churned, by the hour of their last order; `churned`:
  churned customers by the hour of the churn; `started_churned`: churned customers by the
  later of start and churn (both before a moment, one comparison).
- `customer_risks`: customers not churned, by churn-risk score (rounded to 4 decimals, so
  at most 10,001 rows): "at risk" is a sum above any threshold.
- `customer_figures`: the CLV count and total and the ABC split over every row.
- `nps_hours`: NPS answers per UTC hour and category.

Statement-level triggers with transition tables keep them: each statement that writes
customers (or NPS answers) adds what its new rows contribute and takes away what its old
rows did, in one grouped upsert. Every writer is covered (orders, churns, win-backs,
stages, erasure, merges, the recompute), and a change that moves nothing upserts nothing.
The dashboard reads whole hours here and the partial hours at a window's edges from the
rows themselves, through the indexes created here: exact for any `as_of`.

None of the indexed columns is written by the recompute, so its row updates stay HOT.

Revision ID: 0014
Revises: 0013
Create Date: 2026-11-27
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# What the rows of `changes` (sign, then every customer column) contribute, as upserts.
_CUSTOMER_DELTAS = """
WITH changes AS ({changes}),
c AS (
    SELECT sign, clv, abc_class, churn_risk, last_order_at, churned_at,
           LEAST(became_contact_at, first_order_at) AS started,
           erased_at IS NULL AND (orders > 0 OR lifecycle_stage <> 'lead') AS is_customer,
           churned_at IS NOT NULL
               AND (won_back_at IS NULL OR won_back_at < churned_at) AS churned
    FROM changes
),
hours AS (
    INSERT INTO customer_hours (measure, hour, customers)
    SELECT measure, date_trunc('hour', at, 'UTC'), sum(sign)
    FROM (
        SELECT sign, 'started' AS measure, started AS at FROM c WHERE is_customer
        UNION ALL
        SELECT sign, 'active', last_order_at FROM c
        WHERE is_customer AND NOT churned AND last_order_at IS NOT NULL
        UNION ALL
        SELECT sign, 'churned', churned_at FROM c WHERE is_customer AND churned
        UNION ALL
        SELECT sign, 'started_churned', GREATEST(started, churned_at) FROM c
        WHERE is_customer AND churned
    ) AS parts
    GROUP BY 1, 2 HAVING sum(sign) <> 0
    ORDER BY 1, 2
    ON CONFLICT (measure, hour)
    DO UPDATE SET customers = customer_hours.customers + excluded.customers
),
risks AS (
    INSERT INTO customer_risks (risk, customers)
    SELECT churn_risk, sum(sign) FROM c
    WHERE is_customer AND NOT churned AND churn_risk IS NOT NULL
    GROUP BY 1 HAVING sum(sign) <> 0
    ORDER BY 1
    ON CONFLICT (risk) DO UPDATE SET customers = customer_risks.customers + excluded.customers
)
INSERT INTO customer_figures (measure, value)
SELECT measure, value
FROM (
    SELECT 'with_clv' AS measure, sum(sign) FILTER (WHERE clv IS NOT NULL) AS value FROM c
    UNION ALL
    SELECT 'total_clv', sum(sign * clv) FROM c
    UNION ALL
    SELECT 'class_' || abc_class, sum(sign) FROM c WHERE abc_class IS NOT NULL GROUP BY abc_class
) AS parts
WHERE value <> 0
ORDER BY 1
ON CONFLICT (measure) DO UPDATE SET value = customer_figures.value + excluded.value
"""

_NPS_DELTAS = """
INSERT INTO nps_hours (hour, category, responses)
SELECT date_trunc('hour', responded_at, 'UTC'), category, sum(sign)
FROM ({changes}) AS changes
GROUP BY 1, 2 HAVING sum(sign) <> 0
ORDER BY 1, 2
ON CONFLICT (hour, category) DO UPDATE SET responses = nps_hours.responses + excluded.responses
"""

# Per statement kind, the rows it changed: +1 for the new rows, -1 for the old ones.
_CHANGES = {
    "INSERT": ("REFERENCING NEW TABLE AS new_rows", "SELECT 1 AS sign, * FROM new_rows"),
    "UPDATE": (
        "REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows",
        "SELECT 1 AS sign, * FROM new_rows UNION ALL SELECT -1, * FROM old_rows",
    ),
    "DELETE": ("REFERENCING OLD TABLE AS old_rows", "SELECT -1 AS sign, * FROM old_rows"),
}
_ROLLED_UP = {"customers": _CUSTOMER_DELTAS, "nps_responses": _NPS_DELTAS}


def _create_triggers() -> None:
    for table, deltas in _ROLLED_UP.items():
        for kind, (referencing, changes) in _CHANGES.items():
            name = f"{table}_rollups_{kind.lower()}"
            op.execute(
                f"CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$\n"
                f"BEGIN\n{deltas.format(changes=changes)};\nRETURN NULL;\nEND\n$$"
            )
            op.execute(
                f"CREATE TRIGGER {name} AFTER {kind} ON {table} {referencing}"
                f" FOR EACH STATEMENT EXECUTE FUNCTION {name}()"
            )


def upgrade() -> None:
    op.create_table(
        "customer_hours",
        sa.Column("measure", sa.String(20), primary_key=True),
        sa.Column("hour", sa.DateTime(timezone=True), primary_key=True),
        sa.Column("customers", sa.Integer, nullable=False),
    )
    op.create_table(
        "customer_risks",
        sa.Column("risk", sa.Float, primary_key=True),
        sa.Column("customers", sa.Integer, nullable=False),
    )
    op.create_table(
        "customer_figures",
        sa.Column("measure", sa.String(20), primary_key=True),
        sa.Column("value", sa.Numeric(20, 2), nullable=False),
    )
    op.create_table(
        "nps_hours",
        sa.Column("hour", sa.DateTime(timezone=True), primary_key=True),
        sa.Column("category", sa.String(20), primary_key=True),
        sa.Column("responses", sa.Integer, nullable=False),
    )
    # The rows kept so far, as if each had just been inserted.
    op.execute(_CUSTOMER_DELTAS.format(changes="SELECT 1 AS sign, * FROM customers"))
    op.execute(_NPS_DELTAS.format(changes="SELECT 1 AS sign, * FROM nps_responses"))
    _create_triggers()
    # The edges of the windows: the customers of one partial hour, found by index.
    op.create_index("ix_customers_last_order_at", "customers", ["last_order_at"])
    op.create_index(
        "ix_customers_churned_at",
        "customers",
        ["churned_at"],
        postgresql_where=sa.text("churned_at IS NOT NULL"),
    )
    op.create_index(
        "ix_customers_started",
        "customers",
        [sa.text("LEAST(became_contact_at, first_order_at)")],
    )
    op.create_index(
        "ix_customers_started_churned",
        "customers",
        [sa.text("GREATEST(LEAST(became_contact_at, first_order_at), churned_at)")],
        postgresql_where=sa.text("churned_at IS NOT NULL"),
    )
    op.create_index(
        "ix_contracts_running_end_date",
        "contracts",
        ["end_date"],
        postgresql_where=sa.text("status IN ('active', 'renewed')"),
    )


def downgrade() -> None:
    op.drop_index("ix_contracts_running_end_date", table_name="contracts")
    for index in ("started_churned", "started", "churned_at", "last_order_at"):
        op.drop_index(f"ix_customers_{index}", table_name="customers")
    for table in _ROLLED_UP:
        for kind in _CHANGES:
            name = f"{table}_rollups_{kind.lower()}"
            op.execute(f"DROP TRIGGER {name} ON {table}")
            op.execute(f"DROP FUNCTION {name}()")
    for rollup in ("nps_hours", "customer_figures", "customer_risks", "customer_hours"):
        op.drop_table(rollup)
