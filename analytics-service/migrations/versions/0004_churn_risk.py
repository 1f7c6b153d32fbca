"""churn risk on the customer read model; contracts and NPS responses as seen

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-27
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("customers", sa.Column("churn_risk", sa.Float(), nullable=True))
    op.add_column("customers", sa.Column("churn_drivers", postgresql.ARRAY(sa.String(length=40))))
    op.add_column(
        "customers",
        sa.Column("churn_alerted", sa.Boolean(), server_default="false", nullable=False),
    )
    op.add_column("customers", sa.Column("churned_at", sa.DateTime(timezone=True)))
    op.add_column("customers", sa.Column("won_back_at", sa.DateTime(timezone=True)))
    op.create_index("ix_customers_churn_risk", "customers", ["churn_risk", "contact_id"])
    op.create_table(
        "contracts",
        sa.Column("contract_id", postgresql.UUID(as_uuid=True), nullable=False),
        sa.Column("contact_id", postgresql.UUID(as_uuid=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("end_date", sa.Date(), nullable=False),
        sa.Column("auto_renew", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("contract_id", name="pk_contracts"),
    )
    op.create_index("ix_contracts_contact_id", "contracts", ["contact_id"])
    op.create_table(
        "nps_responses",
        sa.Column("response_id", postgresql.UUID(as_uuid=True), nullable=False),
        sa.Column("contact_id", postgresql.UUID(as_uuid=True), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("category", sa.String(length=20), nullable=False),
        sa.Column("responded_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("response_id", name="pk_nps_responses"),
    )
    op.create_index("ix_nps_responses_contact_id", "nps_responses", ["contact_id", "responded_at"])


def downgrade() -> None:
    op.drop_table("nps_responses")
    op.drop_table("contracts")
    op.drop_index("ix_customers_churn_risk", table_name="customers")
    for name in ("won_back_at", "churned_at", "churn_alerted", "churn_drivers", "churn_risk"):
        op.drop_column("customers", name)
