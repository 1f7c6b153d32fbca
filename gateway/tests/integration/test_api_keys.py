"""API keys: created by admins, shown once, stored hashed, scoped and revocable."""

from __future__ import annotations

import contextlib
import hashlib
from collections.abc import Callable
from typing import Any

import asyncpg
import httpx
import pytest

from treue.outbox import asyncpg_dsn
from treue.testing import eventually


async def create_key(
    client: httpx.AsyncClient, admin: dict[str, str], scopes: list[str]
) -> dict[str, Any]:
    answer = await client.post(
        "/api/v1/api-keys", json={"name": "Webshop", "scopes": scopes}, headers=admin
    )
    assert answer.status_code == 201, answer.text
    created: dict[str, Any] = answer.json()
    return created


async def test_a_key_is_shown_once_and_stored_only_as_a_hash(
    client: httpx.AsyncClient, admin: dict[str, str], database_url: str
) -> None:
    created = await create_key(client, admin, ["contacts:read"])

    listed = (await client.get("/api/v1/api-keys", headers=admin)).json()["items"]
    conn = await asyncpg.connect(asyncpg_dsn(database_url))
    try:
        row = await conn.fetchrow("SELECT * FROM api_keys WHERE id = $1", created["id"])
    finally:
        await conn.close()

    assert created["key"].startswith("treue_")
    assert len(created["key"]) > 40
    listed_key = next(key for key in listed if key["id"] == created["id"])
    assert "key" not in listed_key
    assert "key_hash" not in listed_key
    assert listed_key["scopes"] == ["contacts:read"]
    assert created["key"] not in str(dict(row))
    assert row["key_hash"] == hashlib.sha256(created["key"].encode()).hexdigest()


async def test_an_unknown_scope_is_named_by_its_position(
    client: httpx.AsyncClient, admin: dict[str, str]
) -> None:
    answer = await client.post(
        "/api/v1/api-keys",
        json={"name": "Webshop", "scopes": ["contacts:read", "everything"]},
        headers=admin,
    )

    assert answer.status_code == 422
    assert [error["field"] for error in answer.json()["errors"]] == ["scopes[1]"]


async def test_a_key_reaches_the_services_with_its_scopes_and_records_its_last_use(
    client: httpx.AsyncClient, admin: dict[str, str]
) -> None:
    created = await create_key(client, admin, ["contacts:read", "surveys:read"])
    bearer = {"Authorization": f"Bearer {created['key']}"}

    first = await client.get("/api/v1/contacts", headers=bearer)
    second = await client.get("/api/v1/contacts", headers=bearer)
    listed = (await client.get("/api/v1/api-keys", headers=admin)).json()["items"]

    assert (first.status_code, second.status_code) == (200, 200)
    identity = first.json()["identity"]
    assert identity["kind"] == "api_key"
    assert identity["subject"] == created["id"]
    assert identity["scopes"] == ["contacts:read", "surveys:read"]
    assert next(k for k in listed if k["id"] == created["id"])["last_used_at"] is not None


async def test_a_revoked_key_is_refused_at_once(
    client: httpx.AsyncClient, admin: dict[str, str]
) -> None:
    created = await create_key(client, admin, ["contacts:read"])
    bearer = {"Authorization": f"Bearer {created['key']}"}

    revoked = await client.delete(f"/api/v1/api-keys/{created['id']}", headers=admin)
    again = await client.delete(f"/api/v1/api-keys/{created['id']}", headers=admin)
    answer = await client.get("/api/v1/contacts", headers=bearer)
    listed = (await client.get("/api/v1/api-keys", headers=admin)).json()["items"]

    assert (revoked.status_code, again.status_code) == (204, 204)
    assert answer.status_code == 401
    assert next(k for k in listed if k["id"] == created["id"])["revoked_at"] is not None


@pytest.mark.parametrize("key", ["treue_made-up", "treue_"])
async def test_an_unknown_key_is_a_401(client: httpx.AsyncClient, key: str) -> None:
    answer = await client.get("/api/v1/contacts", headers={"Authorization": f"Bearer {key}"})

    assert answer.status_code == 401


async def test_only_a_key_with_the_admin_scope_may_manage_keys(
    client: httpx.AsyncClient, admin: dict[str, str]
) -> None:
    plain = await create_key(client, admin, ["contacts:write"])
    full = await create_key(client, admin, ["admin"])

    refused = await client.get(
        "/api/v1/api-keys", headers={"Authorization": f"Bearer {plain['key']}"}
    )
    allowed = await client.post(
        "/api/v1/api-keys",
        json={"name": "Provisioning", "scopes": ["contacts:read"]},
        headers={"Authorization": f"Bearer {full['key']}"},
    )

    assert refused.status_code == 403
    assert allowed.status_code == 201


async def test_a_key_revoked_on_one_replica_is_refused_by_another_that_remembered_it(
    client: httpx.AsyncClient,
    admin: dict[str, str],
    another_gateway: Callable[..., contextlib.AbstractAsyncContextManager[httpx.AsyncClient]],
) -> None:
    created = await create_key(client, admin, ["contacts:read"])
    bearer = {"Authorization": f"Bearer {created['key']}"}
    # Remembered far longer than the test waits: only the notification can clear it.
    async with another_gateway(sign_in_cache_seconds=600) as replica:
        before = await replica.get("/api/v1/contacts", headers=bearer)
        remembered = await replica.get("/api/v1/contacts", headers=bearer)
        revoked = await client.delete(f"/api/v1/api-keys/{created['id']}", headers=admin)

        async def refused() -> bool:
            return (await replica.get("/api/v1/contacts", headers=bearer)).status_code == 401

        await eventually(refused, timeout=5, message="the other replica refused the key")

    assert (before.status_code, remembered.status_code, revoked.status_code) == (200, 200, 204)


async def test_a_deactivated_user_is_refused_by_a_replica_that_remembered_them(
    client: httpx.AsyncClient,
    admin: dict[str, str],
    make_user: Any,
    another_gateway: Callable[..., contextlib.AbstractAsyncContextManager[httpx.AsyncClient]],
) -> None:
    user, headers = await make_user("agent")
    async with another_gateway(sign_in_cache_seconds=600) as replica:
        before = await replica.get("/api/v1/contacts", headers=headers)
        gone = await client.delete(f"/api/v1/users/{user['id']}", headers=admin)

        async def refused() -> bool:
            return (await replica.get("/api/v1/contacts", headers=headers)).status_code == 401

        await eventually(refused, timeout=5, message="the other replica refused the user")

    assert (before.status_code, gone.status_code) == (200, 204)
