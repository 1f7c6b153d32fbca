from survey.adapters.orm import metadata
from survey.settings import SurveySettings
from treue.alembic_env import run_migrations

run_migrations(metadata, SurveySettings().database_url)
