"""The analytics-service process: `uvicorn analytics.main:create_app --factory`."""

from __future__ import annotations

from fastapi import FastAPI

from analytics.adapters.orm import backbone
from analytics.entrypoints import api, clv_runs
from analytics.entrypoints.events import HANDLERS
from analytics.entrypoints.jobs import ClvFitJobs, schedule_clv_fits
from analytics.service_layer.clv_fit import CLV_FIT
from analytics.settings import AnalyticsSettings
from treue.admin import dead_letter_router
from treue.service import ServiceDefinition, create_service_app


def create_app(settings: AnalyticsSettings | None = None) -> FastAPI:
    settings = settings or AnalyticsSettings()
    clv_fits = ClvFitJobs()
    return create_service_app(
        ServiceDefinition(
            title="Treue analytics-service",
            description="Customer value, segments, churn risk and insights, learned from events.",
            settings=settings,
            tables=backbone,
            routers=[api.router, clv_runs.router, dead_letter_router("analytics")],
            event_handlers=HANDLERS,
            consumed_topics=[settings.topic("contacts"), settings.topic("surveys")],
            job_handlers={CLV_FIT: clv_fits.handle},
            background=[schedule_clv_fits],
            resources=clv_fits.bind,
        )
    )
