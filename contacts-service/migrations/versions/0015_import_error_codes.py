"""import_errors: the field error code (and its parameters) of each refused row

The per-row error report gets the same `code` and `ctx` the API's field errors carry
(treue.problems), so a client shows the report in the user's language. Rows refused
before hold `invalid`, the code that says "show the message".

Revision ID: 0015
Revises: 0014
Create Date: 2026-11-28
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column(
        "import_errors",
        sa.Column("code", sa.String(length=50), nullable=False, server_default="invalid"),
    )
    op.add_column("import_errors", sa.Column("ctx", JSONB(), nullable=True))


def downgrade() -> None:
    op.drop_column("import_errors", "ctx")
    op.drop_column("import_errors", "code")
