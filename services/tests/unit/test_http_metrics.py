"""The HTTP metrics middleware records what prometheus-fastapi-instrumentator recorded: the
same series (names, labels, handler templates) for routed, refused and unrouted requests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi import APIRouter, FastAPI, Response
from fastapi.testclient import TestClient
from prometheus_client import REGISTRY, CollectorRegistry
from prometheus_fastapi_instrumentator import Instrumentator
from starlette.middleware import Middleware
from starlette.routing import Mount, Route
from starlette.types import ASGIApp, Receive, Scope, Send

from treue.http_metrics import HANDLER_SCOPE_KEY, HttpMetricsMiddleware

EXCLUDED = ["/health/.*", "/metrics"]
METRICS = (
    "http_requests_total",
    "http_request_size_bytes_count",
    "http_request_size_bytes_sum",
    "http_response_size_bytes_count",
    "http_response_size_bytes_sum",
    "http_request_duration_seconds_count",
    "http_request_duration_highr_seconds_count",
)


class Refusing:
    """Answers 401 before any route is matched when asked to (as the gateway's access
    middleware does)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and (b"x-refuse", b"yes") in scope["headers"]:
            await Response(status_code=401)(scope, receive, send)
            return
        await self.app(scope, receive, send)


def build_app(instrumentator_registry: CollectorRegistry) -> FastAPI:
    app = FastAPI()
    contacts = APIRouter(prefix="/api/v1/contacts")

    @contacts.get("/{contact_id}")
    async def read(contact_id: str) -> dict[str, str]:
        return {"id": contact_id}

    @contacts.post("")
    async def create() -> Response:
        return Response(b"{}", status_code=201, media_type="application/json")

    nested = APIRouter()

    @nested.get("/orders/{order_id:int}/lines")
    async def lines(order_id: int) -> list[int]:
        return [order_id]

    @app.get("/health/live")
    async def live() -> dict[str, str]:
        return {"status": "ok"}

    app.include_router(contacts)
    app.include_router(nested, prefix="/api/v1")
    app.router.routes.append(
        Mount("/static", routes=[Route("/{name}", lambda request: Response(b"file"))])
    )
    app.add_middleware(Refusing)
    app.add_middleware(HttpMetricsMiddleware, excluded_handlers=EXCLUDED)
    Instrumentator(excluded_handlers=EXCLUDED, registry=instrumentator_registry).instrument(app)
    return app


def samples(registry: CollectorRegistry) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    found = {}
    for metric in registry.collect():
        for sample in metric.samples:
            if sample.name in METRICS:
                found[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    return found


def increase(
    before: dict[tuple[str, tuple[tuple[str, str], ...]], float],
    after: dict[tuple[str, tuple[tuple[str, str], ...]], float],
) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    return {k: v - before.get(k, 0.0) for k, v in after.items() if v != before.get(k, 0.0)}


@pytest.fixture
def apps() -> Iterator[tuple[TestClient, CollectorRegistry]]:
    registry = CollectorRegistry()
    with TestClient(build_app(registry)) as client:
        yield client, registry


@pytest.mark.parametrize(
    ("method", "path", "headers", "handler"),
    [
        ("GET", "/api/v1/contacts/c-1", {}, "/api/v1/contacts/{contact_id}"),
        ("POST", "/api/v1/contacts", {"content-length": "2"}, "/api/v1/contacts"),
        ("GET", "/api/v1/orders/7/lines", {}, "/api/v1/orders/{order_id:int}/lines"),
        ("DELETE", "/api/v1/contacts/c-1", {}, "/api/v1/contacts/{contact_id}"),
        ("GET", "/api/v1/contacts/c-1", {"x-refuse": "yes"}, "/api/v1/contacts/{contact_id}"),
        ("GET", "/nowhere/at/all", {}, "none"),
        ("GET", "/static/logo.svg", {}, "/static/{name}"),
    ],
)
def test_each_request_adds_the_series_the_instrumentator_added(
    apps: tuple[TestClient, CollectorRegistry],
    method: str,
    path: str,
    headers: dict[str, str],
    handler: str,
) -> None:
    client, registry = apps
    ours_before, theirs_before = samples(REGISTRY), samples(registry)

    body = b"{}" if method == "POST" else None
    client.request(method, path, headers=headers, content=body)

    ours = increase(ours_before, samples(REGISTRY))
    theirs = increase(theirs_before, samples(registry))
    assert ours == theirs
    assert any(dict(labels).get("handler") == handler for _, labels in ours)


def test_excluded_handlers_are_not_counted(apps: tuple[TestClient, CollectorRegistry]) -> None:
    client, _ = apps
    before = samples(REGISTRY)

    assert client.get("/health/live").status_code == 200

    assert increase(before, samples(REGISTRY)) == {}


def test_a_request_answered_before_routing_is_counted_under_the_handler_it_names() -> None:
    async def answers_itself(scope: Scope, receive: Receive, send: Send) -> None:
        scope[HANDLER_SCOPE_KEY] = "/api/v1/{path:owned}"
        await Response(b"{}", media_type="application/json")(scope, receive, send)

    app = FastAPI()
    app.add_middleware(HttpMetricsMiddleware, excluded_handlers=EXCLUDED)
    app.user_middleware.append(Middleware(Answering, inner=answers_itself))
    before = samples(REGISTRY)

    with TestClient(app) as client:
        assert client.get("/api/v1/contacts/c-1").status_code == 200

    added = increase(before, samples(REGISTRY))
    assert (
        added[
            (
                "http_requests_total",
                (("handler", "/api/v1/{path:owned}"), ("method", "GET"), ("status", "2xx")),
            )
        ]
        == 1
    )


class Answering:
    """A middleware that answers every HTTP request with `inner`, past the router."""

    def __init__(self, app: ASGIApp, inner: ASGIApp) -> None:
        self.app = app
        self.inner = inner

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        await (self.inner if scope["type"] == "http" else self.app)(scope, receive, send)
