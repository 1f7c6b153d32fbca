"""the survey of each NPS answer, for promoter drivers per survey

Answers kept before this migration have none (their events carried it).

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-27
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("nps_responses", sa.Column("survey_id", postgresql.UUID(as_uuid=True)))


def downgrade() -> None:
    op.drop_column("nps_responses", "survey_id")
