"""Login, bearer tokens and the proxy's failure modes against a real Postgres."""

from __future__ import annotations

import base64
import contextlib
import json
import time
import uuid
from collections.abc import Callable

import httpx
import jwt
import pytest

from gateway.adapters import security
from gateway.adapters.security import issue_access_token
from gateway.settings import GatewaySettings

from .conftest import MakeUser, login

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


async def test_forged_access_tokens_are_a_401(
    client: httpx.AsyncClient, admin: dict[str, str], make_user: MakeUser
) -> None:
    me = (await client.get("/api/v1/auth/me", headers=admin)).json()
    viewer, _ = await make_user("viewer")
    claims = {
        "sub": me["id"],
        "role": "admin",
        "aud": "treue-api",
        "jti": str(uuid.uuid4()),
        "iat": int(time.time()),
        "exp": int(time.time()) + 300,
    }
    other_secret = issue_access_token(
        uuid.UUID(me["id"]), "admin", "a-secret-the-gateway-does-not-have-0123456789", ttl=300
    )
    unsigned = jwt.encode(claims, key=None, algorithm="none")
    # A viewer's genuine signature under an admin's claims: the signature no longer matches.
    genuine = issue_access_token(
        uuid.UUID(viewer["id"]), "viewer", GatewaySettings().access_token_secret, ttl=300
    )
    header, _, signature = genuine.split(".")
    body = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
    swapped = f"{header}.{body}.{signature}"

    answers = [
        await client.get("/api/v1/contacts", headers={"Authorization": f"Bearer {token}"})
        for token in (other_secret, unsigned, swapped)
    ]

    assert [answer.status_code for answer in answers] == [401, 401, 401]
    assert {answer.headers["content-type"] for answer in answers} == {"application/problem+json"}


async def test_an_unknown_email_costs_the_same_argon2_check_as_a_wrong_password(
    client: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    checked: list[str] = []
    verify = security._hasher.verify

    def counting(password: str, password_hash: str) -> bool:
        checked.append(password_hash)
        return verify(password, password_hash)

    monkeypatch.setattr(security._hasher, "verify", counting)

    unknown = await client.post(
        "/api/v1/auth/login", json={"email": "niemand@treue.local", "password": "x" * 12}
    )
    wrong = await client.post(
        "/api/v1/auth/login", json={"email": ADMIN["email"], "password": "y" * 12}
    )

    # The same answer, and one argon2 verification each: neither words nor time tell them apart.
    assert (unknown.status_code, wrong.status_code) == (401, 401)
    assert unknown.json()["detail"] == wrong.json()["detail"]
    assert len(checked) == 2
    assert checked[0] == security._DUMMY_HASH
    assert checked[1] != security._DUMMY_HASH


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


async def test_a_no_content_answer_passes_without_a_content_length(
    client: httpx.AsyncClient, admin: dict[str, str]
) -> None:
    answer = await client.delete("/api/v1/contacts/42/no-content", headers=admin)

    assert answer.status_code == 204
    assert "content-length" not in answer.headers
    assert answer.content == b""
