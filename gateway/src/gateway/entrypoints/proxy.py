"""Routes /api/v1/** to the service that owns the path, with the caller's identity attached."""

from __future__ import annotations

import httpx
import structlog
from fastapi import APIRouter, Request, Response
from starlette.background import BackgroundTask
from starlette.responses import StreamingResponse

from gateway.entrypoints.access import PUBLIC_PATHS
from gateway.entrypoints.authentication import current_principal, identity_of
from treue.identity import INTERNAL_TOKEN_HEADER, issue_internal_token
from treue.problems import NotFound, Problem

router = APIRouter()
log = structlog.get_logger("gateway.proxy")

# The first prefix that matches whole path segments owns the path.
ROUTES: list[tuple[str, str]] = [
    ("/api/v1/admin/services/contacts", "contacts"),
    ("/api/v1/admin/services/survey", "survey"),
    ("/api/v1/admin/services/analytics", "analytics"),
    ("/api/v1/public", "survey"),
    ("/api/v1/analytics", "analytics"),
    ("/api/v1/surveys", "survey"),
    ("/api/v1/nps", "survey"),
    ("/api/v1/feedback-cases", "survey"),
    ("/api/v1/contacts", "contacts"),
    ("/api/v1/interactions", "contacts"),
    ("/api/v1/products", "contacts"),
    ("/api/v1/orders", "contacts"),
    ("/api/v1/contracts", "contacts"),
    ("/api/v1/tasks", "contacts"),
    ("/api/v1/imports", "contacts"),
    ("/api/v1/custom-fields", "contacts"),
]
FORWARDED_REQUEST_HEADERS = ("content-type", "accept", "accept-language", "idempotency-key")
FORWARDED_RESPONSE_HEADERS = (
    "content-type",
    "location",
    "idempotent-replayed",
    "retry-after",
    "content-disposition",
)


def owner_of(path: str) -> str | None:
    for prefix, service in ROUTES:
        if path == prefix or path.startswith(prefix + "/"):
            return service
    return None


@router.api_route(
    "/api/v1/{path:path}",
    methods=["GET", "POST", "PUT", "PATCH", "DELETE"],
    include_in_schema=False,
)
async def forward(path: str, request: Request) -> Response:
    service = owner_of(request.url.path)
    if service is None:
        raise NotFound(f"no API at {request.url.path}")
    headers = {
        name: value for name in FORWARDED_REQUEST_HEADERS if (value := request.headers.get(name))
    }
    headers["x-request-id"] = structlog.contextvars.get_contextvars().get("request_id", "")
    if not request.url.path.startswith(PUBLIC_PATHS):
        # AccessMiddleware has signed the caller in and applied the role policy.
        principal = current_principal(request)
        settings = request.app.state.settings
        headers[INTERNAL_TOKEN_HEADER] = issue_internal_token(
            identity_of(principal), settings.internal_token_secret
        )
    client: httpx.AsyncClient = request.app.state.http
    upstream = request.app.state.settings.upstreams()[service]
    outgoing = client.build_request(
        request.method,
        upstream + request.url.path,
        params=request.url.query,
        headers=headers,
        content=request.stream(),
    )
    try:
        answer = await client.send(outgoing, stream=True)
    except httpx.TransportError as error:
        log.warning("upstream unavailable", service=service, error=str(error))
        raise Problem(
            f"{service}-service is unavailable; try again shortly",
            status=503,
            slug="service-unavailable",
            title="Service unavailable",
            headers={"Retry-After": "5"},
        ) from error
    return StreamingResponse(
        answer.aiter_raw(),
        status_code=answer.status_code,
        headers={k: v for k in FORWARDED_RESPONSE_HEADERS if (v := answer.headers.get(k))},
        background=BackgroundTask(answer.aclose),
    )
