"""The daily renewal job as a background loop: once at startup, then every
`renewal_check_seconds`. Each run takes an advisory lock, so one replica does the work."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import structlog

from contacts.entrypoints.runtime_settings import ContactsSettingsStore
from contacts.service_layer.automatic_tasks import AnnounceRenewalsDue, announce_renewals_due
from contacts.service_layer.unit_of_work import ContactsUnitOfWork
from contacts.settings import ContactsSettings
from treue.service import BackgroundLoop, ServiceRuntime

log = structlog.get_logger("contacts.renewal_job")


def renewal_job(store: ContactsSettingsStore) -> BackgroundLoop:
    """The loop, with the renewal window in force at each turn."""

    async def run(runtime: ServiceRuntime) -> None:
        await run_renewal_job(runtime, store)

    return run


async def run_renewal_job(runtime: ServiceRuntime, store: ContactsSettingsStore) -> None:
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
        try:
            rules = await store.current_in(runtime.session_factory)
            command = AnnounceRenewalsDue(datetime.now(UTC).date(), rules.renewal_window_days)
            announced = await announce_renewals_due(command, uow)
            log.info("renewal job ran", announced=announced)
        except asyncio.CancelledError:
            raise
        except Exception:
            log.exception("renewal job failed; trying again at the next turn")
        await asyncio.sleep(settings.renewal_check_seconds)
