"""The service's configurable rules, taken from the settings, handed to the handlers."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import timedelta

from survey.settings import SurveyRuntimeSettings, SurveySettings
from treue.problems import Problem


@dataclass(frozen=True)
class Policy:
    invitation_valid_days: int = 60
    edit_window: timedelta = timedelta(hours=24)
    case_sla: timedelta = timedelta(hours=48)
    public_base_url: str = "http://127.0.0.1:8000"
    mail_max_attempts: int = 6
    mail_retry: timedelta = timedelta(seconds=30)
    mail_retention: timedelta = timedelta(days=30)

    @classmethod
    def from_settings(cls, settings: SurveySettings) -> Policy:
        return cls(
            invitation_valid_days=settings.invitation_valid_days,
            edit_window=timedelta(hours=settings.response_edit_hours),
            case_sla=timedelta(hours=settings.feedback_case_sla_hours),
            public_base_url=settings.public_base_url,
            mail_max_attempts=settings.mail_max_attempts,
            mail_retry=timedelta(seconds=settings.mail_retry_seconds),
            mail_retention=timedelta(days=settings.mail_retention_days),
        )

    def with_rules(self, rules: SurveyRuntimeSettings) -> Policy:
        """With the rules an admin may change at run time (the case SLA)."""
        return replace(self, case_sla=timedelta(hours=rules.feedback_case_sla_hours))

    def answer_url(self, token: str) -> str:
        """The public answer page of an invitation (the gateway serves /s/{token})."""
        return f"{self.public_base_url.rstrip('/')}/s/{token}"


class Gone(Problem):
    status, slug, title = 410, "gone", "No longer available"
