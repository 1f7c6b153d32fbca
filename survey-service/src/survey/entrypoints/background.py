"""The service's background loops: the mail sender (every replica; the queue's row locks
keep them apart)."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import structlog

from survey.adapters.smtp import SmtpMailer
from survey.entrypoints.dependencies import runtime_unit_of_work
from survey.service_layer.mail_handlers import send_next_mail
from survey.service_layer.policy import Policy
from survey.settings import SurveySettings
from treue.service import ServiceRuntime

log = structlog.get_logger("survey.background")


async def run_mail_sender(runtime: ServiceRuntime) -> None:
    """Sends due mails back to back, then waits `mail_poll_seconds`; runs until cancelled."""
    settings = runtime.settings
    assert isinstance(settings, SurveySettings)
    mailer = SmtpMailer.from_settings(settings)
    policy = Policy.from_settings(settings)
    while True:
        try:
            sent = await send_next_mail(
                runtime_unit_of_work(runtime), mailer, policy, datetime.now(UTC)
            )
        except asyncio.CancelledError:
            raise
        except Exception:
            log.exception("mail sender failed; trying again")
            sent = False
        if not sent:
            await asyncio.sleep(settings.mail_poll_seconds)
