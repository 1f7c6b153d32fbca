"""the settings an admin changes at run time (treue.runtime_settings)

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-27
"""

from collections.abc import Sequence

from alembic import op

from treue.migration_ops import create_runtime_settings_table_v1

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    create_runtime_settings_table_v1()


def downgrade() -> None:
    op.drop_table("runtime_settings")
