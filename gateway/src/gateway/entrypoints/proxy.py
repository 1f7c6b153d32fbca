"""Routes /api/v1/** to the service that owns the path, with the caller's identity attached.

Requests go round robin over the service's replicas. When a replica fails, the request goes
to the next one only when that cannot apply it twice (see `may_retry`).
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from typing import TypeVar

import aiohttp
import httpx
import structlog
from fastapi import APIRouter, FastAPI, Request, Response
from starlette.routing import BaseRoute, Route
from starlette.types import ASGIApp, Receive, Scope, Send

from gateway.adapters.internal_tokens import InternalTokens
from gateway.adapters.upstream_transport import AiohttpTransport, UpstreamTimeout, httpx_error
from gateway.adapters.upstreams import ReplicaSet, may_retry, means_down
from gateway.domain.policy import Principal
from gateway.entrypoints.access import PUBLIC_PATHS
from gateway.entrypoints.authentication import identity_of, principal_in
from treue.http_metrics import HANDLER_SCOPE_KEY
from treue.identity import INTERNAL_TOKEN_HEADER
from treue.problems import NotFound, Problem, problem_response

router = APIRouter()
log = structlog.get_logger("gateway.proxy")
Answer = TypeVar("Answer")

API_PREFIX = "/api/v1/"
# The first prefix that matches whole path segments owns the path.
ROUTES: list[tuple[str, str]] = [
    ("/api/v1/admin/services/contacts", "contacts"),
    ("/api/v1/admin/services/survey", "survey"),
    ("/api/v1/admin/services/analytics", "analytics"),
    ("/api/v1/settings/contacts", "contacts"),
    ("/api/v1/settings/surveys", "survey"),
    ("/api/v1/settings/analytics", "analytics"),
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
PROXIED_METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")
FORWARDED_REQUEST_HEADERS = frozenset(
    {b"content-type", b"accept", b"accept-language", b"idempotency-key"}
)
FORWARDED_RESPONSE_HEADERS = frozenset(
    {b"content-type", b"location", b"idempotent-replayed", b"retry-after", b"content-disposition"}
)
# Bodies up to this size are read before sending, so a retry can send them again; larger
# ones (imports) stream through and are retried only when they never left.
REPLAYABLE_BODY_BYTES = 1024 * 1024
# Answers up to this size are read before they are passed on (see _answer).
WHOLE_ANSWER_BYTES = 256 * 1024
# Answers that carry no Content-Length (RFC 9110, 8.6).
BODYLESS_STATUSES = frozenset({204, 304})


def owner_of(path: str) -> str | None:
    for prefix, service in ROUTES:
        if path == prefix or path.startswith(prefix + "/"):
            return service
    return None


OWNED_PATH = re.compile(
    "(?:{})(?:/.*)?".format("|".join(re.escape(prefix) for prefix, _ in ROUTES))
)
# How HttpMetricsMiddleware labels a proxied request (the route it had before it was
# taken past the router), so dashboards keep their series.
PROXY_HANDLER = API_PREFIX + "{path:owned}"


class Proxy:
    """Forwards each request for a path a service owns to that service; passes the others
    on to the gateway's own routes.

    It sits inside the gateway's middleware (sign-in, role policy, rate limits, audit, body
    limit) and before Starlette's and FastAPI's routing, and neither the request nor the
    answer becomes a Starlette, FastAPI or httpx object on the way: headers are picked from
    the ASGI scope and sent on the upstream transport, and the answer's bytes go back as
    they came. Routing and those objects were most of the gateway's own CPU per proxied
    request (bench/README.md, "Reads direct and through the gateway"). The gateway's routes
    under a service's path (`before`) keep their paths."""

    def __init__(self, app: ASGIApp, before: Sequence[BaseRoute]) -> None:
        self.app = app
        self.before = [route.path_regex for route in before if isinstance(route, Route)]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if not self.takes(scope):
            await self.app(scope, receive, send)
            return
        scope[HANDLER_SCOPE_KEY] = PROXY_HANDLER
        try:
            await forward(scope, receive, send)
        except Problem as problem:
            await problem_response(problem, Request(scope))(scope, receive, send)

    def takes(self, scope: Scope) -> bool:
        return bool(
            scope["type"] == "http"
            and scope["method"] in PROXIED_METHODS
            and OWNED_PATH.fullmatch(path := scope["path"])
            and not any(pattern.match(path) for pattern in self.before)
        )


# Last: what no route and no service owns is a 404 problem here.
@router.api_route(
    "/api/v1/{path:path}",
    methods=list(PROXIED_METHODS),
    include_in_schema=False,
)
async def no_such_api(path: str, request: Request) -> Response:
    raise NotFound(f"no API at {request.url.path}")


async def forward(scope: Scope, receive: Receive, send: Send) -> None:
    path: str = scope["path"]
    service = owner_of(path)
    # Proxy takes only the paths a service owns.
    assert service is not None
    request_id = structlog.contextvars.get_contextvars().get("request_id", "")
    headers = [
        (name.decode("latin-1"), value.decode("latin-1"))
        for name, value in scope["headers"]
        if name in FORWARDED_REQUEST_HEADERS and value
    ]
    headers.append(("x-request-id", request_id))
    if not path.startswith(PUBLIC_PATHS):
        principal = principal_in(scope)
        headers.append((INTERNAL_TOKEN_HEADER, internal_token(scope["app"], principal)))
    body, replayable = await _body_of(scope, receive)
    target = _raw_path(scope)
    if query := scope["query_string"]:
        target += "?" + query.decode("latin-1")
    app: FastAPI = scope["app"]
    transport: AiohttpTransport = app.state.upstream
    timeout: UpstreamTimeout = app.state.upstream_timeout
    method: str = scope["method"]
    answer = await send_to_service(
        app,
        service,
        lambda upstream: transport.send(method, upstream + target, headers, body, timeout),
        method=method,
        idempotency_key=any(name == "idempotency-key" for name, _ in headers),
        body_replayable=replayable,
    )
    await _answer(service, answer, send)


