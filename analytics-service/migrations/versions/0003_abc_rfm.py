"""ABC classes and RFM scores on the customer read model

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-27
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

RFM = ("rfm_recency", "rfm_frequency", "rfm_monetary")


def upgrade() -> None:
    op.add_column("customers", sa.Column("abc_class", sa.String(length=1), nullable=True))
    for name in RFM:
        op.add_column("customers", sa.Column(name, sa.SmallInteger(), nullable=True))
    op.add_column("customers", sa.Column("rfm", sa.String(length=3), nullable=True))
    op.create_index("ix_customers_abc_class", "customers", ["abc_class", "contact_id"])
    op.create_index("ix_customers_rfm", "customers", ["rfm", "contact_id"])


def downgrade() -> None:
    op.drop_index("ix_customers_rfm", table_name="customers")
    op.drop_index("ix_customers_abc_class", table_name="customers")
    for name in ("rfm", *RFM, "abc_class"):
        op.drop_column("customers", name)
