"""the contact indexes of orders and NPS answers cover what a segment's dashboard reads

The dashboard of a saved segment (GET /analytics/dashboard?segment_id=) probes, for each
member, the orders of a window by `(contact_id, ordered_at)` and the answers of a window by
`(contact_id, responded_at)`, and reads the revenue or the category of each. With those two
columns in the indexes the probes are index-only scans, with no visit to the table's pages.
The indexes keep their names and keys (every other reader uses them as before); each is
rebuilt with the column included.

Revision ID: 0020
Revises: 0019
Create Date: 2026-11-28
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0020"
down_revision: str | None = "0019"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# name: (table, key columns, included column)
_INDEXES = {
    "ix_orders_contact_id": ("orders", ["contact_id", "ordered_at"], "revenue"),
    "ix_nps_responses_contact_id": ("nps_responses", ["contact_id", "responded_at"], "category"),
}


def upgrade() -> None:
    for name, (table, columns, included) in _INDEXES.items():
        op.drop_index(name, table_name=table)
        op.create_index(name, table, columns, postgresql_include=[included])


def downgrade() -> None:
    for name, (table, columns, _) in _INDEXES.items():
        op.drop_index(name, table_name=table)
        op.create_index(name, table, columns)
