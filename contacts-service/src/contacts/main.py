"""The contacts-service process: `uvicorn contacts.main:create_app --factory`."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator

from fastapi import FastAPI

from contacts.adapters.custom_field_definitions import DefinitionsCache
from contacts.adapters.orm import backbone, start_mappers
from contacts.entrypoints import (
    api,
    bulk_api,
    churn_api,
    contracts_api,
    custom_fields_api,
    duplicates_api,
    gdpr_api,
    imports_api,
    interactions_api,
    orders_api,
    products_api,
    runtime_settings,
    tasks_api,
    timeline_api,
)
from contacts.entrypoints.background_jobs import duplicate_scan_job, renewal_job
from contacts.entrypoints.bulk_jobs import bulk_job_handler
from contacts.entrypoints.events import event_handlers
from contacts.entrypoints.import_jobs import ImportJobs
from contacts.service_layer.bulk_handlers import BULK_JOB
from contacts.service_layer.import_handlers import IMPORT_JOB
from contacts.settings import ContactsSettings
from treue.admin import dead_letter_router
from treue.service import ServiceDefinition, ServiceRuntime, create_service_app


def create_app(settings: ContactsSettings | None = None) -> FastAPI:
    settings = settings or ContactsSettings()
    start_mappers()
    store = runtime_settings.settings_store(settings)
    imports = ImportJobs(settings, store)
    definitions = DefinitionsCache()

    @contextlib.asynccontextmanager
    async def resources(app: FastAPI, runtime: ServiceRuntime) -> AsyncIterator[None]:
        async with imports.bind(app, runtime), definitions.listening(settings.database_url):
            yield

    app = create_service_app(
        ServiceDefinition(
            title="Treue contacts-service",
            description="Contacts, interactions, orders, contracts, tasks, churn, import, GDPR.",
            settings=settings,
            tables=backbone,
            routers=[
                # Before api.router: /contacts/duplicates, /count and /bulk are no contact id.
                duplicates_api.router,
                bulk_api.router,
                api.router,
                gdpr_api.router,
                interactions_api.router,
                timeline_api.router,
                products_api.router,
                orders_api.router,
                contracts_api.router,
                tasks_api.router,
                churn_api.router,
                imports_api.router,
                custom_fields_api.router,
                dead_letter_router("contacts"),
                runtime_settings.router(store),
            ],
            event_handlers=event_handlers(settings, backbone),
            consumed_topics=[settings.topic("surveys"), settings.topic("analytics")],
            job_handlers={IMPORT_JOB: imports.handle, BULK_JOB: bulk_job_handler(imports)},
            background=[renewal_job(store), duplicate_scan_job()],
            resources=resources,
            runtime_settings=store,
        )
    )
    app.state.custom_field_definitions = definitions
    return app
