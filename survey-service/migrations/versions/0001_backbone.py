"""the event backbone

Revision ID: 0001
Revises:
Create Date: 2026-11-27
"""

from collections.abc import Sequence

from alembic import op

from treue.migration_ops import create_backbone_tables_v1

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    create_backbone_tables_v1()


def downgrade() -> None:
    for table in ("jobs", "idempotency_keys", "dead_letters", "inbox", "outbox"):
        op.drop_table(table)
