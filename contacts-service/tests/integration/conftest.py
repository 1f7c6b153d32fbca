from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import asyncpg
import httpx
import pytest
from asgi_lifespan import LifespanManager

from contacts.main import create_app
from contacts.settings import ContactsSettings
from treue.outbox import asyncpg_dsn
from treue.testing import create_migrated_database, identity_headers, truncate

ALEMBIC_INI = Path(__file__).parents[2] / "alembic.ini"


@pytest.fixture(scope="session")
def database_url() -> str:
    return create_migrated_database("contacts_test", ALEMBIC_INI)


@pytest.fixture(scope="session")
async def client(database_url: str) -> AsyncIterator[httpx.AsyncClient]:
    settings = ContactsSettings(database_url=database_url, run_background=False)
    app = create_app(settings)
    async with LifespanManager(app) as manager:
        transport = httpx.ASGITransport(app=manager.app)
        async with httpx.AsyncClient(
            transport=transport, base_url="http://contacts", headers=identity_headers()
        ) as client:
            yield client


@pytest.fixture(autouse=True)
async def clean(database_url: str) -> None:
    await truncate(database_url, ["contacts", "outbox", "idempotency_keys"])


@pytest.fixture
async def db(database_url: str) -> AsyncIterator[asyncpg.Connection]:
    conn = await asyncpg.connect(asyncpg_dsn(database_url))
    yield conn
    await conn.close()
