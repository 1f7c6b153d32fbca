"""analytics_flags and lifecycle_changes: the timeline's analytics flags and churn history

`analytics_flags` keeps analytics' churn-risk and ABC-class events for the contact's
timeline. `lifecycle_changes` keeps each churn and win-back (the contact row holds only
the current churn); each contact churned today gets its churn as the first row. Erased
contacts get none (the erasure removes these rows), merged-away ones neither (their
history is the survivor's).

Revision ID: 0016
Revises: 0015
Create Date: 2026-11-28
"""

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _common(table: str) -> list[Any]:
    return [
        sa.Column("id", postgresql.UUID(as_uuid=True), nullable=False),
        sa.Column("contact_id", postgresql.UUID(as_uuid=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["contact_id"], ["contacts.id"], name=f"fk_{table}_contact_id_contacts"
        ),
        sa.PrimaryKeyConstraint("id", name=f"pk_{table}"),
    ]


def _recorded_at() -> sa.Column[Any]:
    return sa.Column(
        "recorded_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
    )


def upgrade() -> None:
    op.create_table(
        "analytics_flags",
        *_common("analytics_flags"),
        sa.Column("flag", sa.String(length=20), nullable=False),
        sa.Column("occurred_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("score", sa.Float(), nullable=True),
        sa.Column("previous_score", sa.Float(), nullable=True),
        sa.Column("drivers", postgresql.ARRAY(sa.String(length=40)), nullable=True),
        sa.Column("previous_class", sa.String(length=1), nullable=True),
        sa.Column("current_class", sa.String(length=1), nullable=True),
        _recorded_at(),
    )
    op.create_index(
        "ix_analytics_flags_contact_occurred_at_id",
        "analytics_flags",
        ["contact_id", "occurred_at", "id"],
    )
    op.create_table(
        "lifecycle_changes",
        *_common("lifecycle_changes"),
        sa.Column("change", sa.String(length=20), nullable=False),
        sa.Column("reason", sa.String(length=30), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("occurred_at", sa.DateTime(timezone=True), nullable=False),
        _recorded_at(),
    )
    op.create_index(
        "ix_lifecycle_changes_contact_occurred_at_id",
        "lifecycle_changes",
        ["contact_id", "occurred_at", "id"],
    )
    op.execute(
        """
        INSERT INTO lifecycle_changes (id, contact_id, change, reason, note, occurred_at)
        SELECT gen_random_uuid(), id, 'churned', churn_reason, churn_note, churned_at
        FROM contacts
        WHERE lifecycle_stage = 'churned' AND churned_at IS NOT NULL
          AND erased_at IS NULL AND merged_into_id IS NULL
        """
    )


def downgrade() -> None:
    op.drop_table("lifecycle_changes")
    op.drop_table("analytics_flags")
