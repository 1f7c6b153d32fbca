"""One OpenAPI document for the whole API, merged from the gateway's and every service's."""

from __future__ import annotations

import asyncio
import copy
import time
from importlib.resources import files
from typing import Any

import httpx
import structlog
from fastapi import APIRouter, FastAPI, Request
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

from gateway.adapters.upstreams import ReplicaSet
from gateway.entrypoints.access import PUBLIC_PATHS

router = APIRouter(include_in_schema=False)
log = structlog.get_logger("gateway.docs")
CACHE_SECONDS = 30.0
STATIC_PATH = "/api/docs/static"
_cache: dict[str, Any] = {}


async def _service_document(client: httpx.AsyncClient, name: str, url: str) -> dict[str, Any]:
    try:
        answer = await client.get(f"{url}/openapi.json", timeout=5.0)
        answer.raise_for_status()
        document: dict[str, Any] = answer.json()
        return document
    except (httpx.HTTPError, ValueError) as error:
        log.warning("service OpenAPI unavailable", service=name, error=str(error))
        return {}


def merge(own: dict[str, Any], services: dict[str, dict[str, Any]]) -> dict[str, Any]:
    # Copies: the documents are FastAPI's cached schemas, and public paths get edited below.
    own, services = copy.deepcopy(own), copy.deepcopy(services)
    merged: dict[str, Any] = {
        **own,
        "info": {**own["info"], "title": "Treue API"},
        "paths": {},
        "components": {"schemas": {}, "securitySchemes": {}},
    }
    missing = [name for name, document in services.items() if not document]
    if missing:
        merged["info"]["description"] += (
            f"\n\nNot listed right now (service unreachable): {', '.join(missing)}."
        )
    # The gateway's own last: a path it answers itself (the cross-service contact export)
    # replaces the service's route it hides.
    for document in [*services.values(), own]:
        for path, operations in document.get("paths", {}).items():
            if path.startswith("/api/"):
                merged["paths"][path] = operations
        merged["components"]["schemas"].update(document.get("components", {}).get("schemas", {}))
    merged["components"]["securitySchemes"]["bearer"] = {
        "type": "http",
        "scheme": "bearer",
        "description": "A login access token (POST /api/v1/auth/login) or an API key.",
    }
    merged["security"] = [{"bearer": []}]
    for path, operations in merged["paths"].items():
        if path.startswith(PUBLIC_PATHS):
            for operation in operations.values():
                operation["security"] = []
    return merged


@router.get("/api/v1/openapi.json")
async def openapi(request: Request) -> dict[str, Any]:
    if _cache and time.monotonic() - _cache["at"] < CACHE_SECONDS:
        cached: dict[str, Any] = _cache["document"]
        return cached
    # One replica per service: the next in turn, unless it is marked down.
    replicas: dict[str, ReplicaSet] = request.app.state.upstreams
    upstreams = {name: replica_set.attempt_order()[0] for name, replica_set in replicas.items()}
    client: httpx.AsyncClient = request.app.state.http
    documents = await asyncio.gather(
        *(_service_document(client, name, url) for name, url in upstreams.items())
    )
    document = merge(request.app.openapi(), dict(zip(upstreams, documents, strict=True)))
    if all(documents):
        _cache.update(at=time.monotonic(), document=document)
    return document


@router.get("/api/docs")
async def docs() -> HTMLResponse:
    # Assets served from the gateway itself: the docs work offline and call no third party.
    return get_swagger_ui_html(
        openapi_url="/api/v1/openapi.json",
        title="Treue API",
        swagger_js_url=f"{STATIC_PATH}/swagger-ui-bundle.js",
        swagger_css_url=f"{STATIC_PATH}/swagger-ui.css",
        swagger_favicon_url=f"{STATIC_PATH}/favicon.png",
    )


def mount_docs_assets(app: FastAPI) -> None:
    app.mount(STATIC_PATH, StaticFiles(directory=str(files("fastapi_offline") / "static")))
