"""interactions, products, orders and their lines

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-28
"""

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _uuid(name: str) -> sa.Column[Any]:
    return sa.Column(name, postgresql.UUID(as_uuid=True), nullable=False)


def _money(name: str, nullable: bool = False) -> sa.Column[Any]:
    return sa.Column(name, sa.Numeric(precision=14, scale=2), nullable=nullable)


def _timestamp(name: str) -> sa.Column[Any]:
    return sa.Column(name, sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False)


def upgrade() -> None:
    op.create_table(
        "interactions",
        _uuid("id"),
        _uuid("contact_id"),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("direction", sa.String(length=20), nullable=True),
        sa.Column("channel", sa.String(length=100), nullable=True),
        sa.Column("subject", sa.String(length=500), nullable=True),
        sa.Column("body", sa.Text(), nullable=True),
        sa.Column("occurred_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sentiment", sa.String(length=20), nullable=True),
        _money("cost", nullable=True),
        sa.Column("currency", sa.String(length=3), nullable=True),
        _timestamp("created_at"),
        sa.ForeignKeyConstraint(
            ["contact_id"], ["contacts.id"], name="fk_interactions_contact_id_contacts"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_interactions"),
    )
    op.create_index(
        "ix_interactions_contact_occurred_at_id",
        "interactions",
        ["contact_id", "occurred_at", "id"],
    )
    op.create_table(
        "products",
        _uuid("id"),
        sa.Column("sku", sa.String(length=100), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        _money("price"),
        _money("unit_cost"),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("active", sa.Boolean(), server_default="true", nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        _timestamp("created_at"),
        _timestamp("updated_at"),
        sa.PrimaryKeyConstraint("id", name="pk_products"),
        sa.UniqueConstraint("sku", name="uq_products_sku"),
    )
    op.create_table(
        "orders",
        _uuid("id"),
        _uuid("contact_id"),
        sa.Column("external_id", sa.String(length=200), nullable=True),
        sa.Column("ordered_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        _money("revenue"),
        _money("cost"),
        _timestamp("created_at"),
        sa.ForeignKeyConstraint(
            ["contact_id"], ["contacts.id"], name="fk_orders_contact_id_contacts"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_orders"),
    )
    op.create_index("uq_orders_external_id", "orders", ["external_id"], unique=True)
    op.create_index("ix_orders_contact_ordered_at_id", "orders", ["contact_id", "ordered_at", "id"])
    op.create_index("ix_orders_ordered_at_id", "orders", ["ordered_at", "id"])
    op.create_table(
        "order_lines",
        _uuid("order_id"),
        sa.Column("line_no", sa.Integer(), nullable=False),
        _uuid("product_id"),
        sa.Column("sku", sa.String(length=100), nullable=False),
        sa.Column("quantity", sa.Numeric(precision=12, scale=3), nullable=False),
        _money("unit_price"),
        _money("unit_cost"),
        sa.ForeignKeyConstraint(
            ["order_id"], ["orders.id"], name="fk_order_lines_order_id_orders", ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["product_id"], ["products.id"], name="fk_order_lines_product_id_products"
        ),
        sa.PrimaryKeyConstraint("order_id", "line_no", name="pk_order_lines"),
    )
    op.create_index("ix_order_lines_product_id", "order_lines", ["product_id"])


def downgrade() -> None:
    for table in ("order_lines", "orders", "products", "interactions"):
        op.drop_table(table)
