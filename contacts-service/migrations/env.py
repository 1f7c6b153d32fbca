from contacts.adapters.orm import metadata
from contacts.settings import ContactsSettings
from treue.alembic_env import run_migrations

run_migrations(metadata, ContactsSettings().database_url)
