from pydantic_settings import SettingsConfigDict

from treue.settings import ServiceSettings


class SurveySettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="TREUE_SURVEY_", extra="ignore")

    service_name: str = "survey"
    database_url: str = "postgresql+asyncpg://treue:treue@127.0.0.1:5433/survey"
