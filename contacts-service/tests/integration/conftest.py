from __future__ import annotations

import itertools
import json
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

import asyncpg
import httpx
import pytest
from asgi_lifespan import LifespanManager
from fastapi import FastAPI

from contacts.entrypoints.events import event_handlers
from contacts.main import create_app
from contacts.service_layer.unit_of_work import ContactsUnitOfWork
from contacts.settings import ContactsSettings
from treue.events.contracts import EventContract
from treue.events.envelope import CloudEvent
from treue.identity import INTERNAL_TOKEN_HEADER
from treue.inbox import Delivery, InboxProcessor
from treue.outbox import asyncpg_dsn
from treue.testing import create_migrated_database, identity_headers, truncate

ALEMBIC_INI = Path(__file__).parents[2] / "alembic.ini"


@pytest.fixture(scope="session")
def database_url() -> str:
    return create_migrated_database("contacts_test", ALEMBIC_INI)


@pytest.fixture(scope="session")
async def app(database_url: str) -> AsyncIterator[FastAPI]:
    application = create_app(ContactsSettings(database_url=database_url, run_background=False))
    async with LifespanManager(application):
        yield application


class FreshIdentity(httpx.Auth):
    """A new internal token for each request: one lives a minute, a slow suite runs longer.
    A request that brings its own token (another identity) keeps it."""

    def auth_flow(self, request: httpx.Request) -> Iterator[httpx.Request]:
        if INTERNAL_TOKEN_HEADER not in request.headers:
            request.headers.update(identity_headers())
        yield request


@pytest.fixture(scope="session")
async def client(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(
        transport=transport, base_url="http://contacts", auth=FreshIdentity()
    ) as client:
        yield client


@pytest.fixture
def uow(app: FastAPI) -> ContactsUnitOfWork:
    """A unit of work on the app's database, for calling service-layer functions."""
    runtime = app.state.runtime
    return ContactsUnitOfWork(
        runtime.session_factory,
        runtime.tables,
        source="contacts",
        topic=runtime.settings.topic("contacts"),
    )


@pytest.fixture(autouse=True)
async def clean(database_url: str, app: FastAPI) -> None:
    await truncate(
        database_url,
        [
            "contacts",
            "interactions",
            "products",
            "orders",
            "order_lines",
            "contracts",
            "tasks",
            "survey_responses",
            "contact_segments",
            "custom_fields",
            "imports",
            "import_chunks",
            "import_errors",
            "jobs",
            "inbox",
            "dead_letters",
            "outbox",
            "idempotency_keys",
            "runtime_settings",
            "duplicate_pairs",
            "duplicate_scan",
        ],
    )
    # The truncate NOTIFYs the app, but its next request may come before it heard that.
    app.state.custom_field_definitions.forget()


@pytest.fixture
async def db(database_url: str) -> AsyncIterator[asyncpg.Connection]:
    conn = await asyncpg.connect(asyncpg_dsn(database_url))
    yield conn
    await conn.close()


Factory = Callable[..., Awaitable[dict[str, Any]]]


@pytest.fixture
def new_contact(client: httpx.AsyncClient) -> Factory:
    """Creates a contact through the API; keyword arguments override the defaults."""
    counter = iter(range(1_000_000))

    async def create(**overrides: Any) -> dict[str, Any]:
        body = {
            "first_name": "Jana",
            "last_name": "Becker",
            "email": f"jana.becker.{next(counter)}@example.de",
            "lifecycle_stage": "customer",
        }
        answer = await client.post("/api/v1/contacts", json={**body, **overrides})
        assert answer.status_code == 201, answer.text
        created: dict[str, Any] = answer.json()
        return created

    return create


@pytest.fixture
def new_product(client: httpx.AsyncClient) -> Factory:
    """Creates a product through the API; keyword arguments override the defaults."""

    async def create(**overrides: Any) -> dict[str, Any]:
        body = {
            "sku": "ET-SPINDEL",
            "name": "Spindel HSK-63",
            "price": "1200.00",
            "unit_cost": "700.00",
            "currency": "EUR",
        }
        answer = await client.post("/api/v1/products", json={**body, **overrides})
        assert answer.status_code == 201, answer.text
        created: dict[str, Any] = answer.json()
        return created

    return create


async def events(db: asyncpg.Connection, event_type: str) -> list[dict[str, Any]]:
    """The payloads of the outbox rows of one type, oldest first, with their subject."""
    rows = await db.fetch(
        "SELECT subject, data FROM outbox WHERE event_type = $1 ORDER BY id", event_type
    )
    return [{**json.loads(row["data"]), "_subject": row["subject"]} for row in rows]


@pytest.fixture
def outbox(db: asyncpg.Connection) -> Callable[[str], Awaitable[list[dict[str, Any]]]]:
    async def read(event_type: str) -> list[dict[str, Any]]:
        return await events(db, event_type)

    return read


Deliver = Callable[[Sequence[EventContract | CloudEvent]], Awaitable[None]]
_offsets = itertools.count()


@pytest.fixture
def deliver(app: FastAPI) -> Deliver:
    """Hands events to the service's real inbox, as the consumer would."""
    runtime = app.state.runtime
    inbox = InboxProcessor(
        runtime.session_factory, runtime.tables, event_handlers(runtime.settings, runtime.tables)
    )

    async def run(events: Sequence[EventContract | CloudEvent]) -> None:
        deliveries = []
        for event in events:
            if not isinstance(event, CloudEvent):
                event = CloudEvent(
                    source="survey",
                    type=event.event_type,
                    subject=str(event.contact_id),  # type: ignore[attr-defined]
                    data=event.model_dump(mode="json"),
                )
            record = type(
                "Record", (), {"topic": "treue.surveys", "partition": 0, "offset": next(_offsets)}
            )
            deliveries.append(Delivery(record, event, None))  # type: ignore[arg-type]
        await inbox.process(deliveries)

    return run


@pytest.fixture
def new_custom_field(client: httpx.AsyncClient) -> Factory:
    """Defines a custom field (type text unless given) through the API."""

    async def define(key: str, **overrides: Any) -> dict[str, Any]:
        body = {"key": key, "label": key.title(), "type": "text", **overrides}
        answer = await client.post("/api/v1/custom-fields", json=body)
        assert answer.status_code == 201, answer.text
        created: dict[str, Any] = answer.json()
        return created

    return define
