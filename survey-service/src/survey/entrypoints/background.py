"""The service's background loops: the mail sender (every replica; the queue's row locks
keep them apart) and the scheduler of reminders and automatic invitations (every replica
tries; an advisory lock lets one do each turn)."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import structlog

from survey.adapters.smtp import SmtpMailer
from survey.entrypoints.dependencies import runtime_unit_of_work
from survey.service_layer.mail_handlers import send_next_mail
from survey.service_layer.policy import Policy
from survey.service_layer.schedule_handlers import run_schedule
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


async def run_scheduler(runtime: ServiceRuntime) -> None:
    """A turn at startup, then every `schedule_check_seconds`; runs until cancelled."""
    settings = runtime.settings
    assert isinstance(settings, SurveySettings)
    policy = Policy.from_settings(settings)
    while True:
        try:
            run = await run_schedule(runtime_unit_of_work(runtime), policy, datetime.now(UTC))
            if run.reminded or run.invited or run.skipped or run.purged:
                log.info(
                    "schedule ran",
                    reminded=run.reminded,
                    invited=run.invited,
                    skipped=run.skipped,
                    purged_mails=run.purged,
                )
        except asyncio.CancelledError:
            raise
        except Exception:
            log.exception("schedule failed; trying again at the next turn")
        await asyncio.sleep(settings.schedule_check_seconds)
