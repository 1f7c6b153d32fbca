"""tasks: title_code and title_params, so each reader sees an automatic title in their language

An automatic task's `title` is written once, in the contact's language. `title_code` (the
origin that wrote it) and `title_params` (its values) let the SPA show it in the reader's.

Existing automatic tasks are backfilled from their title where it is still the generated
one (German or English wording of 0003's titles); a title someone rewrote, or the erased
marker, matches no pattern and keeps no code, as new tasks do once their title is edited.

Revision ID: 0014
Revises: 0013
Create Date: 2026-11-28
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The generated titles as they were written up to this revision, in both languages.
ORDER = r"^(?:Nachfassen: Bestellung|Follow up: order) (.+)$"
RENEWAL = (
    r"^(?:Verlängerung: Vertrag endet am|Renewal: contract ends on) (\d{4}-\d{2}-\d{2}), "
    r"(?:Kündigungsfrist|notice date) (\d{4}-\d{2}-\d{2})$"
)
DETRACTOR = r"^(?:Rückruf: Detraktor \(Score|Call back: detractor \(score) (\d+)\)$"


def upgrade() -> None:
    op.add_column("tasks", sa.Column("title_code", sa.String(length=30), nullable=True))
    op.add_column("tasks", sa.Column("title_params", JSONB(), nullable=True))
    backfill = sa.text(
        """
        UPDATE tasks SET title_code = origin, title_params = CASE origin
            WHEN 'order_follow_up' THEN jsonb_build_object(
                'order', (regexp_match(title, :order))[1])
            WHEN 'renewal' THEN jsonb_build_object(
                'end_date', (regexp_match(title, :renewal))[1],
                'notice_date', (regexp_match(title, :renewal))[2])
            ELSE jsonb_build_object(
                'score', ((regexp_match(title, :detractor))[1])::int)
            END
        WHERE (origin = 'order_follow_up' AND title ~ :order)
           OR (origin = 'renewal' AND title ~ :renewal)
           OR (origin = 'detractor_call_back' AND title ~ :detractor)
        """
    )
    op.get_bind().execute(backfill, {"order": ORDER, "renewal": RENEWAL, "detractor": DETRACTOR})


def downgrade() -> None:
    op.drop_column("tasks", "title_params")
    op.drop_column("tasks", "title_code")
