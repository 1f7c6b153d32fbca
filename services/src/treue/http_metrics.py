"""HTTP metrics of every service: the metrics prometheus-fastapi-instrumentator's default
set defines, with the same names, labels and buckets, recorded at a fraction of its cost.

The instrumentator found each request's route before the app ran, by matching the path
against every route of the app once more (FastAPI's included routers flattened anew per
request), and built a Response object per request to read one header. Here the handler is
the route Starlette's router already matched (`scope["route"]`), read after the app ran;
only a request no route took (a 404, or one that a middleware refused before routing: 401,
403, 413, 429) is matched the instrumentator's way, so its label stays what it was.
"""

from __future__ import annotations

import re
import time
from collections.abc import Sequence
from dataclasses import dataclass

from prometheus_client import Counter, Histogram, Summary
from prometheus_fastapi_instrumentator.routing import get_route_name
from starlette.requests import HTTPConnection
from starlette.routing import BaseRoute, Mount
from starlette.types import ASGIApp, Message, Receive, Scope, Send

# The instrumentator's defaults, so dashboards and alerts read the same series.
LATENCY_BUCKETS_FINE = (
    *(0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 1.5, 2, 2.5, 3, 3.5, 4, 4.5, 5),
    *(7.5, 10, 30, 60),
)
LATENCY_BUCKETS_BY_HANDLER = (0.1, 0.5, 1)
# Requests no route took are counted under one handler, not one series per path.
UNROUTED = "none"
# An ASGI app that answers requests before the router sees them (the gateway's proxy)
# names their handler in the scope under this key.
HANDLER_SCOPE_KEY = "treue.handler"

REQUESTS = Counter(
    "http_requests_total",
    "Total number of requests by method, status and handler.",
    ["method", "status", "handler"],
)
REQUEST_SIZE = Summary(
    "http_request_size_bytes",
    "Content length of incoming requests by handler. Only value of header is respected."
    " Otherwise ignored. No percentile calculated. ",
    ["handler"],
)
RESPONSE_SIZE = Summary(
    "http_response_size_bytes",
    "Content length of outgoing responses by handler. Only value of header is respected."
    " Otherwise ignored. No percentile calculated. ",
    ["handler"],
)
LATENCY_FINE = Histogram(
    "http_request_duration_highr_seconds",
    "Latency with many buckets but no API specific labels. Made for more accurate"
    " percentile calculations. ",
    buckets=LATENCY_BUCKETS_FINE,
)
LATENCY_BY_HANDLER = Histogram(
    "http_request_duration_seconds",
    "Latency with only few buckets by handler. Made to be only used if aggregation by"
    " handler is important. ",
    ["method", "handler"],
    buckets=LATENCY_BUCKETS_BY_HANDLER,
)


@dataclass(frozen=True)
class Series:
    """The labelled series one kind of request (method, status class, handler) adds to."""

    requests: Counter
    request_size: Summary
    response_size: Summary
    latency: Histogram


class HttpMetricsMiddleware:
    """Counts and times every HTTP request except those of `excluded_handlers` (regular
    expressions searched in the handler's path template)."""

    def __init__(self, app: ASGIApp, excluded_handlers: Sequence[str] = ()) -> None:
        self.app = app
        self.excluded = [re.compile(pattern) for pattern in excluded_handlers]
        # The full path template of each route by the route object the router puts in the
        # scope; built at the first request, when every route has been added.
        self._templates: dict[int, str] | None = None
        self._series: dict[tuple[str, int, str], Series] = {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        # The router adds the matched route to the scope; the instrumentator's matching
        # (for unrouted requests) needs the scope as it came in.
        arrived = dict(scope)
        started = time.perf_counter()
        status = 500
        response_length = 0

        async def send_and_note(message: Message) -> None:
            nonlocal status, response_length
            if message["type"] == "http.response.start":
                status = message["status"]
                for name, value in message.get("headers", ()):
                    if name.lower() == b"content-length":
                        response_length = int(value)
            await send(message)

        try:
            await self.app(scope, receive, send_and_note)
        finally:
            if self._templates is None:
                self._templates = route_templates(scope["app"].routes)
            handler, templated = self._handler(scope, arrived)
            # As the instrumentator did: an unrouted request is excluded by its path.
            excluded_by = handler if templated else arrived["path"]
            if not any(pattern.search(excluded_by) for pattern in self.excluded):
                duration = max(time.perf_counter() - started, 0.0)
                series = self._series_of(scope["method"], status, handler)
                series.requests.inc()
                series.request_size.observe(request_length(scope))
                series.response_size.observe(response_length)
                LATENCY_FINE.observe(duration)
                series.latency.observe(duration)

    def _series_of(self, method: str, status: int, handler: str) -> Series:
        """The labelled series of one kind of request, looked up once (`labels()` takes a
        lock and builds its key on every call)."""
        key = (method, status // 100, handler)
        series = self._series.get(key)
        if series is None:
            series = self._series[key] = Series(
                requests=REQUESTS.labels(method, f"{str(status)[0]}xx", handler),
                request_size=REQUEST_SIZE.labels(handler),
                response_size=RESPONSE_SIZE.labels(handler),
                latency=LATENCY_BY_HANDLER.labels(method, handler),
            )
        return series

    def _handler(self, scope: Scope, arrived: Scope) -> tuple[str, bool]:
        """The path template of the route that handled the request (and True), or "none"
        (and False) when no route did."""
        assert self._templates is not None
        if (named := scope.get(HANDLER_SCOPE_KEY)) is not None:
            return str(named), True
        template = self._templates.get(id(scope.get("route")))
        if template is not None:
            return template, True
        # Not routed, or inside a mount (the template joins the mount's path and its
        # child's): matched as the instrumentator did.
        name = get_route_name(HTTPConnection(arrived), should_include_root_path=False)
        return (name, True) if name else (UNROUTED, False)


def route_templates(routes: Sequence[BaseRoute]) -> dict[int, str]:
    """Each route's full path template, by the id of the route object the router hands
    the request to. FastAPI keeps the routes of an included router as they were declared
    (without the prefix of the inclusion); its effective contexts carry the full path.
    Mounts are left out, and so is a route included twice (two templates)."""
    templates: dict[int, str] = {}
    ambiguous: set[int] = set()
    for route in routes:
        contexts = getattr(route, "effective_route_contexts", None)
        pairs = (
            [(context.original_route, context.path) for context in contexts()]
            if callable(contexts)
            else [(route, getattr(route, "path", None))]
        )
        for original, path in pairs:
            if isinstance(original, Mount) or path is None:
                continue
            key = id(original)
            if key in templates and templates[key] != path:
                ambiguous.add(key)
            templates[key] = str(path)
    return {key: path for key, path in templates.items() if key not in ambiguous}


def request_length(scope: Scope) -> int:
    for name, value in scope["headers"]:
        if name == b"content-length":
            return int(value) if value.isdigit() else 0
    return 0
