"""custom_fields: every change NOTIFYs treue_custom_fields

Each contacts-service process keeps the definitions between writes and forgets them when
it hears of a change (contacts.adapters.custom_field_definitions). A statement trigger
catches every way of changing them: the API of any replica, SQL, a TRUNCATE.

Revision ID: 0017
Revises: 0016
Create Date: 2026-11-28
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0017"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.execute(
        """
        CREATE FUNCTION notify_custom_field_changes() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            PERFORM pg_notify('treue_custom_fields', '');
            RETURN NULL;
        END
        $$
        """
    )
    op.execute(
        "CREATE TRIGGER custom_fields_changed"
        " AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON custom_fields"
        " FOR EACH STATEMENT EXECUTE FUNCTION notify_custom_field_changes()"
    )


def downgrade() -> None:
    op.execute("DROP TRIGGER custom_fields_changed ON custom_fields")
    op.execute("DROP FUNCTION notify_custom_field_changes()")
