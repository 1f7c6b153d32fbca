"""The survey-service process: `uvicorn survey.main:create_app --factory`."""

from __future__ import annotations

from fastapi import FastAPI

from survey.adapters.orm import backbone, start_mappers
from survey.entrypoints import (
    background,
    cases_api,
    contact_data_api,
    events,
    public_api,
    responses_api,
    runtime_settings,
    surveys_api,
)
from survey.settings import SurveySettings
from treue.admin import dead_letter_router
from treue.events.contracts import (
    ContactCreatedV1,
    ContactErasedV1,
    ContactMergedV1,
    ContactUpdatedV1,
    ContractRenewalDueV1,
    OrderRecordedV1,
    SegmentChangedV1,
)
from treue.inbox import Handler
from treue.service import ServiceDefinition, create_service_app

EVENT_HANDLERS: dict[str, Handler] = {
    ContactCreatedV1.event_type: events.on_contact_created,
    ContactUpdatedV1.event_type: events.on_contact_updated,
    OrderRecordedV1.event_type: events.on_order_recorded,
    ContractRenewalDueV1.event_type: events.on_renewal_due,
    SegmentChangedV1.event_type: events.on_segment_changed,
    ContactErasedV1.event_type: events.on_contact_erased,
    ContactMergedV1.event_type: events.on_contact_merged,
}


def create_app(settings: SurveySettings | None = None) -> FastAPI:
    settings = settings or SurveySettings()
    start_mappers()
    store = runtime_settings.settings_store(settings)
    return create_service_app(
        ServiceDefinition(
            title="Treue survey-service",
            description="NPS surveys, invitations, responses, feedback cases and comment themes.",
            settings=settings,
            tables=backbone,
            routers=[
                surveys_api.router,
                responses_api.router,
                public_api.router,
                cases_api.router,
                contact_data_api.router,
                dead_letter_router("survey"),
                runtime_settings.router(store),
            ],
            event_handlers=EVENT_HANDLERS,
            consumed_topics=[settings.topic("contacts"), settings.topic("analytics")],
            background=[background.run_mail_sender, background.run_scheduler],
            runtime_settings=store,
        )
    )
