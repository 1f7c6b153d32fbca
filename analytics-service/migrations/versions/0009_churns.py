"""each churn with its reason, for the churn-reason breakdown over time

Churns announced before this migration are not here (the customer row kept only the time).

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-27
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "churns",
        sa.Column("contact_id", postgresql.UUID(as_uuid=True), nullable=False),
        sa.Column("churned_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("reason", sa.String(length=40), nullable=False),
        sa.PrimaryKeyConstraint("contact_id", "churned_at", "reason", name="pk_churns"),
    )
    op.create_index("ix_churns_churned_at", "churns", ["churned_at"])


def downgrade() -> None:
    op.drop_table("churns")
