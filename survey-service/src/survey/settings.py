from typing import Any

from pydantic import ConfigDict, Field
from pydantic_settings import SettingsConfigDict

from treue.runtime_settings import RuntimeSettings
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
    # What a new survey gets when its creator leaves these out.
    default_quiet_period_days: int = 90
    default_reminder_after_days: int = 5
    default_max_reminders: int = 1
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


class SurveyRuntimeSettings(RuntimeSettings):
    """The survey rules an admin changes at run time (PUT /api/v1/settings/surveys); the
    environment variables above are their defaults."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "default_quiet_period_days": 90,
                    "default_reminder_after_days": 5,
                    "default_max_reminders": 1,
                    "feedback_case_sla_hours": 48,
                }
            ]
        }
    )

    default_quiet_period_days: int = Field(
        ge=0, le=3650, description="Quiet period of a new survey: days nobody is surveyed again"
    )
    default_reminder_after_days: int = Field(
        ge=1, le=60, description="Reminder delay of a new survey: days after an unanswered mail"
    )
    default_max_reminders: int = Field(
        ge=0, le=2, description="Reminders per unanswered invitation of a new survey (0-2)"
    )
    feedback_case_sla_hours: int = Field(
        ge=1, le=8760, description="A feedback case opened for a detractor is due this much later"
    )

    def survey_defaults(self) -> dict[str, Any]:
        """The fields a new survey takes from here when its creator leaves them out."""
        return {
            "quiet_period_days": self.default_quiet_period_days,
            "reminder_after_days": self.default_reminder_after_days,
            "max_reminders": self.default_max_reminders,
        }
