"""Fixtures of the cross-service tests against the running local stack (`make up`).

Only HTTP goes through the gateway; the databases and Kafka are read (and Kafka written)
directly to prove what the API cannot show: one inbox row per event, outbox order,
committed offsets.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import asyncpg
import httpx
import pytest

from tests.support import GATEWAY_URL, admin_credentials, database_url


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "e2e: end-to-end through the gateway (needs `make up`)")
    config.addinivalue_line(
        "markers", "faults: stops, starts or kills parts of the running stack (slow)"
    )


@pytest.fixture(scope="session")
async def admin_token() -> str:
    async with httpx.AsyncClient(base_url=GATEWAY_URL, timeout=10) as anonymous:
        try:
            ready = await anonymous.get("/health/ready")
        except httpx.TransportError as error:
            pytest.fail(f"the gateway at {GATEWAY_URL} does not answer ({error}): run `make up`")
        assert ready.status_code == 200, ready.text
        try:
            email, password = admin_credentials()
        except OSError as error:
            pytest.fail(f"no admin login ({error}): run `make up` or set TREUE_ADMIN_*")
        answer = await anonymous.post(
            "/api/v1/auth/login", json={"email": email, "password": password}
        )
    assert answer.status_code == 200, answer.text
    token: str = answer.json()["access_token"]
    return token


@pytest.fixture(scope="session")
async def client(admin_token: str) -> AsyncIterator[httpx.AsyncClient]:
    """An admin's HTTP client on the gateway."""
    async with httpx.AsyncClient(
        base_url=GATEWAY_URL,
        headers={"Authorization": f"Bearer {admin_token}"},
        timeout=60,
        limits=httpx.Limits(max_connections=32, max_keepalive_connections=32),
    ) as admin_client:
        yield admin_client


async def _pool(service: str) -> asyncpg.Pool:
    pool: asyncpg.Pool = await asyncpg.create_pool(database_url(service), min_size=1, max_size=4)
    return pool


@pytest.fixture(scope="session")
async def contacts_db() -> AsyncIterator[asyncpg.Pool]:
    pool = await _pool("contacts")
    yield pool
    await pool.close()


@pytest.fixture(scope="session")
async def analytics_db() -> AsyncIterator[asyncpg.Pool]:
    pool = await _pool("analytics")
    yield pool
    await pool.close()
