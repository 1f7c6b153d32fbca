"""The survey rules an admin changes at run time (GET/PUT/DELETE /api/v1/settings/surveys)."""

from __future__ import annotations

from fastapi import APIRouter

from survey.adapters.orm import runtime_settings
from survey.settings import SurveyRuntimeSettings, SurveySettings
from treue.runtime_settings import RuntimeSettingsStore
from treue.runtime_settings_routes import runtime_settings_router

SurveySettingsStore = RuntimeSettingsStore[SurveyRuntimeSettings]
APPLIES = (
    "The defaults apply to surveys created afterwards (existing surveys keep their quiet "
    "period and reminders; PATCH /api/v1/surveys/{id} changes those); the case SLA to cases "
    "opened afterwards. Other replicas see a change within seconds."
)


def settings_store(settings: SurveySettings) -> SurveySettingsStore:
    return RuntimeSettingsStore.of_service(SurveyRuntimeSettings, settings, runtime_settings)


def router(store: SurveySettingsStore) -> APIRouter:
    return runtime_settings_router("surveys", store, applies=APPLIES)