def internal_token(app: FastAPI, principal: Principal) -> str:
    """The caller's identity, signed for the services. AccessMiddleware has signed the
    caller in and applied the role policy."""
    tokens: InternalTokens = app.state.internal_tokens
    return tokens.token_for(principal, lambda: identity_of(principal))


def caller_headers(request: Request) -> dict[str, str]:
    """The request id and the caller's identity, for a request the gateway makes itself."""
    return {
        "x-request-id": structlog.contextvars.get_contextvars().get("request_id", ""),
        INTERNAL_TOKEN_HEADER: internal_token(request.app, principal_in(request.scope)),
    }


async def send_to_service(
    app: FastAPI,
    service: str,
    attempt: Callable[[str], Awaitable[Answer]],
    *,
    method: str,
    idempotency_key: bool,
    body_replayable: bool,
) -> Answer:
    """Sends a request to the service's replicas in turn (`attempt` sends it to the one
    whose base URL it gets) until one answers; the answer is not read yet (the caller reads
    and releases it). A replica that fails is marked down; the next one is tried only when
    that cannot apply the request twice."""
    replicas: ReplicaSet = app.state.upstreams[service]
    attempts = replicas.attempt_order()
    for number, upstream in enumerate(attempts, start=1):
        try:
            answer = await attempt(upstream)
        except httpx.TransportError as error:
            if means_down(error):
                replicas.mark_down(upstream)
            retry = number < len(attempts) and may_retry(
                error,
                method,
                idempotency_key=idempotency_key,
                body_replayable=body_replayable,
            )
            log.warning(
                "upstream failed",
                service=service,
                upstream=upstream,
                error=repr(error),
                retry=retry,
            )
            if not retry:
                raise unavailable(service, error) from error
            continue
        replicas.mark_up(upstream)
        return answer
    raise AssertionError("a replica set is never empty")  # pragma: no cover


async def _answer(service: str, answer: aiohttp.ClientResponse, send: Send) -> None:
    """Small answers (most of them) are read whole and sent in one piece, which costs less
    than streaming them; large or unsized ones (exports) stream through. Neither is parsed."""
    headers = [
        (name.lower(), value)
        for name, value in answer.raw_headers
        if name.lower() in FORWARDED_RESPONSE_HEADERS
    ]
    length = answer.content_length
    try:
        if length is not None and length <= WHOLE_ANSWER_BYTES:
            try:
                body = await answer.read()
            except (aiohttp.ClientError, TimeoutError) as error:
                raise unavailable(service, httpx_error(error, None)) from error
            if answer.status not in BODYLESS_STATUSES:
                headers.append((b"content-length", b"%d" % len(body)))
            await send({"type": "http.response.start", "status": answer.status, "headers": headers})
            await send({"type": "http.response.body", "body": body})
            return
        await send({"type": "http.response.start", "status": answer.status, "headers": headers})
        # A failure now can only break the connection off: the status is already sent.
        async for chunk in answer.content.iter_any():
            await send({"type": "http.response.body", "body": chunk, "more_body": True})
        await send({"type": "http.response.body", "body": b""})
    finally:
        answer.release()


def _raw_path(scope: Scope) -> str:
    """The path as the caller encoded it: the decoded one may hold characters no URL may
    carry (a %01 becomes a control character) or change meaning (%2F becomes a separator)."""
    raw: bytes | None = scope.get("raw_path")
    if not raw:
        return str(scope["path"])
    # Some ASGI clients put the query into raw_path too; it is sent from query_string.
    return raw.split(b"?", 1)[0].decode("ascii", errors="replace")


async def _body_of(scope: Scope, receive: Receive) -> tuple[bytes | AsyncIterator[bytes], bool]:
    """The body read whole when it is small (it can be sent again), else its stream."""
    length = b""
    chunked = False
    for name, value in scope["headers"]:
        if name == b"content-length":
            length = value
        elif name == b"transfer-encoding":
            chunked = True
    if not chunked and (not length or (length.isdigit() and int(length) <= REPLAYABLE_BODY_BYTES)):
        parts = []
        while True:
            message = await receive()
            parts.append(message.get("body", b""))
            if not message.get("more_body", False):
                return b"".join(parts), True
    return _stream(receive), False


async def _stream(receive: Receive) -> AsyncIterator[bytes]:
    while True:
        message = await receive()
        if chunk := message.get("body", b""):
            yield chunk
        if not message.get("more_body", False):
            return


def unavailable(service: str, error: httpx.TransportError) -> Problem:
    if isinstance(error, httpx.ConnectError | httpx.ConnectTimeout | httpx.PoolTimeout):
        return Problem(
            f"{service}-service is unavailable; try again shortly",
            status=503,
            slug="service-unavailable",
            title="Service unavailable",
            headers={"Retry-After": "5"},
        )
    if isinstance(error, httpx.TimeoutException):
        return Problem(
            f"{service}-service did not answer in time; the request may or may not have been"
            " applied",
            status=504,
            slug="upstream-timeout",
            title="Gateway timeout",
        )
    return Problem(
        f"the connection to {service}-service broke after the request was sent; it may or may"
        " not have been applied: repeat it with an Idempotency-Key to be sure",
        status=502,
        slug="upstream-failed",
        title="Bad gateway",
        headers={"Retry-After": "1"},
    )
