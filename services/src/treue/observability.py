"""Structured logs with request ids, and the Prometheus metrics of the event backbone."""

from __future__ import annotations

import logging
import sys
import uuid
from collections.abc import Callable
from typing import Any

import orjson
import structlog
from prometheus_client import Counter, Gauge
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from treue.settings import ServiceSettings

REQUEST_ID_HEADER = "x-request-id"

EVENTS_PUBLISHED = Counter(
    "treue_events_published_total", "Events the outbox relay handed to Kafka", ["event_type"]
)
OUTBOX_BACKLOG = Gauge("treue_outbox_backlog", "Outbox rows not yet acknowledged by Kafka")
EVENTS_HANDLED = Counter(
    "treue_events_handled_total", "Events handled by a consumer", ["event_type"]
)
EVENTS_DUPLICATE = Counter(
    "treue_events_duplicate_total", "Events skipped because the inbox had seen them", ["event_type"]
)
EVENTS_FAILED = Counter(
    "treue_events_failed_total", "Events put in the dead-letter table", ["event_type"]
)
CONSUMER_LAG = Gauge(
    "treue_consumer_lag", "Records behind the partition's high watermark", ["topic", "partition"]
)


def configure_logging(settings: ServiceSettings) -> None:
    """Treue's own loggers (structlog) render each line and write it to stdout themselves;
    the libraries' (stdlib logging: uvicorn, SQLAlchemy, aiokafka) go through a handler
    that renders them the same way. Passing our lines through stdlib logging as well cost
    ~125 µs per line against ~25-45 µs, and every request logs one (bench/README.md)."""
    level = logging.getLevelNamesMapping()[settings.log_level.upper()]
    shared: list[structlog.typing.Processor] = [
        structlog.contextvars.merge_contextvars,
        structlog.processors.add_log_level,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
        structlog.processors.StackInfoRenderer(),
        structlog.processors.format_exc_info,
    ]
    own: structlog.typing.Processor
    foreign: structlog.typing.Processor
    logger_factory: Callable[..., Any]
    if settings.log_format == "console":
        own = foreign = structlog.dev.ConsoleRenderer()
        logger_factory = structlog.WriteLoggerFactory(file=sys.stdout)
    else:
        own = structlog.processors.JSONRenderer(serializer=orjson.dumps)
        foreign = structlog.processors.JSONRenderer()
        logger_factory = structlog.BytesLoggerFactory(file=sys.stdout.buffer)
    structlog.configure(
        processors=[*shared, own],
        logger_factory=logger_factory,
        wrapper_class=structlog.make_filtering_bound_logger(level),
        cache_logger_on_first_use=True,
    )
    handler = logging.StreamHandler(sys.stdout)
    handler.setFormatter(
        structlog.stdlib.ProcessorFormatter(
            foreign_pre_chain=shared,
            processors=[structlog.stdlib.ProcessorFormatter.remove_processors_meta, foreign],
        )
    )
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    # uvicorn's access log would repeat what RequestIdMiddleware logs, without the request id.
    logging.getLogger("uvicorn.access").handlers[:] = []
    logging.getLogger("uvicorn.access").propagate = False
    logging.getLogger("aiokafka").setLevel(logging.WARNING)
    # httpx logs every request it sends at INFO: for the gateway a second line per proxied
    # request, repeating what RequestIdMiddleware logs, at a cost on the hot path.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    structlog.contextvars.bind_contextvars(service=settings.service_name)


class RequestIdMiddleware:
    """Takes the caller's X-Request-ID (or makes one), binds it to every log line and echoes it."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.log = structlog.get_logger("treue.http")

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        incoming = dict(scope["headers"]).get(REQUEST_ID_HEADER.encode())
        request_id = incoming.decode("latin-1")[:100] if incoming else uuid.uuid4().hex
        status = 500

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message.setdefault("headers", [])
                message["headers"] = [
                    *message["headers"],
                    (REQUEST_ID_HEADER.encode(), request_id.encode()),
                ]
            await send(message)

        with structlog.contextvars.bound_contextvars(request_id=request_id):
            try:
                await self.app(scope, receive, send_with_id)
            finally:
                if not scope["path"].startswith(("/health", "/metrics")):
                    self.log.info(
                        "request", method=scope["method"], path=scope["path"], status=status
                    )
