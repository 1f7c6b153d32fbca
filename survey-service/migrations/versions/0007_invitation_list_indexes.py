"""indexes of the invitation list: per survey newest first, and its automatic origin

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-27
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Replaces the survey_id index: the new one serves the same lookups and the page order.
    op.drop_index("ix_invitations_survey_id", table_name="invitations")
    op.create_index(
        "ix_invitations_survey_id_created_at_id",
        "invitations",
        ["survey_id", "created_at", "id"],
        unique=False,
    )
    op.create_index(
        "ix_scheduled_invitations_invitation_id",
        "scheduled_invitations",
        ["invitation_id"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index("ix_scheduled_invitations_invitation_id", table_name="scheduled_invitations")
    op.drop_index("ix_invitations_survey_id_created_at_id", table_name="invitations")
    op.create_index("ix_invitations_survey_id", "invitations", ["survey_id"], unique=False)
