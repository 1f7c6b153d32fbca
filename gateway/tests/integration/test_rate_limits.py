"""Rate limits per user, per API key and for logins, with RateLimit-* headers and 429s,
counted once for every gateway replica on the database."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from typing import Any

import asyncpg
import httpx
import pytest
from sqlalchemy.ext.asyncio import create_async_engine

from gateway.adapters.rate_limit_store import SharedRateLimiter
from gateway.adapters.throttle import FixedWindow

ADMIN = {"email": "chefin@treue.local", "password": "a-long-admin-password"}


async def fresh_counters(database_url: str) -> None:
    """Counters of earlier tests gone, and far enough from a minute's end that a test's
    requests all fall in one window."""
    conn = await asyncpg.connect(database_url.replace("+asyncpg", ""))
    try:
        await conn.execute("DELETE FROM rate_limit_counters")
    finally:
        await conn.close()
    into_minute = time.time() % 60
    if into_minute > 50:
        await asyncio.sleep(60.5 - into_minute)


@pytest.fixture
async def tight(another_gateway: Any, database_url: str) -> AsyncIterator[httpx.AsyncClient]:
    """A second gateway on the same database, with limits small enough to reach in a test."""
    await fresh_counters(database_url)
    async with another_gateway(
        rate_limit_user_per_minute=3,
        rate_limit_api_key_per_minute=2,
        login_limit_per_account=4,
        login_limit_per_address=6,
        rate_limit_public_per_minute=5,
    ) as tight_client:
        yield tight_client


async def test_a_user_over_the_limit_gets_a_429_with_retry_after(
    tight: httpx.AsyncClient,
) -> None:
    login = await tight.post("/api/v1/auth/login", json=ADMIN)
    headers = {"Authorization": f"Bearer {login.json()['access_token']}"}

    answers = [await tight.get("/api/v1/contacts", headers=headers) for _ in range(4)]

    assert [a.status_code for a in answers] == [200, 200, 200, 429]
    assert [a.headers["ratelimit-remaining"] for a in answers] == ["2", "1", "0", "0"]
    assert all(a.headers["ratelimit-limit"] == "3" for a in answers)
    refused = answers[-1]
    assert refused.headers["content-type"] == "application/problem+json"
    # Until the minute's window ends, the same for every replica.
    assert 1 <= int(refused.headers["retry-after"]) <= 60
    assert refused.headers["retry-after"] == refused.headers["ratelimit-reset"]
    assert refused.json()["status"] == 429


async def test_an_api_key_has_its_own_limit(tight: httpx.AsyncClient) -> None:
    login = await tight.post("/api/v1/auth/login", json=ADMIN)
    admin = {"Authorization": f"Bearer {login.json()['access_token']}"}
    key = await tight.post(
        "/api/v1/api-keys", json={"name": "Shop", "scopes": ["contacts:read"]}, headers=admin
    )
    bearer = {"Authorization": f"Bearer {key.json()['key']}"}

    answers = [await tight.get("/api/v1/contacts", headers=bearer) for _ in range(3)]

    assert [a.status_code for a in answers] == [200, 200, 429]
    assert answers[0].headers["ratelimit-limit"] == "2"


async def test_logins_are_limited_per_account_whether_or_not_the_password_is_right(
    tight: httpx.AsyncClient,
) -> None:
    wrong = {"email": ADMIN["email"], "password": "falsch-falsch"}

    answers = [await tight.post("/api/v1/auth/login", json=wrong) for _ in range(4)]
    right = await tight.post("/api/v1/auth/login", json=ADMIN)
    other_account = await tight.post(
        "/api/v1/auth/login", json={"email": "jemand@treue.local", "password": "x"}
    )

    assert [a.status_code for a in answers] == [401, 401, 401, 401]
    assert right.status_code == 429
    assert "retry-after" in right.headers
    assert other_account.status_code == 401


async def test_logins_are_limited_per_address(tight: httpx.AsyncClient) -> None:
    answers = [
        await tight.post(
            "/api/v1/auth/login", json={"email": f"person{i}@treue.local", "password": "x"}
        )
        for i in range(7)
    ]

    assert [a.status_code for a in answers][-1] == 429
    assert answers[0].headers["ratelimit-limit"] in {"4", "6"}


async def test_the_public_survey_pages_are_limited_per_address(
    tight: httpx.AsyncClient,
) -> None:
    answers = [await tight.get("/api/v1/public/invitations/some-token") for _ in range(6)]

    assert [a.status_code == 429 for a in answers] == [False] * 5 + [True]
    assert answers[0].headers["ratelimit-limit"] == "5"
    assert "retry-after" in answers[-1].headers


async def test_replicas_share_the_counters(database_url: str) -> None:
    await fresh_counters(database_url)
    engine = create_async_engine(database_url)
    window = FixedWindow(limit=4, window_seconds=60)
    replicas = [SharedRateLimiter(engine, "user", window) for _ in range(2)]
    try:
        quotas = [await replicas[n % 2].hit("jonas") for n in range(5)]
        concurrent = await asyncio.gather(*(replicas[n % 2].hit("lena") for n in range(10)))
        other = await replicas[0].hit("mia")
    finally:
        await engine.dispose()

    assert [q.allowed for q in quotas] == [True, True, True, True, False]
    assert [q.remaining for q in quotas] == [3, 2, 1, 0, 0]
    # The upsert counts every concurrent request once: exactly the limit gets through.
    assert sum(q.allowed for q in concurrent) == 4
    assert sorted(q.remaining for q in concurrent) == [0] * 7 + [1, 2, 3]
    assert other.allowed


async def test_a_connection_postgres_dropped_costs_no_request(database_url: str) -> None:
    await fresh_counters(database_url)
    engine = create_async_engine(
        database_url,
        pool_size=1,
        max_overflow=0,
        pool_pre_ping=False,
        connect_args={"server_settings": {"application_name": "rate-limit-test"}},
    )
    limiter = SharedRateLimiter(engine, "user", FixedWindow(limit=10, window_seconds=60))
    conn = await asyncpg.connect(database_url.replace("+asyncpg", ""))
    try:
        first = await limiter.hit("jonas")
        dropped = await conn.fetchval(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
            " WHERE application_name = 'rate-limit-test'"
        )
        second = await limiter.hit("jonas")
    finally:
        await conn.close()
        await engine.dispose()

    assert dropped == 1
    assert (first.remaining, second.remaining) == (9, 8)


async def test_a_busy_caller_is_counted_in_blocks_and_never_let_past_the_limit(
    database_url: str,
) -> None:
    await fresh_counters(database_url)
    engine = create_async_engine(database_url)
    # Blocks of up to 10 (a hundredth of the limit) per replica.
    window = FixedWindow(limit=1000, window_seconds=60)
    replicas = [SharedRateLimiter(engine, "api-key", window) for _ in range(2)]
    conn = await asyncpg.connect(database_url.replace("+asyncpg", ""))
    try:
        quotas = [await replicas[n % 2].hit("shop") for n in range(1100)]
        counted = await conn.fetchval(
            "SELECT count FROM rate_limit_counters WHERE key = 'api-key:shop'"
        )
    finally:
        await conn.close()
        await engine.dispose()

    allowed = sum(q.allowed for q in quotas)
    # The other replica's unused block may be lost to the caller, never given twice.
    assert 1000 - 10 <= allowed <= 1000
    assert not any(q.allowed for q in quotas[allowed + 20 :])
    # Reserved in blocks up to the limit, then refused without counting further.
    assert 1000 <= counted <= 1000 + 2 * 10
    assert quotas[0].remaining == 999
    assert all(q.limit == 1000 for q in quotas)
