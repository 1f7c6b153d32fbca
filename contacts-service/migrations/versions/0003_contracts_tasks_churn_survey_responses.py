"""contracts, tasks, churn on contacts, the copy of NPS survey responses

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-29
"""

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _uuid(name: str, nullable: bool = False) -> sa.Column[Any]:
    return sa.Column(name, postgresql.UUID(as_uuid=True), nullable=nullable)


def _timestamp(name: str) -> sa.Column[Any]:
    return sa.Column(name, sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False)


def _contact_fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["contact_id"], ["contacts.id"], name=f"fk_{table}_contact_id_contacts"
    )


def upgrade() -> None:
    op.add_column("contacts", sa.Column("churn_reason", sa.String(length=30), nullable=True))
    op.add_column("contacts", sa.Column("churn_note", sa.Text(), nullable=True))
    op.add_column("contacts", sa.Column("churned_at", sa.DateTime(timezone=True), nullable=True))
    _create_contracts()
    _create_tasks()
    _create_survey_responses()


def _create_contracts() -> None:
    op.create_table(
        "contracts",
        _uuid("id"),
        _uuid("contact_id"),
        _uuid("product_id"),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("end_date", sa.Date(), nullable=False),
        sa.Column("notice_period_days", sa.Integer(), nullable=False),
        sa.Column("auto_renew", sa.Boolean(), nullable=False),
        sa.Column("monthly_value", sa.Numeric(precision=14, scale=2), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("cancellation_reason", sa.Text(), nullable=True),
        sa.Column("cancelled_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("renewal_notified_for", sa.Date(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        _timestamp("created_at"),
        _timestamp("updated_at"),
        _contact_fk("contracts"),
        sa.ForeignKeyConstraint(
            ["product_id"], ["products.id"], name="fk_contracts_product_id_products"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_contracts"),
    )
    op.create_index(
        "ix_contracts_contact_created_at_id", "contracts", ["contact_id", "created_at", "id"]
    )
    op.create_index("ix_contracts_created_at_id", "contracts", ["created_at", "id"])
    op.create_index("ix_contracts_status_end_date", "contracts", ["status", "end_date"])


def _create_tasks() -> None:
    op.create_table(
        "tasks",
        _uuid("id"),
        _uuid("contact_id"),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("due_at", sa.DateTime(timezone=True), nullable=False),
        _uuid("assignee_id", nullable=True),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("origin", sa.String(length=30), nullable=False),
        sa.Column("source_key", sa.String(length=200), nullable=True),
        sa.Column("completed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        _timestamp("created_at"),
        _timestamp("updated_at"),
        _contact_fk("tasks"),
        sa.PrimaryKeyConstraint("id", name="pk_tasks"),
    )
    op.create_index("uq_tasks_source_key", "tasks", ["source_key"], unique=True)
    op.create_index("ix_tasks_status_due_at_id", "tasks", ["status", "due_at", "id"])
    op.create_index("ix_tasks_assignee_due_at_id", "tasks", ["assignee_id", "due_at", "id"])
    op.create_index("ix_tasks_contact_due_at_id", "tasks", ["contact_id", "due_at", "id"])
    op.create_index("ix_tasks_contact_created_at_id", "tasks", ["contact_id", "created_at", "id"])


def _create_survey_responses() -> None:
    op.create_table(
        "survey_responses",
        _uuid("response_id"),
        _uuid("survey_id"),
        _uuid("contact_id"),
        sa.Column("score", sa.Integer(), nullable=False),
        sa.Column("category", sa.String(length=20), nullable=False),
        sa.Column("comment", sa.Text(), nullable=True),
        sa.Column("responded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("channel", sa.String(length=50), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("response_id", name="pk_survey_responses"),
    )
    op.create_index(
        "ix_survey_responses_contact_responded_at_id",
        "survey_responses",
        ["contact_id", "responded_at", "response_id"],
    )


def downgrade() -> None:
    op.drop_table("survey_responses")
    op.drop_table("tasks")
    op.drop_table("contracts")
    op.drop_column("contacts", "churned_at")
    op.drop_column("contacts", "churn_note")
    op.drop_column("contacts", "churn_reason")
