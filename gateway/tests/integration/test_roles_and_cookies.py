"""The role policy at the front door, and the SPA's session cookie with its CSRF token."""

from __future__ import annotations

import httpx
import pytest

from .conftest import PASSWORD, login

ADMIN = {"email": "chefin@treue.local", "password": "a-long-admin-password"}


@pytest.mark.parametrize("method", ["POST", "PUT", "PATCH", "DELETE"])
async def test_a_viewer_reads_but_cannot_write(
    client: httpx.AsyncClient, members: dict[str, dict[str, str]], method: str
) -> None:
    viewer = members["viewer"]
    # Its own session: logging out revokes the token, and members' is shared.
    session = await login(client, {"email": "viewer.member@treue.local", "password": PASSWORD})

    read = await client.get("/api/v1/contacts", headers=viewer)
    write = await client.request(method, "/api/v1/contacts", json={}, headers=viewer)
    logout = await client.post("/api/v1/auth/logout", headers=session)

    assert read.status_code == 200
    assert write.status_code == 403
    assert write.headers["content-type"] == "application/problem+json"
    assert write.json()["detail"] == "a viewer may not write"
    assert logout.status_code == 204


@pytest.mark.parametrize("role", ["agent", "manager", "viewer"])
@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/api/v1/users"),
        ("POST", "/api/v1/users"),
        ("GET", "/api/v1/api-keys"),
        ("POST", "/api/v1/api-keys"),
        ("GET", "/api/v1/audit-log"),
    ],
)
async def test_only_admins_manage_users_keys_and_read_the_audit_log(
    client: httpx.AsyncClient,
    members: dict[str, dict[str, str]],
    role: str,
    method: str,
    path: str,
) -> None:
    answer = await client.request(method, path, json={}, headers=members[role])

    assert answer.status_code == 403


@pytest.mark.parametrize("role", ["agent", "manager", "viewer"])
@pytest.mark.parametrize("method", ["PUT", "DELETE"])
async def test_only_admins_change_the_run_time_settings_at_the_front_door(
    client: httpx.AsyncClient, members: dict[str, dict[str, str]], role: str, method: str
) -> None:
    read = await client.get("/api/v1/settings/contacts", headers=members[role])
    change = await client.request(
        method, "/api/v1/settings/contacts", json={}, headers=members[role]
    )

    # The fake contacts-service echoes what reaches it: the read did, the change did not.
    assert read.status_code == 200
    assert read.json()["method"] == "GET"
    assert change.status_code == 403
    assert change.headers["content-type"] == "application/problem+json"
    assert change.json()["detail"] == f"a {role} may not change settings"


async def test_an_admin_and_an_admin_key_change_the_settings_through_the_proxy(
    client: httpx.AsyncClient, admin: dict[str, str]
) -> None:
    created = await client.post(
        "/api/v1/api-keys", json={"name": "Ops", "scopes": ["admin"]}, headers=admin
    )
    assert created.status_code == 201, created.text
    admin_key = {"Authorization": f"Bearer {created.json()['key']}"}

    by_admin = await client.put("/api/v1/settings/contacts", json={}, headers=admin)
    by_key = await client.delete("/api/v1/settings/contacts", headers=admin_key)

    assert (by_admin.status_code, by_key.status_code) == (200, 200)
    assert by_admin.json()["identity"]["role"] == "admin"
    assert by_key.json()["identity"]["scopes"] == ["admin"]


async def test_an_agent_writes_through_the_proxy(
    client: httpx.AsyncClient, members: dict[str, dict[str, str]]
) -> None:
    answer = await client.post(
        "/api/v1/contacts", json={"first_name": "Jana"}, headers=members["agent"]
    )

    assert answer.status_code == 201
    assert answer.json()["identity"]["role"] == "agent"


async def session_cookies(client: httpx.AsyncClient) -> tuple[httpx.Response, dict[str, str]]:
    login = await client.post("/api/v1/auth/login", json=ADMIN)
    return login, {name: login.cookies[name] for name in ("treue_session", "treue_csrf")}


def cookie_header(cookies: dict[str, str]) -> dict[str, str]:
    return {"Cookie": "; ".join(f"{name}={value}" for name, value in cookies.items())}


async def test_login_sets_an_httponly_lax_session_cookie_and_a_readable_csrf_cookie(
    client: httpx.AsyncClient,
) -> None:
    login, _ = await session_cookies(client)

    set_cookies = login.headers.get_list("set-cookie")
    session = next(c for c in set_cookies if c.startswith("treue_session="))
    csrf = next(c for c in set_cookies if c.startswith("treue_csrf="))
    assert "HttpOnly" in session
    assert "samesite=lax" in session.lower()
    assert "HttpOnly" not in csrf
    # Secure only in production, where the SPA is served over HTTPS.
    assert "Secure" not in session


async def test_cookie_reads_need_no_csrf_token_but_writes_need_the_matching_one(
    client: httpx.AsyncClient,
) -> None:
    _, cookies = await session_cookies(client)
    headers = cookie_header(cookies)

    read = await client.get("/api/v1/contacts", headers=headers)
    missing = await client.post("/api/v1/contacts", json={}, headers=headers)
    wrong = await client.post(
        "/api/v1/contacts", json={}, headers={**headers, "X-CSRF-Token": "0" * 64}
    )
    right = await client.post(
        "/api/v1/contacts", json={}, headers={**headers, "X-CSRF-Token": cookies["treue_csrf"]}
    )

    assert read.status_code == 200
    assert (missing.status_code, wrong.status_code) == (403, 403)
    assert missing.json()["type"] == "urn:treue:problem:csrf"
    assert right.status_code == 201


async def test_a_planted_csrf_cookie_that_matches_the_header_is_still_refused(
    client: httpx.AsyncClient,
) -> None:
    _, cookies = await session_cookies(client)
    planted = {**cookies, "treue_csrf": "a" * 64}

    answer = await client.post(
        "/api/v1/contacts", json={}, headers={**cookie_header(planted), "X-CSRF-Token": "a" * 64}
    )

    assert answer.status_code == 403


async def test_bearer_writes_need_no_csrf_token(
    client: httpx.AsyncClient, admin: dict[str, str]
) -> None:
    answer = await client.post("/api/v1/contacts", json={}, headers=admin)

    assert answer.status_code == 201


async def test_logout_clears_both_cookies(client: httpx.AsyncClient) -> None:
    _, cookies = await session_cookies(client)

    answer = await client.post(
        "/api/v1/auth/logout",
        headers={**cookie_header(cookies), "X-CSRF-Token": cookies["treue_csrf"]},
    )

    assert answer.status_code == 204
    cleared = answer.headers.get_list("set-cookie")
    assert {c.split("=")[0] for c in cleared} == {"treue_session", "treue_csrf"}
    assert all("Max-Age=0" in c for c in cleared)


async def test_logout_with_the_cookie_revokes_the_session_token(
    client: httpx.AsyncClient,
) -> None:
    _, cookies = await session_cookies(client)
    headers = {**cookie_header(cookies), "X-CSRF-Token": cookies["treue_csrf"]}

    logout = await client.post("/api/v1/auth/logout", headers=headers)
    replayed_cookie = await client.get("/api/v1/auth/me", headers=cookie_header(cookies))
    as_bearer = await client.get(
        "/api/v1/auth/me", headers={"Authorization": f"Bearer {cookies['treue_session']}"}
    )

    assert logout.status_code == 204
    assert [replayed_cookie.status_code, as_bearer.status_code] == [401, 401]
