"""Routes /api/v1/** to the service that owns the path, with the caller's identity attached.

Requests go round robin over the service's replicas. When a replica fails, the request goes
to the next one only when that cannot apply it twice (see `may_retry`).
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Callable

import httpx
import structlog
from fastapi import APIRouter, FastAPI, Request, Response
from starlette.background import BackgroundTask
from starlette.convertors import PathConvertor, register_url_convertor
from starlette.responses import StreamingResponse

from gateway.adapters.internal_tokens import InternalTokens
from gateway.adapters.upstreams import ReplicaSet, may_retry, means_down
from gateway.entrypoints.access import PUBLIC_PATHS
from gateway.entrypoints.authentication import identity_of, signed_in_principal
from treue.identity import INTERNAL_TOKEN_HEADER
from treue.problems import NotFound, Problem

router = APIRouter()
log = structlog.get_logger("gateway.proxy")

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
FORWARDED_REQUEST_HEADERS = ("content-type", "accept", "accept-language", "idempotency-key")
FORWARDED_RESPONSE_HEADERS = (
    "content-type",
    "location",
    "idempotent-replayed",
    "retry-after",
    "content-disposition",
)
# Bodies up to this size are read before sending, so a retry can send them again; larger
# ones (imports) stream through and are retried only when they never left.
REPLAYABLE_BODY_BYTES = 1024 * 1024
# Answers up to this size are read before they are passed on (see _answer).
WHOLE_ANSWER_BYTES = 256 * 1024


def owner_of(path: str) -> str | None:
    for prefix, service in ROUTES:
        if path == prefix or path.startswith(prefix + "/"):
            return service
    return None


class OwnedPath(PathConvertor):
    """A path under /api/v1/ that a service owns (ROUTES), as a route pattern."""

    regex = "(?:{})(?:/.*)?".format(
        "|".join(re.escape(prefix.removeprefix(API_PREFIX)) for prefix, _ in ROUTES)
    )


register_url_convertor("owned", OwnedPath())
# Included before every other router of the gateway (main.py): a proxied request matches
# its first route instead of being tried against each of the gateway's own routes first
# (twice: the router and the metrics middleware both look for the matching route).
fast_router = APIRouter()


@fast_router.api_route(
    API_PREFIX + "{path:owned}",
    methods=["GET", "POST", "PUT", "PATCH", "DELETE"],
    include_in_schema=False,
)
async def forward_owned(path: str, request: Request) -> Response:
    return await forward(path, request)


# Last: what no route and no service owns is a 404 problem here.
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
        headers.update(caller_headers(request))
    body, replayable = await _body_of(request)
    # The query goes inside the URL, not as params: httpx would parse the URL a second time
    # to merge them, which was a tenth of the gateway's CPU per proxied request.
    target = _raw_path(request)
    if query := request.scope["query_string"]:
        target += "?" + query.decode("latin-1")
    answer = await send_to_service(
        request.app,
        service,
        lambda client, upstream: client.build_request(
            request.method, upstream + target, headers=headers, content=body
        ),
        idempotency_key="idempotency-key" in headers,
        body_replayable=replayable,
    )
    return await _answer(service, answer)


def caller_headers(request: Request) -> dict[str, str]:
    """The request id and the caller's identity, signed for the services.
    AccessMiddleware has signed the caller in and applied the role policy."""
    principal = signed_in_principal(request)
    tokens: InternalTokens = request.app.state.internal_tokens
    return {
        "x-request-id": structlog.contextvars.get_contextvars().get("request_id", ""),
        INTERNAL_TOKEN_HEADER: tokens.token_for(principal, lambda: identity_of(principal)),
    }


async def send_to_service(
    app: FastAPI,
    service: str,
    build: Callable[[httpx.AsyncClient, str], httpx.Request],
    *,
    idempotency_key: bool,
    body_replayable: bool,
) -> httpx.Response:
    """Sends the request `build` makes for an upstream URL to the service's replicas in
    turn until one answers; the answer is streamed (the caller closes it). A replica that
    fails is marked down; the next one is tried only when that cannot apply it twice."""
    client: httpx.AsyncClient = app.state.http
    transport: httpx.AsyncBaseTransport = app.state.upstream
    replicas: ReplicaSet = app.state.upstreams[service]
    attempts = replicas.attempt_order()
    for number, upstream in enumerate(attempts, start=1):
        outgoing = build(client, upstream)
        try:
            answer = await transport.handle_async_request(outgoing)
        except httpx.TransportError as error:
            if means_down(error):
                replicas.mark_down(upstream)
            retry = number < len(attempts) and may_retry(
                error,
                outgoing.method,
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


async def _answer(service: str, answer: httpx.Response) -> Response:
    """Small answers (most of them) are read whole and sent in one piece, which costs less
    than streaming them; large or unsized ones (exports) stream through. Neither is parsed."""
    headers = {k: v for k in FORWARDED_RESPONSE_HEADERS if (v := answer.headers.get(k))}
    length = answer.headers.get("content-length", "")
    if not (length.isdigit() and int(length) <= WHOLE_ANSWER_BYTES):
        return StreamingResponse(
            answer.aiter_raw(),
            status_code=answer.status_code,
            headers=headers,
            background=BackgroundTask(answer.aclose),
        )
    try:
        body = b"".join([chunk async for chunk in answer.aiter_raw()])
    except httpx.TransportError as error:
        raise unavailable(service, error) from error
    finally:
        await answer.aclose()
    return Response(body, status_code=answer.status_code, headers=headers)


def _raw_path(request: Request) -> str:
    """The path as the caller encoded it: the decoded one may hold characters no URL may
    carry (a %01 becomes a control character) or change meaning (%2F becomes a separator)."""
    raw: bytes | None = request.scope.get("raw_path")
    if not raw:
        return request.url.path
    # Some ASGI clients put the query into raw_path too; it is sent as params.
    return raw.split(b"?", 1)[0].decode("ascii", errors="replace")


async def _body_of(request: Request) -> tuple[bytes | AsyncIterator[bytes], bool]:
    """The body read whole when it is small (it can be sent again), else its stream."""
    length = request.headers.get("content-length")
    small = length is None or (length.isdigit() and int(length) <= REPLAYABLE_BODY_BYTES)
    if small and "transfer-encoding" not in request.headers:
        return await request.body(), True
    return request.stream(), False


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
