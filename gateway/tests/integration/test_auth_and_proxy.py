"""Login, bearer tokens and the proxy's failure modes against a real Postgres."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from asgi_lifespan import LifespanManager

from gateway.adapters.security import issue_access_token
from gateway.main import create_app
from gateway.settings import GatewaySettings
from treue.testing import create_migrated_database

ALEMBIC_INI = Path(__file__).parents[2] / "alembic.ini"
ADMIN = {"email": "chefin@treue.local", "password": "a-long-admin-password"}


@pytest.fixture(scope="session")
async def client() -> AsyncIterator[httpx.AsyncClient]:
    settings = GatewaySettings(
        database_url=create_migrated_database("gateway_test", ALEMBIC_INI),
        run_background=False,
        admin_email=ADMIN["email"],
        admin_password=ADMIN["password"],
        contacts_url="http://127.0.0.1:1",
    )
    app = create_app(settings)
    async with LifespanManager(app) as manager:
        transport = httpx.ASGITransport(app=manager.app)
        async with httpx.AsyncClient(transport=transport, base_url="http://gateway") as client:
            yield client


async def login(client: httpx.AsyncClient) -> str:
    answer = await client.post("/api/v1/auth/login", json=ADMIN)
    assert answer.status_code == 200, answer.text
    token: str = answer.json()["access_token"]
    return token


async def test_the_first_admin_logs_in_and_sees_who_they_are(client: httpx.AsyncClient) -> None:
    token = await login(client)

    me = await client.get("/api/v1/auth/me", headers={"Authorization": f"Bearer {token}"})

    assert me.status_code == 200
    assert me.json()["email"] == ADMIN["email"]
    assert me.json()["role"] == "admin"


@pytest.mark.parametrize(
    "credentials",
    [
        {"email": ADMIN["email"], "password": "wrong"},
        {"email": "nobody@treue.local", "password": ADMIN["password"]},
    ],
)
async def test_wrong_credentials_are_a_401_that_does_not_say_which_part_was_wrong(
    client: httpx.AsyncClient, credentials: dict[str, str]
) -> None:
    answer = await client.post("/api/v1/auth/login", json=credentials)

    assert answer.status_code == 401
    assert answer.json()["detail"] == "e-mail or password is wrong"


async def test_api_routes_need_a_valid_unexpired_token(client: httpx.AsyncClient) -> None:
    settings = GatewaySettings()
    me = (await client.post("/api/v1/auth/login", json=ADMIN)).json()["user"]
    expired = issue_access_token(me["id"], "admin", settings.access_token_secret, ttl=-5)

    missing = await client.get("/api/v1/contacts")
    garbage = await client.get("/api/v1/contacts", headers={"Authorization": "Bearer x.y.z"})
    too_old = await client.get("/api/v1/contacts", headers={"Authorization": f"Bearer {expired}"})

    assert [missing.status_code, garbage.status_code, too_old.status_code] == [401, 401, 401]
    assert missing.headers["www-authenticate"] == "Bearer"


async def test_an_unknown_api_path_is_a_404_problem(client: httpx.AsyncClient) -> None:
    token = await login(client)

    answer = await client.get("/api/v1/nothing", headers={"Authorization": f"Bearer {token}"})

    assert answer.status_code == 404
    assert answer.headers["content-type"] == "application/problem+json"


async def test_a_service_that_is_down_is_a_503_with_retry_after(client: httpx.AsyncClient) -> None:
    token = await login(client)

    answer = await client.get("/api/v1/contacts", headers={"Authorization": f"Bearer {token}"})

    assert answer.status_code == 503
    assert answer.headers["retry-after"] == "5"
    assert "contacts-service" in answer.json()["detail"]
