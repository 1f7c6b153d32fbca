"""The analytics-service process: `uvicorn analytics.main:create_app --factory`."""

from __future__ import annotations

from fastapi import FastAPI

from analytics.adapters.orm import backbone
from analytics.entrypoints import (
    api,
    association_runs,
    clv_runs,
    insights_api,
    personal_data_api,
    runtime_settings,
    segments_api,
)
from analytics.entrypoints.events import event_handlers
from analytics.entrypoints.jobs import AnalyticsJobs, schedule_associations, schedule_clv_fits
from analytics.settings import AnalyticsSettings
from treue.admin import dead_letter_router
from treue.service import ServiceDefinition, create_service_app


def create_app(settings: AnalyticsSettings | None = None) -> FastAPI:
    settings = settings or AnalyticsSettings()
    store = runtime_settings.settings_store(settings)
    jobs = AnalyticsJobs(store)
    return create_service_app(
        ServiceDefinition(
            title="Treue analytics-service",
            description="Customer value, segments, churn risk and insights, learned from events.",
            settings=settings,
            tables=backbone,
            routers=[
                api.router,
                personal_data_api.router,
                clv_runs.router,
                association_runs.router,
                segments_api.router,
                insights_api.router,
                dead_letter_router("analytics"),
                runtime_settings.router(store, settings),
            ],
            event_handlers=event_handlers(settings, backbone, store),
            consumed_topics=[settings.topic("contacts"), settings.topic("surveys")],
            job_handlers=jobs.handlers(),
            background=[schedule_clv_fits, schedule_associations],
            resources=jobs.bind,
            runtime_settings=store,
        )
    )
