"""revenue per hour and currency, and the product names: money figures in one reporting
currency, offers by name

`revenue_hours` summed every order's revenue whatever its currency, so a USD order went
into EUR figures as if dollars were euros. It is keyed by hour and currency now (refilled
here from the orders kept so far); the dashboard converts each currency by its exchange
rate, or leaves it out and says so.

`products` keeps each product's SKU and name from contacts-service's product events, so the
offers name what they offer.

Revision ID: 0018
Revises: 0017_recompute_in_place
Create Date: 2026-11-28
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import UUID

revision: str = "0018"
down_revision: str | None = "0017_recompute_in_place"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _refill(by_currency: bool) -> None:
    currency = ", currency" if by_currency else ""
    op.execute("DELETE FROM revenue_hours")
    op.execute(
        f"INSERT INTO revenue_hours (hour{currency}, revenue, orders)"  # noqa: S608
        f" SELECT date_trunc('hour', ordered_at, 'UTC'){currency}, sum(revenue), count(*)"
        f" FROM orders GROUP BY 1{', 2' if by_currency else ''}"
    )


def upgrade() -> None:
    op.add_column("revenue_hours", sa.Column("currency", sa.String(3)))
    _refill(by_currency=True)
    op.alter_column("revenue_hours", "currency", nullable=False)
    op.drop_constraint("pk_revenue_hours", "revenue_hours", type_="primary")
    op.create_primary_key("pk_revenue_hours", "revenue_hours", ["hour", "currency"])
    op.create_table(
        "products",
        sa.Column("product_id", UUID(as_uuid=True), primary_key=True),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("sku", sa.String(100), nullable=False),
        sa.Column("name", sa.String(300), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("products")
    op.drop_constraint("pk_revenue_hours", "revenue_hours", type_="primary")
    op.drop_column("revenue_hours", "currency")
    _refill(by_currency=False)
    op.create_primary_key("pk_revenue_hours", "revenue_hours", ["hour"])
