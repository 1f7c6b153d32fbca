"""Each process keeps the custom field definitions between writes; a change, through it,
through another replica or in SQL, holds for the next writes (within the NOTIFY's
milliseconds elsewhere)."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import asyncpg
import httpx
import pytest
from asgi_lifespan import LifespanManager
from fastapi import FastAPI

from contacts.adapters.custom_field_definitions import DefinitionsCache
from contacts.entrypoints.schemas import ContactCreate
from contacts.main import create_app
from contacts.service_layer import custom_field_handlers, handlers
from contacts.service_layer.unit_of_work import ContactsUnitOfWork
from contacts.settings import ContactsSettings
from treue.problems import ValidationFailed
from treue.testing import identity_headers

Factory = Callable[..., Awaitable[dict[str, Any]]]
JANA = {"first_name": "Jana", "last_name": "Becker"}


def kept(app: FastAPI) -> DefinitionsCache:
    cache: DefinitionsCache = app.state.custom_field_definitions
    return cache


async def until(condition: Callable[[], Awaitable[bool]], seconds: float = 5.0) -> None:
    deadline = time.monotonic() + seconds
    while not await condition():
        assert time.monotonic() < deadline, "not within the deadline"
        await asyncio.sleep(0.02)


async def listening(app: FastAPI) -> None:
    """Definitions are kept only while the app hears of changes (it may be reconnecting)."""

    async def hears() -> bool:
        return kept(app).hears_changes

    await until(hears)


async def kept_after_a_create(app: FastAPI, new_contact: Factory, **details: Any) -> None:
    """Creates until the app keeps the definitions (a change's NOTIFY that arrives late
    makes it forget the first read)."""

    async def keeps() -> bool:
        await new_contact(**details)
        return kept(app).current() is not None

    await until(keeps)


@pytest.fixture
async def replica(database_url: str) -> AsyncIterator[httpx.AsyncClient]:
    """A second contacts-service process on the same database, with its own definitions."""
    other = create_app(ContactsSettings(database_url=database_url, run_background=False))
    async with LifespanManager(other) as manager:
        transport = httpx.ASGITransport(app=manager.app)
        async with httpx.AsyncClient(transport=transport, base_url="http://replica") as client:
            yield client


async def test_a_create_after_a_definition_changed_here_checks_against_it(
    client: httpx.AsyncClient, app: FastAPI, new_contact: Factory, new_custom_field: Factory
) -> None:
    await new_custom_field("branche")
    await listening(app)
    await kept_after_a_create(app, new_contact)

    required = await client.patch("/api/v1/custom-fields/branche", json={"required": True})
    without = await client.post("/api/v1/contacts", json=JANA)
    deleted = await client.patch("/api/v1/custom-fields/branche", json={"required": False})
    gone = await client.delete("/api/v1/custom-fields/branche")
    undefined = await client.post(
        "/api/v1/contacts", json={**JANA, "custom_fields": {"branche": "x"}}
    )

    assert required.status_code == deleted.status_code == 200
    assert without.status_code == 422
    assert without.json()["errors"][0]["field"] == "custom_fields.branche"
    assert gone.status_code == 204
    assert undefined.status_code == 422
    assert undefined.json()["errors"][0]["code"] == "extra_forbidden"


async def test_a_definition_changed_through_another_replica_holds_here_within_moments(
    client: httpx.AsyncClient, app: FastAPI, replica: httpx.AsyncClient, new_contact: Factory
) -> None:
    await listening(app)
    await kept_after_a_create(app, new_contact)

    defined = await replica.post(
        "/api/v1/custom-fields",
        json={"key": "branche", "label": "Branche", "type": "text", "required": True},
        headers=identity_headers(),
    )

    async def refused() -> bool:
        answer = await client.post("/api/v1/contacts", json=JANA)
        assert answer.status_code in (201, 422), answer.text
        return answer.status_code == 422

    await until(refused, seconds=2.0)
    assert defined.status_code == 201


async def test_a_definition_changed_in_sql_holds_for_the_next_writes_within_moments(
    client: httpx.AsyncClient,
    app: FastAPI,
    db: asyncpg.Connection,
    new_contact: Factory,
    new_custom_field: Factory,
) -> None:
    await new_custom_field("branche")
    await listening(app)
    await kept_after_a_create(app, new_contact, custom_fields={"branche": "Metall"})

    await db.execute("UPDATE custom_fields SET required = true WHERE key = 'branche'")

    async def refused() -> bool:
        return (await client.post("/api/v1/contacts", json=JANA)).status_code == 422

    await until(refused, seconds=2.0)


async def test_without_its_listening_connection_the_app_keeps_nothing(
    app: FastAPI, db: asyncpg.Connection, new_contact: Factory
) -> None:
    await listening(app)
    await db.execute(
        "SELECT pg_terminate_backend(pid, 5000) FROM pg_stat_activity"
        " WHERE datname = current_database() AND query LIKE 'LISTEN%'"
    )

    async def deaf() -> bool:
        return not kept(app).hears_changes

    await until(deaf)
    await new_contact()
    assert kept(app).current() is None
    await listening(app)
    await kept_after_a_create(app, new_contact)


class NotifiedNever(DefinitionsCache):
    """As if every NOTIFY were still on its way."""

    @property
    def hears_changes(self) -> bool:
        return True


async def test_the_unit_of_work_that_changes_a_definition_forgets_them_at_its_commit(
    app: FastAPI,
) -> None:
    runtime = app.state.runtime
    cache = NotifiedNever()

    def uow() -> ContactsUnitOfWork:
        unit = ContactsUnitOfWork(runtime.session_factory, runtime.tables, "contacts", "t")
        unit.definitions = cache
        return unit

    jana = handlers.CreateContact(ContactCreate.model_validate(JANA).model_dump())
    await handlers.create_contact(jana, uow())
    before = cache.current()
    await custom_field_handlers.define_custom_field(
        custom_field_handlers.DefineCustomField(
            {"key": "branche", "label": "Branche", "type": "text", "required": True}
        ),
        uow(),
    )

    assert before == {}
    assert cache.current() is None
    with pytest.raises(ValidationFailed) as refused:
        await handlers.create_contact(jana, uow())
    assert refused.value.errors is not None
    assert refused.value.errors[0].field == "custom_fields.branche"


async def test_definitions_kept_by_a_refused_create_are_still_read_whole(
    client: httpx.AsyncClient, app: FastAPI, new_contact: Factory, new_custom_field: Factory
) -> None:
    # A create refused for a duplicate e-mail rolls its transaction back, which expires
    # the objects its session loaded: what the process keeps must not be among them.
    await new_custom_field("branche")
    await listening(app)
    first = await new_contact(email="jana@example.com", custom_fields={"branche": "Metall"})
    kept(app).forget()  # as on hearing a change: the next write reads the definitions
    twin = await client.post(
        "/api/v1/contacts",
        json={**JANA, "email": first["email"], "custom_fields": {"branche": "Handel"}},
    )
    assert twin.status_code == 409, twin.text
    assert kept(app).current() is not None

    listed = await client.get("/api/v1/custom-fields")
    again = await new_contact(custom_fields={"branche": "Bau"})

    assert listed.status_code == 200, listed.text
    assert [(d["key"], d["version"]) for d in listed.json()["items"]] == [("branche", 1)]
    assert again["custom_fields"] == {"branche": "Bau"}
