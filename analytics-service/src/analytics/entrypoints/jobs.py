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
from analytics.domain.fitting import FitFailed
from analytics.entrypoints.dependencies import unit_of_work
from analytics.entrypoints.runtime_settings import AnalyticsSettingsStore, segmentation_rules
from analytics.service_layer.associations import ASSOCIATIONS, count_associations
from analytics.service_layer.clv_fit import CLV_FIT, FitClv, fit_clv, scheduled_fit
from analytics.service_layer.segmentation import RECOMPUTE, SegmentationRules, recompute
from analytics.settings import AnalyticsRuntimeSettings, AnalyticsSettings
from treue.jobs import JobContext, JobFailed, JobHandler, JobRepository
from treue.service import ServiceRuntime

log = structlog.get_logger("analytics.jobs")


class AnalyticsJobs:
    """The CLV fit, the segmentation recompute and the co-purchase associations."""

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
        try:
            return await fit_clv(
                context.job.id,
                command,
                runtime.session_factory,
                lambda: unit_of_work(runtime),
                segmentation_rules(values),
                context.report,
                values.money(),
            )
        except FitFailed as failure:
            raise JobFailed(str(failure)) from failure

    async def recompute(self, context: JobContext) -> dict[str, Any]:
        runtime, _ = self._bound()
        started = time.perf_counter()
        rules = await self._rules(runtime)
        async with unit_of_work(runtime) as uow:
            await recompute(uow, rules)
            await uow.commit()
        return {"duration_s": round(time.perf_counter() - started, 3)}

    async def associations(self, context: JobContext) -> dict[str, Any]:
        runtime, _ = self._bound()
        return await count_associations(lambda: unit_of_work(runtime), context.report)

    def handlers(self) -> dict[str, JobHandler]:
        return {CLV_FIT: self.fit, RECOMPUTE: self.recompute, ASSOCIATIONS: self.associations}


async def enqueue_due(
    runtime: ServiceRuntime, kind: str, every_hours: float, retry_hours: float
) -> bool:
    """Queue a scheduled job of `kind` when one is due (no run succeeded within
    every_hours, none started within retry_hours; so at once on a service that has never
    run one); the advisory lock lets one replica decide."""
    settings = runtime.settings
    async with runtime.session_factory() as session, session.begin():
        runs = ClvScheduleRepository(session, runtime.tables, kind)
        if not await runs.lock(f"{settings.service_name}:{kind}-schedule"):
            return False
        due = await runs.fit_due(timedelta(hours=every_hours), timedelta(hours=retry_hours))
        if due:
            assert isinstance(settings, AnalyticsSettings)
            params = scheduled_fit(settings).as_params() if kind == CLV_FIT else {}
            await JobRepository(session, runtime.tables).add(kind, params, "schedule")
        return due


async def _schedule(
    runtime: ServiceRuntime, kind: str, every_hours: float, retry_hours: float
) -> None:
    """The background loop of a scheduled job; runs until cancelled."""
    settings = runtime.settings
    assert isinstance(settings, AnalyticsSettings)
    if every_hours <= 0:
        return
    while True:
        try:
            if await enqueue_due(runtime, kind, every_hours, retry_hours):
                log.info("scheduled job queued", kind=kind)
        except asyncio.CancelledError:
            raise
        except Exception:
            log.exception("scheduling a job failed; trying again later", kind=kind)
        await asyncio.sleep(settings.clv_fit_check_seconds)


async def schedule_clv_fits(runtime: ServiceRuntime) -> None:
    settings = runtime.settings
    assert isinstance(settings, AnalyticsSettings)
    await _schedule(runtime, CLV_FIT, settings.clv_fit_every_hours, settings.clv_fit_retry_hours)


async def schedule_associations(runtime: ServiceRuntime) -> None:
    settings = runtime.settings
    assert isinstance(settings, AnalyticsSettings)
    await _schedule(
        runtime,
        ASSOCIATIONS,
        settings.associations_every_hours,
        settings.associations_retry_hours,
    )
