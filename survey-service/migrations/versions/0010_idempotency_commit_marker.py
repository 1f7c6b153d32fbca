"""idempotency keys: marked committed with the write, and indexed for the daily purge

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-27
"""

from collections.abc import Sequence

from treue.migration_ops import add_idempotency_commit_marker_v2, drop_idempotency_commit_marker_v2

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    add_idempotency_commit_marker_v2()


def downgrade() -> None:
    drop_idempotency_commit_marker_v2()
