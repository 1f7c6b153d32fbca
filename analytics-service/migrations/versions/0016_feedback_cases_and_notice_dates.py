"""feedback cases for the dashboard's open work; contracts' notice dates for renewals due

Revision ID: 0016
Revises: 0015
Create Date: 2026-11-28
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import UUID

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "feedback_cases",
        sa.Column("feedback_case_id", UUID(as_uuid=True), nullable=False),
        sa.Column("contact_id", UUID(as_uuid=True), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("due_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("opened_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("resolved_at", sa.DateTime(timezone=True)),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("feedback_case_id", name="pk_feedback_cases"),
    )
    op.create_index("ix_feedback_cases_contact_id", "feedback_cases", ["contact_id"])
    op.create_index(
        "ix_feedback_cases_unresolved_due_at",
        "feedback_cases",
        ["due_at"],
        postgresql_where=sa.text("status <> 'resolved'"),
    )
    # Contracts kept before this revision get theirs with their next event; until then the
    # dashboard counts them by their end date.
    op.add_column("contracts", sa.Column("notice_date", sa.Date()))


def downgrade() -> None:
    op.drop_column("contracts", "notice_date")
    op.drop_table("feedback_cases")
