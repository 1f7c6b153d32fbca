"""customer read model and the event backbone

Revision ID: 0001
Revises:
Create Date: 2026-11-27
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from treue.migration_ops import create_backbone_tables_v1

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    create_backbone_tables_v1()
    op.create_table(
        "customers",
        sa.Column("contact_id", postgresql.UUID(as_uuid=True), nullable=False),
        sa.Column("contact_version", sa.Integer(), nullable=False),
        sa.Column("first_name", sa.String(length=100), nullable=False),
        sa.Column("last_name", sa.String(length=100), nullable=False),
        sa.Column("email", sa.String(length=320), nullable=True),
        sa.Column("company", sa.String(length=200), nullable=True),
        sa.Column("language", sa.String(length=2), nullable=False),
        sa.Column("lifecycle_stage", sa.String(length=20), nullable=False),
        sa.Column(
            "tags", postgresql.ARRAY(sa.String(length=50)), server_default="{}", nullable=False
        ),
        sa.Column("acquisition_channel", sa.String(length=100), nullable=True),
        sa.Column("acquisition_cost", sa.Numeric(precision=14, scale=2), nullable=True),
        sa.Column("became_contact_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column(
            "updated_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.PrimaryKeyConstraint("contact_id", name="pk_customers"),
    )
    op.create_index(
        "ix_customers_became_contact_at", "customers", ["became_contact_at", "contact_id"]
    )


def downgrade() -> None:
    op.drop_table("customers")
    for table in ("jobs", "idempotency_keys", "dead_letters", "inbox", "outbox"):
        op.drop_table(table)
