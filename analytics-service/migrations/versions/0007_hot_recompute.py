"""the recompute rewrites every customer row: no indexes on its scores, room for HOT updates

The full recompute writes predictions, classes, RFM and churn risk for every customer. An
index on a column it writes makes each of those writes touch every index of the table; the
lists filter and sort these columns fine by scanning (bench/recompute.py has the figures).

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-27
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.drop_index("ix_customers_churn_risk", table_name="customers")
    op.drop_index("ix_customers_rfm", table_name="customers")
    op.drop_index("ix_customers_abc_class", table_name="customers")
    op.execute("ALTER TABLE customers SET (fillfactor = 70)")


def downgrade() -> None:
    op.execute("ALTER TABLE customers RESET (fillfactor)")
    op.create_index("ix_customers_abc_class", "customers", ["abc_class", "contact_id"])
    op.create_index("ix_customers_rfm", "customers", ["rfm", "contact_id"])
    op.create_index("ix_customers_churn_risk", "customers", ["churn_risk", "contact_id"])
