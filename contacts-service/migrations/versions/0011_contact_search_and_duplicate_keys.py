"""contacts: prefix search on btree indexes, duplicate blocking keys, fewer trigram indexes

Search by a word's prefix now runs on btree indexes of lower(column) with text_pattern_ops
(the database's collation is not C) that cover the id and creation time of active contacts.
Duplicate detection compares contacts only within blocks that share a key (normalized
e-mail, phone digits, last-name soundex with the first initial, company with last-name
soundex), each an expression index. The trigram indexes of first name and e-mail served
only the old contains-search and the old duplicate prefilter: dropped, each cost a bulk
import more than all the new btree indexes together.

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-27
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

PREFIX_COLUMNS = ("first_name", "last_name", "email", "company")
ACTIVE = "erased_at IS NULL AND merged_into_id IS NULL"
PHONE_DIGITS = "regexp_replace(phone, '\\D', '', 'g')"
KEYS = {
    "email_key": ("regexp_replace(lower(email), '\\+[^@]*@', '@')", "email IS NOT NULL"),
    "phone_key": (f"right({PHONE_DIGITS}, 9)", f"length({PHONE_DIGITS}) >= 6"),
    "name_key": ("(soundex(last_name) || left(lower(first_name), 1))", None),
    "company_key": (
        "(lower(company) || '|' || soundex(last_name))",
        "company IS NOT NULL",
    ),
}
DROPPED_TRIGRAMS = ("first_name", "email")


def upgrade() -> None:
    op.execute("CREATE EXTENSION IF NOT EXISTS fuzzystrmatch")
    # Covering and partial: a search reads the matching active contacts' ids and creation
    # times from the index alone (index-only scan), the table only for the page it shows.
    for column in PREFIX_COLUMNS:
        op.execute(
            f"CREATE INDEX ix_contacts_{column}_prefix ON contacts"
            f" (lower({column}) text_pattern_ops) INCLUDE ({column}, created_at, id)"
            f" WHERE {ACTIVE}"
        )
    for name, (expression, where) in KEYS.items():
        condition = f" WHERE {where}" if where else ""
        op.execute(f"CREATE INDEX ix_contacts_{name} ON contacts ({expression}){condition}")
    for column in DROPPED_TRIGRAMS:
        op.execute(f"DROP INDEX ix_contacts_{column}_trgm")
    # Sharper row estimates for prefixes and infixes: 1,000 histogram buckets (a prefix
    # is estimated from its expression index's statistics, an infix from the column's).
    for column in PREFIX_COLUMNS:
        op.execute(f"ALTER INDEX ix_contacts_{column}_prefix ALTER COLUMN 1 SET STATISTICS 1000")
        op.execute(f"ALTER TABLE contacts ALTER COLUMN {column} SET STATISTICS 1000")


def downgrade() -> None:
    for column in PREFIX_COLUMNS:
        op.execute(f"ALTER TABLE contacts ALTER COLUMN {column} SET STATISTICS -1")
    for column in DROPPED_TRIGRAMS:
        op.execute(
            f"CREATE INDEX ix_contacts_{column}_trgm ON contacts USING gin ({column} gin_trgm_ops)"
        )
    for name in KEYS:
        op.execute(f"DROP INDEX ix_contacts_{name}")
    for column in PREFIX_COLUMNS:
        op.execute(f"DROP INDEX ix_contacts_{column}_prefix")
