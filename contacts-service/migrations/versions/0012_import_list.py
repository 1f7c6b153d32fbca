"""imports: who started each one (by name) and an index for the list of past imports

The list of imports pages newest first by (created_at, job_id); the job's `created_by`
holds the caller's id, `created_by_name` what the gateway called them then (a user's name
or an API key's), so the list reads without asking the gateway.

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-28
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("imports", sa.Column("created_by_name", sa.String(length=200), nullable=True))
    op.create_index("ix_imports_created_at_job_id", "imports", ["created_at", "job_id"])


def downgrade() -> None:
    op.drop_index("ix_imports_created_at_job_id", table_name="imports")
    op.drop_column("imports", "created_by_name")
