"""contacts-service's background loops: each runs once at startup, then every so many
seconds; a failed turn is logged and tried again at the next. Each turn takes an advisory
lock, so one replica does the work.
- the renewal job (daily): renewal tasks and `contract.renewal_due` for notice dates due;
- the duplicate scan (`duplicate_scan_seconds`): stores the likely duplicate pairs of the
  blocks changed since the last scan, so the whole base's list is read, not computed."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime

import structlog

from contacts.entrypoints.runtime_settings import ContactsSettingsStore
from contacts.service_layer.automatic_tasks import AnnounceRenewalsDue, announce_renewals_due
from contacts.service_layer.merge_handlers import scan_duplicates
from contacts.service_layer.unit_of_work import ContactsUnitOfWork
from contacts.settings import ContactsSettings
from treue.service import BackgroundLoop, ServiceRuntime

log = structlog.get_logger("contacts.background_jobs")

Turn = Callable[[ServiceRuntime, ContactsUnitOfWork], Awaitable[int | None]]


def _every(name: str, seconds: Callable[[ContactsSettings], float], turn: Turn) -> BackgroundLoop:
    async def run(runtime: ServiceRuntime) -> None:
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
                log.info(f"{name} ran", result=await turn(runtime, uow))
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception(f"{name} failed; trying again at the next turn")
            await asyncio.sleep(seconds(settings))

    return run


def renewal_job(store: ContactsSettingsStore) -> BackgroundLoop:
    """The renewal job, with the renewal window in force at each turn."""

    async def turn(runtime: ServiceRuntime, uow: ContactsUnitOfWork) -> int:
        rules = await store.current_in(runtime.session_factory)
        command = AnnounceRenewalsDue(datetime.now(UTC).date(), rules.renewal_window_days)
        return await announce_renewals_due(command, uow)

    return _every("renewal job", lambda settings: settings.renewal_check_seconds, turn)


def duplicate_scan_job() -> BackgroundLoop:
    async def turn(runtime: ServiceRuntime, uow: ContactsUnitOfWork) -> int | None:
        return await scan_duplicates(uow)

    return _every("duplicate scan", lambda settings: settings.duplicate_scan_seconds, turn)
