"""The import job's handler; it gets the runtime's sessions when the app starts."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from typing import Any

from fastapi import FastAPI

from contacts.entrypoints.runtime_settings import ContactsSettingsStore
from contacts.service_layer.import_handlers import RunImport, actor_of, run_import
from contacts.service_layer.unit_of_work import ContactsUnitOfWork
from contacts.settings import ContactsSettings
from treue.jobs import JobContext
from treue.service import ServiceRuntime


class ImportJobs:
    def __init__(self, settings: ContactsSettings, store: ContactsSettingsStore) -> None:
        self.settings = settings
        self.store = store
        self._runtime: ServiceRuntime | None = None

    @contextlib.asynccontextmanager
    async def bind(self, app: FastAPI, runtime: ServiceRuntime) -> AsyncIterator[None]:
        self._runtime = runtime
        try:
            yield
        finally:
            self._runtime = None

    def unit_of_work(self) -> ContactsUnitOfWork:
        if self._runtime is None:
            raise RuntimeError("the import job ran before the service started")
        return ContactsUnitOfWork(
            self._runtime.session_factory,
            self._runtime.tables,
            source=self.settings.service_name,
            topic=self.settings.topic("contacts"),
        )

    async def handle(self, context: JobContext) -> dict[str, Any]:
        if self._runtime is None:
            raise RuntimeError("the import job ran before the service started")
        rules = await self.store.current_in(self._runtime.session_factory)
        command = RunImport(
            job_id=context.job.id,
            actor=actor_of(context.job.params),
            batch_size=self.settings.import_batch_size,
            follow_up_after_days=rules.follow_up_after_days,
        )
        return await run_import(command, self.unit_of_work, context.report)
