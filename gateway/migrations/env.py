from gateway.adapters.orm import metadata
from gateway.settings import GatewaySettings
from treue.alembic_env import run_migrations

run_migrations(metadata, GatewaySettings().database_url)
