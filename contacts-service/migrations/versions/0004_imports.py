"""bulk imports: the import state, the uploaded file in chunks, the per-row error report

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-27
"""

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _count(name: str) -> sa.Column[Any]:
    return sa.Column(name, sa.BigInteger(), server_default="0", nullable=False)


def _import_fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["job_id"], ["imports.job_id"], name=f"fk_{table}_job_id_imports", ondelete="CASCADE"
    )


def upgrade() -> None:
    op.create_table(
        "imports",
        sa.Column("job_id", postgresql.UUID(as_uuid=True), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("format", sa.String(length=10), nullable=False),
        sa.Column("filename", sa.String(length=300), nullable=True),
        sa.Column("size_bytes", sa.BigInteger(), nullable=False),
        _count("records_done"),
        _count("created"),
        _count("updated"),
        _count("skipped"),
        _count("failed"),
        sa.Column(
            "created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.PrimaryKeyConstraint("job_id", name="pk_imports"),
    )
    op.create_table(
        "import_chunks",
        sa.Column("job_id", postgresql.UUID(as_uuid=True), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        _import_fk("import_chunks"),
        sa.PrimaryKeyConstraint("job_id", "seq", name="pk_import_chunks"),
    )
    op.create_table(
        "import_errors",
        sa.Column("job_id", postgresql.UUID(as_uuid=True), nullable=False),
        sa.Column("row", sa.BigInteger(), nullable=False),
        sa.Column("field", sa.String(length=200), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        _import_fk("import_errors"),
        sa.PrimaryKeyConstraint("job_id", "row", name="pk_import_errors"),
    )


def downgrade() -> None:
    op.drop_table("import_errors")
    op.drop_table("import_chunks")
    op.drop_table("imports")
