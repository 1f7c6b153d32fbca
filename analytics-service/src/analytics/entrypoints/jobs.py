"""Job handlers and the scheduler of analytics-service; they get the runtime's sessions when
the app starts (nothing is bound at import time)."""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Any

import structlog
from fastapi import FastAPI

from analytics.adapters.clv_repository import ClvScheduleRepository
from analytics.entrypoints.dependencies import unit_of_work
from analytics.entrypoints.runtime_settings import AnalyticsSettingsStore, segmentation_rules
from analytics.service_layer.clv_fit import CLV_FIT, FitClv, fit_clv, scheduled_fit
from analytics.service_layer.segmentation import RECOMPUTE, SegmentationRules, recompute
from analytics.settings import AnalyticsRuntimeSettings, AnalyticsSettings
from treue.jobs import JobContext, JobHandler, JobRepository
from treue.service import ServiceRuntime

log = structlog.get_logger("analytics.jobs")


class AnalyticsJobs:
    """The CLV fit and the segmentation recompute."""

    def __init__(self, store: AnalyticsSettingsStore) -> None:
        self._runtime: ServiceRuntime | None = None
        self._store = store

    @contextlib.asynccontextmanager
    async def bind(self, app: FastAPI, runtime: ServiceRuntime) -> AsyncIterator[None]:
        self._runtime = runtime
        try:
            yield
        finally:
            self._runtime = None

    def _bound(self) -> tuple[ServiceRuntime, AnalyticsSettings]:
        if self._runtime is None:
            raise RuntimeError("an analytics job ran before the service started")
        settings = self._runtime.settings
        assert isinstance(settings, AnalyticsSettings)
        return self._runtime, settings

    async def _values(self, runtime: ServiceRuntime) -> AnalyticsRuntimeSettings:
        # Uncached: the job a settings change queued may run on another replica.
        async with runtime.session_factory() as session:
            return (await self._store.read(session)).values

    async def _rules(self, runtime: ServiceRuntime) -> SegmentationRules:
        return segmentation_rules(await self._values(runtime))

    async def fit(self, context: JobContext) -> dict[str, Any]:
        runtime, _ = self._bound()
        command = FitClv.from_params(context.job.params)
        values = await self._values(runtime)
        return await fit_clv(
            context.job.id,
            command,
            runtime.session_factory,
            lambda: unit_of_work(runtime),
            segmentation_rules(values),
            context.report,
            values.money(),
        )

    async def recompute(self, context: JobContext) -> dict[str, Any]:
        runtime, _ = self._bound()
        started = time.perf_counter()
        rules = await self._rules(runtime)
        async with unit_of_work(runtime) as uow:
            await recompute(uow, rules)
            await uow.commit()
        return {"duration_s": round(time.perf_counter() - started, 3)}

    def handlers(self) -> dict[str, JobHandler]:
        return {CLV_FIT: self.fit, RECOMPUTE: self.recompute}


async def enqueue_due_fit(runtime: ServiceRuntime, settings: AnalyticsSettings) -> bool:
    """Queue a scheduled fit when one is due; the advisory lock lets one replica decide."""
    async with runtime.session_factory() as session, session.begin():
        runs = ClvScheduleRepository(session, runtime.tables, CLV_FIT)
        if not await runs.lock(f"{settings.service_name}:clv-schedule"):
            return False
        due = await runs.fit_due(
            timedelta(hours=settings.clv_fit_every_hours),
            timedelta(hours=settings.clv_fit_retry_hours),
        )
        if due:
            await JobRepository(session, runtime.tables).add(
                CLV_FIT, scheduled_fit(settings).as_params(), "schedule"
            )
        return due


async def schedule_clv_fits(runtime: ServiceRuntime) -> None:
    """The background loop of the scheduled fit; runs until cancelled."""
    settings = runtime.settings
    assert isinstance(settings, AnalyticsSettings)
    if settings.clv_fit_every_hours <= 0:
        return
    while True:
        try:
            if await enqueue_due_fit(runtime, settings):
                log.info("scheduled CLV fit queued")
        except asyncio.CancelledError:
            raise
        except Exception:
            log.exception("scheduling the CLV fit failed; trying again later")
        await asyncio.sleep(settings.clv_fit_check_seconds)
