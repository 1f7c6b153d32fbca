"""historical customer value and CLV predictions; orders and interactions as seen

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-27
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

MONEY = sa.Numeric(precision=14, scale=2)


def upgrade() -> None:
    op.add_column("customers", sa.Column("currency", sa.String(length=3), nullable=True))
    for name in ("revenue", "cost", "service_cost"):
        op.add_column("customers", sa.Column(name, MONEY, server_default="0", nullable=False))
    op.add_column(
        "customers",
        sa.Column("margin", MONEY, sa.Computed("revenue - cost", persisted=True), nullable=False),
    )
    op.add_column(
        "customers",
        sa.Column(
            "net_value",
            MONEY,
            sa.Computed(
                "revenue - cost - service_cost - COALESCE(acquisition_cost, 0)", persisted=True
            ),
            nullable=False,
        ),
    )
    op.add_column(
        "customers", sa.Column("orders", sa.Integer(), server_default="0", nullable=False)
    )
    op.add_column("customers", sa.Column("first_order_at", sa.DateTime(timezone=True)))
    op.add_column("customers", sa.Column("last_order_at", sa.DateTime(timezone=True)))
    op.add_column("customers", sa.Column("clv", MONEY, nullable=True))
    op.add_column("customers", sa.Column("expected_purchases_12m", sa.Float(), nullable=True))
    op.add_column("customers", sa.Column("p_alive", sa.Float(), nullable=True))
    op.add_column("customers", sa.Column("clv_run_id", postgresql.UUID(as_uuid=True)))
    op.create_index("ix_customers_net_value", "customers", ["net_value", "contact_id"])
    op.create_table(
        "orders",
        sa.Column("order_id", postgresql.UUID(as_uuid=True), nullable=False),
        sa.Column("contact_id", postgresql.UUID(as_uuid=True), nullable=False),
        sa.Column("ordered_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("revenue", MONEY, nullable=False),
        sa.Column("cost", MONEY, nullable=False),
        sa.PrimaryKeyConstraint("order_id", name="pk_orders"),
    )
    op.create_index("ix_orders_contact_id", "orders", ["contact_id", "ordered_at"])
    op.create_table(
        "interactions",
        sa.Column("interaction_id", postgresql.UUID(as_uuid=True), nullable=False),
        sa.Column("contact_id", postgresql.UUID(as_uuid=True), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("sentiment", sa.String(length=20), nullable=True),
        sa.Column("occurred_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("cost", MONEY, nullable=True),
        sa.PrimaryKeyConstraint("interaction_id", name="pk_interactions"),
    )
    op.create_index("ix_interactions_contact_id", "interactions", ["contact_id", "occurred_at"])


def downgrade() -> None:
    op.drop_table("interactions")
    op.drop_table("orders")
    op.drop_index("ix_customers_net_value", table_name="customers")
    for name in (
        "clv_run_id",
        "p_alive",
        "expected_purchases_12m",
        "clv",
        "last_order_at",
        "first_order_at",
        "orders",
        "net_value",
        "margin",
        "service_cost",
        "cost",
        "revenue",
        "currency",
    ):
        op.drop_column("customers", name)
