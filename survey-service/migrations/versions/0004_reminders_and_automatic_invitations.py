"""reminders and automatic invitations: survey settings, reminder count, scheduled invitations

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-27
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column(
        "surveys",
        sa.Column("reminder_after_days", sa.Integer(), server_default="5", nullable=False),
    )
    op.add_column(
        "surveys", sa.Column("max_reminders", sa.Integer(), server_default="1", nullable=False)
    )
    op.add_column("surveys", sa.Column("after_order_days", sa.Integer(), nullable=True))
    op.add_column("surveys", sa.Column("before_renewal_days", sa.Integer(), nullable=True))
    op.add_column(
        "invitations",
        sa.Column("reminders_sent", sa.Integer(), server_default="0", nullable=False),
    )
    op.create_table(
        "scheduled_invitations",
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("survey_id", sa.UUID(), nullable=False),
        sa.Column("contact_id", sa.UUID(), nullable=False),
        sa.Column("reason", sa.String(length=10), nullable=False),
        sa.Column("source_id", sa.UUID(), nullable=False),
        sa.Column("due_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("outcome", sa.String(length=20), nullable=True),
        sa.Column("invitation_id", sa.UUID(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("processed_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["survey_id"], ["surveys.id"], name=op.f("fk_scheduled_invitations_survey_id_surveys")
        ),
        sa.ForeignKeyConstraint(
            ["invitation_id"],
            ["invitations.id"],
            name=op.f("fk_scheduled_invitations_invitation_id_invitations"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_scheduled_invitations")),
        sa.UniqueConstraint(
            "survey_id",
            "reason",
            "source_id",
            name="uq_scheduled_invitations_survey_reason_source",
        ),
    )
    op.create_index(
        "ix_scheduled_invitations_due_at",
        "scheduled_invitations",
        ["due_at"],
        unique=False,
        postgresql_where=sa.text("status = 'pending'"),
    )
    op.create_index(
        "ix_scheduled_invitations_contact_id",
        "scheduled_invitations",
        ["contact_id"],
        unique=False,
    )
    # The reminder job looks for unanswered e-mail invitations.
    op.create_index(
        "ix_invitations_email_created_at",
        "invitations",
        ["created_at"],
        unique=False,
        postgresql_where=sa.text("channel = 'email'"),
    )


def downgrade() -> None:
    op.drop_index("ix_invitations_email_created_at", table_name="invitations")
    op.drop_table("scheduled_invitations")
    op.drop_column("invitations", "reminders_sent")
    op.drop_column("surveys", "before_renewal_days")
    op.drop_column("surveys", "after_order_days")
    op.drop_column("surveys", "max_reminders")
    op.drop_column("surveys", "reminder_after_days")
