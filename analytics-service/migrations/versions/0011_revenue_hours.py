"""revenue and orders per hour, kept by the order handler: the dashboard's revenue figures
read a few thousand rollup rows instead of every order of two years; NPS answers by time

The dashboard sums the whole hours of a window from `revenue_hours` and only the orders of
the partial hours at its edges from `orders`. Filled here from the orders kept so far.

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-27
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "revenue_hours",
        sa.Column("hour", sa.DateTime(timezone=True), primary_key=True),
        sa.Column("revenue", sa.Numeric(18, 2), nullable=False),
        sa.Column("orders", sa.Integer, nullable=False),
    )
    op.execute(
        "INSERT INTO revenue_hours (hour, revenue, orders)"
        " SELECT date_trunc('hour', ordered_at, 'UTC'), sum(revenue), count(*)"
        " FROM orders GROUP BY 1"
    )
    op.create_index(
        "ix_nps_responses_responded_at",
        "nps_responses",
        ["responded_at"],
        postgresql_include=["category"],
    )


def downgrade() -> None:
    op.drop_index("ix_nps_responses_responded_at", table_name="nps_responses")
    op.drop_table("revenue_hours")
