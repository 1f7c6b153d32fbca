"""order lines by product, for offer margins and co-purchases; orders by time, for trends

Orders recorded before this migration have no lines here: their events carried them, but
analytics did not keep them (a replay of the contacts topic would fill them in).

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-27
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "order_lines",
        sa.Column("order_id", postgresql.UUID(as_uuid=True), nullable=False),
        sa.Column("line_no", sa.Integer(), nullable=False),
        sa.Column("contact_id", postgresql.UUID(as_uuid=True), nullable=False),
        sa.Column("ordered_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("product_id", postgresql.UUID(as_uuid=True), nullable=False),
        sa.Column("sku", sa.String(length=100), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("quantity", sa.Numeric(12, 3), nullable=False),
        sa.Column("revenue", sa.Numeric(14, 2), nullable=False),
        sa.Column("cost", sa.Numeric(14, 2), nullable=False),
        sa.PrimaryKeyConstraint("order_id", "line_no", name="pk_order_lines"),
    )
    op.create_index("ix_order_lines_contact_id", "order_lines", ["contact_id"])
    op.create_index("ix_order_lines_product_id", "order_lines", ["product_id", "ordered_at"])
    op.create_index("ix_order_lines_ordered_at", "order_lines", ["ordered_at"])
    op.create_index("ix_orders_ordered_at", "orders", ["ordered_at"])


def downgrade() -> None:
    op.drop_index("ix_orders_ordered_at", table_name="orders")
    op.drop_table("order_lines")
