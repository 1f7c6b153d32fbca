"""User management by admins, and the rule that Treue always keeps an active admin."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
import pytest

PASSWORD = "ein-sehr-langes-passwort"


def new_user(**overrides: Any) -> dict[str, Any]:
    email = f"lena.{uuid.uuid4().hex[:8]}@treue.local"
    return {
        "email": email,
        "name": "Lena Hoffmann",
        "role": "agent",
        "password": PASSWORD,
        **overrides,
    }


async def test_an_admin_creates_a_user_who_can_then_log_in(
    client: httpx.AsyncClient, admin: dict[str, str]
) -> None:
    body = new_user(role="manager")

    created = await client.post("/api/v1/users", json=body, headers=admin)
    login = await client.post(
        "/api/v1/auth/login", json={"email": body["email"], "password": PASSWORD}
    )

    assert created.status_code == 201, created.text
    assert created.json()["role"] == "manager"
    assert "password" not in created.json()
    assert "password_hash" not in created.json()
    assert login.status_code == 200
    assert login.json()["user"]["id"] == created.json()["id"]


@pytest.mark.parametrize(
    ("overrides", "field"),
    [({"password": "kurz"}, "password"), ({"role": "owner"}, "role"), ({"email": "x"}, "email")],
)
async def test_bad_user_fields_are_named(
    client: httpx.AsyncClient, admin: dict[str, str], overrides: dict[str, str], field: str
) -> None:
    answer = await client.post("/api/v1/users", json=new_user(**overrides), headers=admin)

    assert answer.status_code == 422
    assert [error["field"] for error in answer.json()["errors"]] == [field]


async def test_a_taken_email_is_a_409_whatever_its_case(
    client: httpx.AsyncClient, admin: dict[str, str]
) -> None:
    body = new_user()
    await client.post("/api/v1/users", json=body, headers=admin)

    again = await client.post(
        "/api/v1/users", json={**body, "email": body["email"].upper()}, headers=admin
    )

    assert again.status_code == 409
    assert again.json()["errors"][0]["field"] == "email"


async def test_users_are_listed_in_cursor_pages(
    client: httpx.AsyncClient, admin: dict[str, str]
) -> None:
    for _ in range(3):
        await client.post("/api/v1/users", json=new_user(), headers=admin)

    seen: list[str] = []
    cursor: str | None = None
    while True:
        params: dict[str, Any] = {"limit": 2, **({"cursor": cursor} if cursor else {})}
        page = (await client.get("/api/v1/users", params=params, headers=admin)).json()
        seen += [user["id"] for user in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break

    assert len(seen) == len(set(seen)) >= 4


async def test_an_admin_changes_role_and_password_and_deactivates(
    client: httpx.AsyncClient, admin: dict[str, str]
) -> None:
    body = new_user()
    user = (await client.post("/api/v1/users", json=body, headers=admin)).json()
    path = f"/api/v1/users/{user['id']}"

    changed = await client.patch(
        path, json={"role": "viewer", "password": "ein-anderes-langes-passwort"}, headers=admin
    )
    old_password = await client.post(
        "/api/v1/auth/login", json={"email": body["email"], "password": PASSWORD}
    )
    deleted = await client.delete(path, headers=admin)
    after = await client.get(path, headers=admin)
    login = await client.post(
        "/api/v1/auth/login",
        json={"email": body["email"], "password": "ein-anderes-langes-passwort"},
    )

    assert changed.status_code == 200
    assert changed.json()["role"] == "viewer"
    assert old_password.status_code == 401
    assert deleted.status_code == 204
    assert after.json()["active"] is False
    assert login.status_code == 401


async def test_a_deactivated_users_token_stops_working_at_once(
    client: httpx.AsyncClient, admin: dict[str, str], make_user: Any
) -> None:
    user, headers = await make_user("agent")

    await client.patch(f"/api/v1/users/{user['id']}", json={"active": False}, headers=admin)
    answer = await client.get("/api/v1/contacts", headers=headers)

    assert answer.status_code == 401


async def test_the_last_active_admin_can_neither_leave_nor_be_demoted(
    client: httpx.AsyncClient, admin: dict[str, str], make_user: Any
) -> None:
    me = (await client.get("/api/v1/auth/me", headers=admin)).json()
    others = await client.get(
        "/api/v1/users", params={"role": "admin", "active": "true", "limit": 500}, headers=admin
    )
    for other in others.json()["items"]:
        if other["id"] != me["id"]:
            await client.patch(
                f"/api/v1/users/{other['id']}", json={"active": False}, headers=admin
            )

    demote = await client.patch(f"/api/v1/users/{me['id']}", json={"role": "agent"}, headers=admin)
    leave = await client.delete(f"/api/v1/users/{me['id']}", headers=admin)
    _deputy, deputy_headers = await make_user("admin")
    leave_with_deputy = await client.delete(f"/api/v1/users/{me['id']}", headers=admin)
    await client.patch(f"/api/v1/users/{me['id']}", json={"active": True}, headers=deputy_headers)

    assert (demote.status_code, leave.status_code) == (409, 409)
    assert "last active admin" in demote.json()["detail"]
    assert leave_with_deputy.status_code == 204


async def test_an_unknown_user_is_a_404(client: httpx.AsyncClient, admin: dict[str, str]) -> None:
    answer = await client.patch(f"/api/v1/users/{uuid.uuid4()}", json={"name": "X"}, headers=admin)

    assert answer.status_code == 404
