"""The survey-service process: `uvicorn survey.main:create_app --factory`."""

from __future__ import annotations

from fastapi import FastAPI

from survey.adapters.orm import backbone
from survey.settings import SurveySettings
from treue.admin import dead_letter_router
from treue.service import ServiceDefinition, create_service_app


def create_app(settings: SurveySettings | None = None) -> FastAPI:
    settings = settings or SurveySettings()
    return create_service_app(
        ServiceDefinition(
            title="Treue survey-service",
            description="NPS surveys, invitations, responses, feedback cases and comment themes.",
            settings=settings,
            tables=backbone,
            routers=[dead_letter_router("survey")],
        )
    )
