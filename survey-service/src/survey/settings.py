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
    # Invitation and reminder e-mails (the local SMTP sink of `make up` listens on 1025).
    smtp_host: str = "127.0.0.1"
    smtp_port: int = 1025
    smtp_username: str | None = None
    smtp_password: str | None = None
    smtp_use_tls: bool = False
    smtp_starttls: bool = False
    smtp_timeout_seconds: float = 10.0
    mail_from: str = "Treue <umfrage@treue.local>"
    mail_max_attempts: int = 6
    mail_retry_seconds: float = 30.0
    mail_poll_seconds: float = 2.0
    mail_retention_days: int = 30
    # How often reminders and automatic invitations are looked for.
    schedule_check_seconds: float = 60.0
