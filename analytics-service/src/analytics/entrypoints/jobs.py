"""Job handlers and the scheduler of analytics-service; they get the runtime's sessions when
the app starts (nothing is bound at import time)."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

import structlog
from fastapi import FastAPI
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from analytics.adapters.clv_repository import ClvScheduleRepository
from analytics.service_layer.clv_fit import CLV_FIT, FitClv, fit_clv
from analytics.settings import AnalyticsSettings
from treue.jobs import JobContext, JobRepository
from treue.service import ServiceRuntime

log = structlog.get_logger("analytics.jobs")


class ClvFitJobs:
    def __init__(self) -> None:
        self._session_factory: async_sessionmaker[AsyncSession] | None = None

    @contextlib.asynccontextmanager
    async def bind(self, app: FastAPI, runtime: ServiceRuntime) -> AsyncIterator[None]:
        self._session_factory = runtime.session_factory
        try:
            yield
        finally:
            self._session_factory = None

    async def handle(self, context: JobContext) -> dict[str, Any]:
        if self._session_factory is None:
            raise RuntimeError("the CLV fit job ran before the service started")
        command = FitClv.from_params(context.job.params)
        return await fit_clv(context.job.id, command, self._session_factory, context.report)


def scheduled_fit(settings: AnalyticsSettings) -> FitClv:
    return FitClv(
        as_of=datetime.now(UTC).date(),
        time_unit=settings.clv_time_unit,
        horizon_months=settings.clv_horizon_months,
        monthly_discount_rate=settings.clv_monthly_discount_rate,
    )


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
