"""Rate limits per user, per API key and for logins, with RateLimit-* headers and 429s."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

ADMIN = {"email": "chefin@treue.local", "password": "a-long-admin-password"}


@pytest.fixture
async def tight(another_gateway: Any) -> AsyncIterator[httpx.AsyncClient]:
    """A second gateway on the same database, with limits small enough to reach in a test."""
    async with another_gateway(
        rate_limit_user_per_minute=3,
        rate_limit_api_key_per_minute=2,
        login_limit_per_account=4,
        login_limit_per_address=6,
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
    assert int(refused.headers["retry-after"]) == 20  # one request per 60/3 seconds
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
