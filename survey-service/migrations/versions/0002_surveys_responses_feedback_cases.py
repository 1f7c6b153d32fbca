"""surveys, invitations, responses, feedback cases and the copy of contacts

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-27
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "contacts",
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("first_name", sa.String(length=100), nullable=False),
        sa.Column("email", sa.String(length=320), nullable=True),
        sa.Column("language", sa.String(length=2), nullable=False),
        sa.Column(
            "tags", postgresql.ARRAY(sa.String(length=50)), server_default="{}", nullable=False
        ),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column(
            "updated_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_contacts")),
    )
    op.create_table(
        "surveys",
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("question", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("follow_up_question", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("quiet_period_days", sa.Integer(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_surveys")),
    )
    op.create_index("ix_surveys_created_at_id", "surveys", ["created_at", "id"], unique=False)
    op.create_table(
        "invitations",
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("survey_id", sa.UUID(), nullable=False),
        sa.Column("contact_id", sa.UUID(), nullable=False),
        sa.Column("token", sa.String(length=100), nullable=False),
        sa.Column("channel", sa.String(length=10), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["survey_id"], ["surveys.id"], name=op.f("fk_invitations_survey_id_surveys")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_invitations")),
        sa.UniqueConstraint("token", name=op.f("uq_invitations_token")),
    )
    op.create_index(
        "ix_invitations_contact_id_created_at",
        "invitations",
        ["contact_id", "created_at"],
        unique=False,
    )
    op.create_index("ix_invitations_survey_id", "invitations", ["survey_id"], unique=False)
    op.create_table(
        "responses",
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("survey_id", sa.UUID(), nullable=False),
        sa.Column("contact_id", sa.UUID(), nullable=False),
        sa.Column("invitation_id", sa.UUID(), nullable=True),
        sa.Column("score", sa.SmallInteger(), nullable=False),
        sa.Column("category", sa.String(length=10), nullable=False),
        sa.Column("comment", sa.Text(), nullable=True),
        sa.Column("responded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("external_id", sa.String(length=200), nullable=True),
        sa.Column("channel", sa.String(length=10), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["invitation_id"],
            ["invitations.id"],
            name=op.f("fk_responses_invitation_id_invitations"),
        ),
        sa.ForeignKeyConstraint(
            ["survey_id"], ["surveys.id"], name=op.f("fk_responses_survey_id_surveys")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_responses")),
        sa.UniqueConstraint("invitation_id", name=op.f("uq_responses_invitation_id")),
        sa.UniqueConstraint("survey_id", "external_id", name="uq_responses_survey_id_external_id"),
    )
    op.create_index(
        "ix_responses_contact_id_responded_at",
        "responses",
        ["contact_id", "responded_at"],
        unique=False,
    )
    op.create_index("ix_responses_responded_at", "responses", ["responded_at"], unique=False)
    op.create_index(
        "ix_responses_survey_id_responded_at_id",
        "responses",
        ["survey_id", "responded_at", "id"],
        unique=False,
    )
    op.create_table(
        "feedback_cases",
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("contact_id", sa.UUID(), nullable=False),
        sa.Column("survey_id", sa.UUID(), nullable=False),
        sa.Column("response_id", sa.UUID(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("owner_id", sa.UUID(), nullable=True),
        sa.Column("due_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("resolution_note", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("resolved_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["response_id"], ["responses.id"], name=op.f("fk_feedback_cases_response_id_responses")
        ),
        sa.ForeignKeyConstraint(
            ["survey_id"], ["surveys.id"], name=op.f("fk_feedback_cases_survey_id_surveys")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_feedback_cases")),
        sa.UniqueConstraint("response_id", name=op.f("uq_feedback_cases_response_id")),
    )
    op.create_index(
        "ix_feedback_cases_created_at_id", "feedback_cases", ["created_at", "id"], unique=False
    )
    op.create_index("ix_feedback_cases_owner_id", "feedback_cases", ["owner_id"], unique=False)
    op.create_index(
        "ix_feedback_cases_status_due_at", "feedback_cases", ["status", "due_at"], unique=False
    )


def downgrade() -> None:
    op.drop_index("ix_feedback_cases_status_due_at", table_name="feedback_cases")
    op.drop_index("ix_feedback_cases_owner_id", table_name="feedback_cases")
    op.drop_index("ix_feedback_cases_created_at_id", table_name="feedback_cases")
    op.drop_table("feedback_cases")
    op.drop_index("ix_responses_survey_id_responded_at_id", table_name="responses")
    op.drop_index("ix_responses_responded_at", table_name="responses")
    op.drop_index("ix_responses_contact_id_responded_at", table_name="responses")
    op.drop_table("responses")
    op.drop_index("ix_invitations_survey_id", table_name="invitations")
    op.drop_index("ix_invitations_contact_id_created_at", table_name="invitations")
    op.drop_table("invitations")
    op.drop_index("ix_surveys_created_at_id", table_name="surveys")
    op.drop_table("surveys")
    op.drop_table("contacts")
