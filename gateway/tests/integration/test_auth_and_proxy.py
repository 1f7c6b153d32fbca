"""Login, bearer tokens and the proxy's failure modes against a real Postgres."""

from __future__ import annotations

import contextlib
from collections.abc import Callable

import httpx
import pytest

from gateway.adapters.security import issue_access_token
from gateway.settings import GatewaySettings

from .conftest import login

ADMIN = {"email": "chefin@treue.local", "password": "a-long-admin-password"}


async def test_the_first_admin_logs_in_and_sees_who_they_are(
    client: httpx.AsyncClient, admin: dict[str, str]
) -> None:
    me = await client.get("/api/v1/auth/me", headers=admin)

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
    assert missing.headers["content-type"] == "application/problem+json"
    assert missing.headers["x-request-id"]


async def test_logout_revokes_its_bearer_token_on_every_replica_and_only_that_token(
    client: httpx.AsyncClient,
    another_gateway: Callable[..., contextlib.AbstractAsyncContextManager[httpx.AsyncClient]],
) -> None:
    leaving = await login(client, ADMIN)
    staying = await login(client, ADMIN)

    logout = await client.post("/api/v1/auth/logout", headers=leaving)
    after = await client.get("/api/v1/auth/me", headers=leaving)
    proxied = await client.get("/api/v1/contacts", headers=leaving)
    async with another_gateway() as replica:
        elsewhere = await replica.get("/api/v1/auth/me", headers=leaving)
    other_session = await client.get("/api/v1/auth/me", headers=staying)
    again = await client.post("/api/v1/auth/logout", headers=leaving)

    assert logout.status_code == 204
    assert [after.status_code, proxied.status_code, elsewhere.status_code] == [401, 401, 401]
    assert after.headers["content-type"] == "application/problem+json"
    assert other_session.status_code == 200
    assert again.status_code == 401


async def test_an_unknown_api_path_is_a_404_problem(
    client: httpx.AsyncClient, admin: dict[str, str]
) -> None:
    answer = await client.get("/api/v1/nothing", headers=admin)

    assert answer.status_code == 404
    assert answer.headers["content-type"] == "application/problem+json"


async def test_a_service_that_is_down_is_a_503_with_retry_after(
    client: httpx.AsyncClient, admin: dict[str, str]
) -> None:
    answer = await client.get("/api/v1/surveys", headers=admin)

    assert answer.status_code == 503
    assert answer.headers["retry-after"] == "5"
    assert "survey-service" in answer.json()["detail"]


async def test_the_service_receives_the_callers_identity_and_the_answer_rate_limit_headers(
    client: httpx.AsyncClient, admin: dict[str, str]
) -> None:
    answer = await client.get("/api/v1/contacts", headers=admin)

    assert answer.status_code == 200
    identity = answer.json()["identity"]
    assert (identity["kind"], identity["role"]) == ("user", "admin")
    assert int(answer.headers["ratelimit-limit"]) == GatewaySettings().rate_limit_user_per_minute
    assert int(answer.headers["ratelimit-remaining"]) < int(answer.headers["ratelimit-limit"])
    assert int(answer.headers["ratelimit-reset"]) >= 1


@pytest.mark.parametrize(
    "target",
    [
        "/api/v1/contacts/%01%7F",  # control characters, once decoded
        "/api/v1/custom-fields/a%2Fb?limit=2",  # an encoded slash is part of the key
        "/api/v1/contacts/%C3%A4%F0%9F%98%80",  # UTF-8 beyond ASCII
    ],
)
async def test_the_path_reaches_the_service_as_the_caller_encoded_it(
    client: httpx.AsyncClient, admin: dict[str, str], target: str
) -> None:
    # Decoded, the control characters made no valid URL: the gateway answered 500.
    answer = await client.get(target, headers=admin)

    assert answer.status_code == 200, answer.text
    assert answer.json()["target"] == target


async def test_public_survey_routes_pass_without_identity(client: httpx.AsyncClient) -> None:
    answer = await client.get("/api/v1/public/invitations/abc")

    # The survey-service is down in these tests: the gateway tried it instead of refusing.
    assert answer.status_code == 503


async def test_a_public_prefix_with_dot_segments_does_not_open_other_paths(
    client: httpx.AsyncClient,
) -> None:
    # Encoded, so the client sends the dots as they are; the server decodes them.
    answer = await client.get("/api/v1/public/%2e%2e/contacts")

    assert answer.status_code == 404
