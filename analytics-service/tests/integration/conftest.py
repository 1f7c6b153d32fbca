"""analytics-service on a real, migrated Postgres: the app, its inbox, HTTP and jobs."""

from __future__ import annotations

import itertools
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from pathlib import Path
from typing import Any

import httpx
import pytest
from asgi_lifespan import LifespanManager
from fastapi import FastAPI

from analytics.entrypoints.events import event_handlers
from analytics.entrypoints.jobs import AnalyticsJobs
from analytics.main import create_app
from analytics.settings import AnalyticsSettings
from treue.events.contracts import EventContract
from treue.events.envelope import CloudEvent
from treue.inbox import Delivery, InboxProcessor
from treue.jobs import JobRunner
from treue.testing import create_migrated_database, identity_headers, truncate

ALEMBIC_INI = Path(__file__).parents[2] / "alembic.ini"
READ_MODEL = [
    "customers",
    "orders",
    "customer_purchases",
    "order_lines",
    "revenue_hours",
    "products",
    "association_products",
    "association_sales",
    "association_totals",
    "cohort_months",
    "cohort_revenue",
    "margin_months",
    "margin_mixed_buyers",
    "margin_customers",
    "margin_orders",
    "customer_hours",
    "customer_risks",
    "customer_figures",
    "nps_hours",
    "nps_days",
    "feedback_cases",
    "interactions",
    "contracts",
    "nps_responses",
    "churns",
    "segments",
    "erased_contacts",
    "inbox",
    "dead_letters",
    "jobs",
    "outbox",
    "runtime_settings",
]
Deliver = Callable[[Sequence[EventContract | CloudEvent]], Awaitable[None]]
_offsets = itertools.count()


@pytest.fixture(scope="session")
def database_url() -> str:
    return create_migrated_database("analytics_test", ALEMBIC_INI)


@pytest.fixture(scope="session")
async def app(database_url: str) -> AsyncIterator[FastAPI]:
    application = create_app(AnalyticsSettings(database_url=database_url, run_background=False))
    async with LifespanManager(application):
        yield application


@pytest.fixture
async def clean(database_url: str) -> None:
    await truncate(database_url, READ_MODEL)


@pytest.fixture
async def client(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(
        transport=transport, base_url="http://analytics", headers=identity_headers()
    ) as client:
        yield client


def event_of(contract: EventContract, subject: str) -> CloudEvent:
    return CloudEvent(
        source="contacts",
        type=contract.event_type,
        subject=subject,
        data=contract.model_dump(mode="json"),
    )


def delivery(event: CloudEvent) -> Delivery:
    record = type(
        "Record", (), {"topic": "treue.contacts", "partition": 0, "offset": next(_offsets)}
    )
    return Delivery(record, event, None)  # type: ignore[arg-type]


@pytest.fixture
def deliver(app: FastAPI) -> Deliver:
    """Hands events (contracts, or CloudEvents to replay one) to the real inbox, in batches
    as the consumer would."""
    runtime = app.state.runtime
    handlers = event_handlers(runtime.settings, runtime.tables, app.state.runtime_settings)
    inbox = InboxProcessor(runtime.session_factory, runtime.tables, handlers)

    async def run(events: Sequence[EventContract | CloudEvent]) -> None:
        deliveries = [
            delivery(e if isinstance(e, CloudEvent) else event_of(e, str(e.contact_id)))  # type: ignore[attr-defined]
            for e in events
        ]
        for start in range(0, len(deliveries), 500):
            await inbox.process(deliveries[start : start + 500])

    return run


@pytest.fixture
async def run_jobs(app: FastAPI) -> AsyncIterator[Callable[[], Awaitable[bool]]]:
    """Runs the next queued job as the service's JobRunner would."""
    runtime = app.state.runtime
    jobs = AnalyticsJobs(app.state.runtime_settings)
    async with jobs.bind(app, runtime):
        yield JobRunner(runtime.session_factory, runtime.tables, jobs.handlers()).run_next


@pytest.fixture
async def associate(
    client: httpx.AsyncClient, run_jobs: Callable[[], Awaitable[bool]]
) -> Callable[[], Awaitable[dict[str, Any]]]:
    """Counts the co-purchase associations as a run started through the API does; the
    finished run."""

    async def run() -> dict[str, Any]:
        started = await client.post("/api/v1/analytics/associations/runs")
        assert started.status_code == 202
        assert await run_jobs()
        run = (await client.get(started.headers["location"])).json()
        assert run["status"] == "succeeded", run
        return dict(run)

    return run
