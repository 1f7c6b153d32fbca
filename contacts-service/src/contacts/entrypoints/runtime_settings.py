"""The automatic-task rules an admin changes at run time (GET/PUT/DELETE
/api/v1/settings/contacts)."""

from __future__ import annotations

from fastapi import APIRouter

from contacts.adapters.orm import runtime_settings
from contacts.settings import ContactsRuntimeSettings, ContactsSettings
from treue.runtime_settings import RuntimeSettingsStore
from treue.runtime_settings_routes import runtime_settings_router

ContactsSettingsStore = RuntimeSettingsStore[ContactsRuntimeSettings]
APPLIES = (
    "The follow-up days apply to the next order recorded or imported (earlier follow-up tasks "
    "keep their due date); the renewal window to the next renewal run (daily, or POST "
    "/api/v1/contracts/renewal-runs). Other replicas see a change within seconds."
)


def settings_store(settings: ContactsSettings) -> ContactsSettingsStore:
    return RuntimeSettingsStore.of_service(ContactsRuntimeSettings, settings, runtime_settings)


def router(store: ContactsSettingsStore) -> APIRouter:
    return runtime_settings_router("contacts", store, applies=APPLIES)
