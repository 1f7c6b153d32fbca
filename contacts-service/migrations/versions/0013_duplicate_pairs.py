"""duplicates: pairs stored by a scan of the whole base, and the scan's watermark

At a million contacts, comparing every block of the base takes minutes, too long for a
request. The scan job stores the likely pairs; the list reads them and compares live only
the contacts changed since the scan.

Revision ID: 0013
Revises: 0012
Create Date: 2026-11-28
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import UUID

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_contacts_updated_at_id", "contacts", ["updated_at", "id"])
    op.create_table(
        "duplicate_pairs",
        sa.Column("first_id", UUID(as_uuid=True), nullable=False),
        sa.Column("second_id", UUID(as_uuid=True), nullable=False),
        sa.Column("shared", sa.Boolean(), nullable=False),
        sa.Column("name_similarity", sa.Float(), nullable=False),
        sa.Column("company_similarity", sa.Float(), nullable=True),
        sa.Column("rank", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint("first_id", "second_id", name="pk_duplicate_pairs"),
    )
    op.create_index("ix_duplicate_pairs_second_id", "duplicate_pairs", ["second_id"])
    op.create_index(
        "ix_duplicate_pairs_rank",
        "duplicate_pairs",
        [sa.text("rank DESC"), "first_id", "second_id"],
    )
    op.create_table(
        "duplicate_scan",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("scanned_through", sa.DateTime(timezone=True), nullable=False),
        sa.Column("pairs", sa.Integer(), nullable=False),
        sa.Column(
            "finished_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()
        ),
        sa.PrimaryKeyConstraint("id", name="pk_duplicate_scan"),
    )


def downgrade() -> None:
    op.drop_table("duplicate_scan")
    op.drop_table("duplicate_pairs")
    op.drop_index("ix_contacts_updated_at_id", table_name="contacts")
