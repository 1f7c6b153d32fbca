from analytics.adapters.orm import metadata
from analytics.settings import AnalyticsSettings
from treue.alembic_env import run_migrations

run_migrations(metadata, AnalyticsSettings().database_url)
