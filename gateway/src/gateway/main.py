"""The gateway process: `uvicorn gateway.main:create_app --factory`."""

from __future__ import annotations

from fastapi import FastAPI

from gateway.adapters.orm import backbone, start_mappers
from gateway.bootstrap import gateway_resources
from gateway.entrypoints import auth, docs, proxy
from gateway.settings import GatewaySettings
from treue.service import ServiceDefinition, create_service_app


def create_app(settings: GatewaySettings | None = None) -> FastAPI:
    settings = settings or GatewaySettings()
    start_mappers()
    return create_service_app(
        ServiceDefinition(
            title="Treue API",
            description="The one front door of Treue: authentication and every service's API.",
            settings=settings,
            tables=backbone,
            routers=[auth.router, docs.router, proxy.router],
            resources=gateway_resources,
            idempotency=False,
        )
    )
