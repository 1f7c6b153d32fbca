"""contacts and the event backbone

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

SEARCHABLE = ("first_name", "last_name", "email", "company")


def upgrade() -> None:
    create_backbone_tables_v1()
    op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    op.create_table(
        "contacts",
        sa.Column("id", postgresql.UUID(as_uuid=True), nullable=False),
        sa.Column("first_name", sa.String(length=100), nullable=False),
        sa.Column("last_name", sa.String(length=100), nullable=False),
        sa.Column("email", sa.String(length=320), nullable=True),
        sa.Column("phone", sa.String(length=50), nullable=True),
        sa.Column("company", sa.String(length=200), nullable=True),
        sa.Column("language", sa.String(length=2), nullable=False),
        sa.Column(
            "tags", postgresql.ARRAY(sa.String(length=50)), server_default="{}", nullable=False
        ),
        sa.Column(
            "custom_fields",
            postgresql.JSONB(),
            server_default=sa.text("'{}'::jsonb"),
            nullable=False,
        ),
        sa.Column("lifecycle_stage", sa.String(length=20), nullable=False),
        sa.Column("owner_id", postgresql.UUID(as_uuid=True), nullable=True),
        sa.Column("marketing_consent", sa.Boolean(), server_default="false", nullable=False),
        sa.Column("marketing_consent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("acquisition_channel", sa.String(length=100), nullable=True),
        sa.Column("acquisition_cost", sa.Numeric(precision=14, scale=2), nullable=True),
        sa.Column("external_id", sa.String(length=200), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column(
            "created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.Column(
            "updated_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.PrimaryKeyConstraint("id", name="pk_contacts"),
    )
    op.create_index("uq_contacts_email_lower", "contacts", [sa.text("lower(email)")], unique=True)
    op.create_index("uq_contacts_external_id", "contacts", ["external_id"], unique=True)
    op.create_index("ix_contacts_created_at_id", "contacts", ["created_at", "id"])
    op.create_index("ix_contacts_tags", "contacts", ["tags"], postgresql_using="gin")
    op.create_index("ix_contacts_lifecycle_stage", "contacts", ["lifecycle_stage"])
    op.create_index("ix_contacts_owner_id", "contacts", ["owner_id"])
    for name in SEARCHABLE:
        op.create_index(
            f"ix_contacts_{name}_trgm",
            "contacts",
            [name],
            postgresql_using="gin",
            postgresql_ops={name: "gin_trgm_ops"},
        )


def downgrade() -> None:
    op.drop_table("contacts")
    for table in ("jobs", "idempotency_keys", "dead_letters", "inbox", "outbox"):
        op.drop_table(table)
