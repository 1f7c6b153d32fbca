"""contacts: one index on lower(email) for uniqueness and the e-mail prefix search

The unique index on lower(email) and the search's covering prefix index on the same
expression are one now: unique, with text_pattern_ops (its equality is the same, and it
serves a prefix as a range) and the search's covering columns plus the two that tell an
active contact, so a search still reads ids and creation times from the index alone. A
bulk import maintains one btree fewer per new contact.

Revision ID: 0018
Revises: 0017
Create Date: 2026-11-29
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0018"
down_revision: str | None = "0017"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.execute(
        "CREATE UNIQUE INDEX uq_contacts_email_lower_covering ON contacts"
        " (lower(email) text_pattern_ops)"
        " INCLUDE (email, created_at, id, erased_at, merged_into_id)"
    )
    op.execute("DROP INDEX uq_contacts_email_lower")
    op.execute("DROP INDEX ix_contacts_email_prefix")
    op.execute("ALTER INDEX uq_contacts_email_lower_covering RENAME TO uq_contacts_email_lower")
    # As the prefix index had (migration 0011): sharper row estimates for prefixes.
    op.execute("ALTER INDEX uq_contacts_email_lower ALTER COLUMN 1 SET STATISTICS 1000")


def downgrade() -> None:
    op.execute(
        "CREATE INDEX ix_contacts_email_prefix ON contacts"
        " (lower(email) text_pattern_ops) INCLUDE (email, created_at, id)"
        " WHERE erased_at IS NULL AND merged_into_id IS NULL"
    )
    op.execute("ALTER INDEX ix_contacts_email_prefix ALTER COLUMN 1 SET STATISTICS 1000")
    op.execute("CREATE UNIQUE INDEX uq_contacts_email_lower_plain ON contacts (lower(email))")
    op.execute("DROP INDEX uq_contacts_email_lower")
    op.execute("ALTER INDEX uq_contacts_email_lower_plain RENAME TO uq_contacts_email_lower")
