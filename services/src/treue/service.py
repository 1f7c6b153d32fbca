"""One way to build a Treue service: the app, its runtime and its background loops.

Nothing that does I/O is created at import time; the lifespan builds the engine, the
outbox relay and the consumer, and stops them cleanly on shutdown.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
from collections.abc import AsyncIterator, Callable, Coroutine, Sequence
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass, field
from typing import Any

from fastapi import APIRouter, FastAPI
from fastapi.routing import APIRoute
from prometheus_fastapi_instrumentator import Instrumentator
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from treue import health
from treue.db import make_engine, make_session_factory
from treue.http_metrics import HttpMetricsMiddleware
from treue.idempotency import IdempotencyMiddleware, IdempotencyStore
from treue.inbox import EventConsumer, Handler, InboxProcessor
from treue.jobs import JobHandler, JobRunner
from treue.observability import RequestIdMiddleware, configure_logging
from treue.outbox import OutboxRelay
from treue.own_loop import run_in_own_loop
from treue.problems import PROBLEM_RESPONSES, install_problem_handlers
from treue.runtime_settings import RuntimeSettingsStore
from treue.settings import ServiceSettings
from treue.tables import BackboneTables

BackgroundLoop = Callable[["ServiceRuntime"], Coroutine[None, None, None]]
Resources = Callable[[FastAPI, "ServiceRuntime"], AbstractAsyncContextManager[None]]


@dataclass
class ServiceRuntime:
    settings: ServiceSettings
    tables: BackboneTables
    engine: AsyncEngine
    session_factory: async_sessionmaker[AsyncSession]
    relay: OutboxRelay
    idempotency: IdempotencyStore
    tasks: list[asyncio.Task[None]] = field(default_factory=list)


@dataclass(frozen=True)
class ServiceDefinition:
    title: str
    description: str
    settings: ServiceSettings
    tables: BackboneTables
    routers: Sequence[APIRouter]
    event_handlers: dict[str, Handler] = field(default_factory=dict)
    consumed_topics: Sequence[str] = ()
    job_handlers: dict[str, JobHandler] = field(default_factory=dict)
    background: Sequence[BackgroundLoop] = ()
    # Opened after the runtime exists, closed before it goes (e.g. the gateway's HTTP client).
    resources: Resources | None = None
    # Services handle Idempotency-Key themselves; the gateway only passes the header on.
    idempotency: bool = True
    # The settings an admin changes at run time (app.state.runtime_settings); the service
    # mounts their routes with treue.runtime_settings_routes.
    runtime_settings: RuntimeSettingsStore[Any] | None = None


def operation_id(route: APIRoute) -> str:
    """`{tag}-{name}`, so the generated TypeScript client reads well."""
    tag = str(route.tags[0]) if route.tags else "default"
    return f"{tag}-{route.name}"


def create_service_app(definition: ServiceDefinition) -> FastAPI:
    settings = definition.settings
    configure_logging(settings)

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        engine = make_engine(settings)
        session_factory = make_session_factory(engine)
        runtime = ServiceRuntime(
            settings=settings,
            tables=definition.tables,
            engine=engine,
            session_factory=session_factory,
            relay=OutboxRelay(settings),
            idempotency=IdempotencyStore(session_factory, definition.tables),
        )
        app.state.runtime = runtime
        async with contextlib.AsyncExitStack() as stack:
            stack.push_async_callback(engine.dispose)
            if definition.resources is not None:
                await stack.enter_async_context(definition.resources(app, runtime))
            if settings.run_background:
                start_background(runtime, definition)
                stack.push_async_callback(stop_background, runtime)
            yield

    app = FastAPI(
        title=definition.title,
        description=definition.description,
        version="0.1.0",
        lifespan=lifespan,
        generate_unique_id_function=operation_id,
        responses=PROBLEM_RESPONSES,
        # Treue exports Prometheus metrics and structured logs, not OpenTelemetry: off, FastAPI
        # asks the global OpenTelemetry providers on every request whether they are set up.
        telemetry={"tracing": False, "metrics": False, "logs": False},
    )
    app.state.settings = settings
    app.state.runtime_settings = definition.runtime_settings
    install_problem_handlers(app)
    app.include_router(health.router)
    for router in definition.routers:
        app.include_router(router)
    if definition.idempotency:
        app.add_middleware(
            IdempotencyMiddleware,
            store=lambda: app.state.runtime.idempotency,
            secret=lambda: settings.internal_token_secret,
        )
    app.add_middleware(RequestIdMiddleware)
    app.add_middleware(HttpMetricsMiddleware, excluded_handlers=["/health/.*", "/metrics"])
    Instrumentator().expose(app, include_in_schema=False)
    return app


# Young objects the collector lets pile up before it looks at them (CPython's default: 700).
# A consumed batch allocates hundreds of thousands (records, envelopes, payload dicts,
# contract models), nearly all freed by reference counting when the batch is done.
YOUNG_OBJECTS_BEFORE_COLLECTING = 100_000


def settle_garbage_collector() -> None:
    """Once the service is built: what exists now lives as long as the process, so the
    collector stops walking it (`gc.freeze`), and it runs a hundred times less often.
    bench/README.md ("Order events in one statement"): at CPython's defaults the consumer
    spent about 40 µs of its ~78 µs per order event in the collector. Garbage of the
    start-up is collected first, or the freeze would keep it for good."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(YOUNG_OBJECTS_BEFORE_COLLECTING, 50, 100)


def start_background(runtime: ServiceRuntime, definition: ServiceDefinition) -> None:
    relay = run_in_own_loop(runtime.relay.run, "outbox-relay")
    runtime.tasks.append(asyncio.create_task(relay, name="outbox-relay"))
    if definition.event_handlers:
        settle_garbage_collector()
        processor = InboxProcessor(
            runtime.session_factory, definition.tables, definition.event_handlers
        )
        consumer = EventConsumer(
            runtime.settings,
            processor,
            list(definition.consumed_topics),
            group_id=runtime.settings.consumer_group,
        )
        runtime.tasks.append(asyncio.create_task(consumer.run(), name="event-consumer"))
    if definition.job_handlers:
        runner = JobRunner(runtime.session_factory, definition.tables, definition.job_handlers)
        runtime.tasks.append(asyncio.create_task(runner.run(), name="job-runner"))
    for loop in definition.background:
        runtime.tasks.append(asyncio.create_task(loop(runtime)))


async def stop_background(runtime: ServiceRuntime) -> None:
    for task in runtime.tasks:
        task.cancel()
    await asyncio.gather(*runtime.tasks, return_exceptions=True)
    runtime.tasks.clear()
