"""The daily renewal job as a background loop: once at startup, then every
`renewal_check_seconds`. Each run takes an advisory lock, so one replica does the work."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import structlog

from contacts.service_layer.automatic_tasks import AnnounceRenewalsDue, announce_renewals_due
from contacts.service_layer.unit_of_work import ContactsUnitOfWork
from contacts.settings import ContactsSettings
from treue.service import ServiceRuntime

log = structlog.get_logger("contacts.renewal_job")


async def run_renewal_job(runtime: ServiceRuntime) -> None:
    """Runs until cancelled; a failed run is logged and tried again at the next turn."""
    settings = runtime.settings
    assert isinstance(settings, ContactsSettings)
    while True:
        uow = ContactsUnitOfWork(
            runtime.session_factory,
            runtime.tables,
            source=settings.service_name,
            topic=settings.topic("contacts"),
        )
        command = AnnounceRenewalsDue(datetime.now(UTC).date(), settings.renewal_window_days)
        try:
            announced = await announce_renewals_due(command, uow)
            log.info("renewal job ran", announced=announced)
        except asyncio.CancelledError:
            raise
        except Exception:
            log.exception("renewal job failed; trying again at the next turn")
        await asyncio.sleep(settings.renewal_check_seconds)
