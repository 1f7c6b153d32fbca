from pydantic_settings import SettingsConfigDict

from treue.settings import ServiceSettings


class SurveySettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="TREUE_SURVEY_", extra="ignore")

    service_name: str = "survey"
    database_url: str = "postgresql+asyncpg://treue:treue@127.0.0.1:5433/survey"
    # The origin people open answer links on (the gateway serves /s/{token}).
    public_base_url: str = "http://127.0.0.1:8000"
    invitation_valid_days: int = 60
    response_edit_hours: int = 24
    feedback_case_sla_hours: int = 48
