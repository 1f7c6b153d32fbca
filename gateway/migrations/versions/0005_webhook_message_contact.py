"""the contact a webhook message is about, so an erasure can delete it

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-27
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column(
        "webhook_messages",
        sa.Column("contact_id", postgresql.UUID(as_uuid=True), nullable=True),
    )
    op.create_index("ix_webhook_messages_contact_id", "webhook_messages", ["contact_id"])


def downgrade() -> None:
    op.drop_index("ix_webhook_messages_contact_id", table_name="webhook_messages")
    op.drop_column("webhook_messages", "contact_id")
