"""Every write through the gateway lands in the audit log, queryable by admins."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx

from treue.testing import eventually

TASKS = "/api/v1/tasks"
EXPORTS = "/api/v1/contacts/export"  # the POST, and the GET of export.csv


async def audit(
    client: httpx.AsyncClient, admin: dict[str, str], **params: Any
) -> list[dict[str, Any]]:
    answer = await client.get("/api/v1/audit-log", params=params, headers=admin)
    assert answer.status_code == 200, answer.text
    items: list[dict[str, Any]] = answer.json()["items"]
    return items


async def test_a_proxied_write_is_recorded_with_who_what_and_from_where(
    client: httpx.AsyncClient, admin: dict[str, str]
) -> None:
    me = (await client.get("/api/v1/auth/me", headers=admin)).json()
    contact_id = uuid.uuid4()
    path = f"/api/v1/contacts/{contact_id}"
    request_id = uuid.uuid4().hex

    await client.patch(
        path,
        json={"first_name": "Jana"},
        headers={**admin, "User-Agent": "Warenwirtschaft/2.1", "X-Request-ID": request_id},
    )

    async def recorded() -> bool:
        return bool(await audit(client, admin, path_prefix=path))

    await eventually(recorded, timeout=5, message="the PATCH in the audit log")
    [entry] = await audit(client, admin, path_prefix=path)
    assert entry["actor_kind"] == "user"
    assert entry["actor_id"] == me["id"]
    assert (entry["method"], entry["status_code"]) == ("PATCH", 200)
    assert entry["resource_id"] == str(contact_id)
    assert entry["user_agent"] == "Warenwirtschaft/2.1"
    assert entry["request_id"] == request_id
    assert entry["client_address"]


async def test_a_create_records_the_new_resource_id_from_its_location(
    client: httpx.AsyncClient, admin: dict[str, str]
) -> None:
    created = await client.post("/api/v1/products", json={}, headers=admin)
    new_id = created.headers["location"].rsplit("/", 1)[1]

    async def recorded() -> bool:
        entries = await audit(client, admin, path_prefix="/api/v1/products")
        return any(entry["resource_id"] == new_id for entry in entries)

    await eventually(recorded, timeout=5, message="the created product in the audit log")


async def test_failed_logins_and_refused_writes_are_recorded_too(
    client: httpx.AsyncClient, admin: dict[str, str], members: dict[str, dict[str, str]]
) -> None:
    since = datetime.now(UTC) - timedelta(seconds=1)
    await client.post(
        "/api/v1/auth/login", json={"email": "fremd@treue.local", "password": "geraten-123"}
    )
    await client.delete("/api/v1/contacts", headers=members["viewer"])

    async def both_recorded() -> bool:
        entries = await audit(client, admin, **{"from": since.isoformat()})
        statuses = {(e["path"], e["status_code"], e["actor_kind"]) for e in entries}
        return {
            ("/api/v1/auth/login", 401, "anonymous"),
            ("/api/v1/contacts", 403, "user"),
        } <= statuses

    await eventually(both_recorded, timeout=5, message="the failed login and the refused write")


async def test_reads_are_not_recorded(client: httpx.AsyncClient, admin: dict[str, str]) -> None:
    path = f"/api/v1/contacts/{uuid.uuid4()}"
    await client.get(path, headers=admin)
    await client.delete(f"{path}x", headers=admin)  # a write afterwards, as a marker

    async def marker_recorded() -> bool:
        return bool(await audit(client, admin, path_prefix=f"{path}x"))

    await eventually(marker_recorded, timeout=5, message="the marker write")
    assert [e["method"] for e in await audit(client, admin, path_prefix=path)] == ["DELETE"]


async def test_exports_of_contacts_as_csv_are_recorded_and_found_by_method(
    client: httpx.AsyncClient, admin: dict[str, str], make_user: Any
) -> None:
    user, headers = await make_user("viewer")
    await client.get("/api/v1/contacts/export.csv", params={"tag": "vip"}, headers=headers)
    await client.post("/api/v1/contacts/export", json={"filter": {}}, headers=headers)
    await client.get("/api/v1/contacts", headers=headers)

    async def entries() -> list[dict[str, Any]]:
        return await audit(client, admin, actor_id=user["id"], path_prefix=EXPORTS)

    async def both_recorded() -> bool:
        return len(await entries()) == 2

    await eventually(both_recorded, timeout=5, message="the two exports of the viewer")
    reads = await audit(client, admin, actor_id=user["id"], method="GET")
    assert [(e["method"], e["path"], e["status_code"]) for e in await entries()] == [
        ("POST", "/api/v1/contacts/export", 201),
        ("GET", "/api/v1/contacts/export.csv", 200),
    ]
    assert [e["path"] for e in reads] == ["/api/v1/contacts/export.csv"]


async def test_the_log_is_newest_first_in_cursor_pages_and_filtered_by_actor_and_time(
    client: httpx.AsyncClient, admin: dict[str, str], make_user: Any
) -> None:
    user, headers = await make_user("agent")
    for _ in range(3):
        await client.post("/api/v1/tasks", json={}, headers=headers)

    async def all_three() -> bool:
        return len(await audit(client, admin, actor_id=user["id"], path_prefix=TASKS)) == 3

    await eventually(all_three, timeout=5, message="three writes of the agent")
    first = await client.get(
        "/api/v1/audit-log", params={"actor_id": user["id"], "limit": 2}, headers=admin
    )
    second = await client.get(
        "/api/v1/audit-log",
        params={
            "actor_id": user["id"],
            "path_prefix": TASKS,
            "limit": 2,
            "cursor": first.json()["next_cursor"],
        },
        headers=admin,
    )
    entries = first.json()["items"] + second.json()["items"]
    future = await audit(
        client,
        admin,
        actor_id=user["id"],
        **{"from": (datetime.now(UTC) + timedelta(hours=1)).isoformat()},
    )

    logins = await audit(client, admin, actor_id=user["id"], path_prefix="/api/v1/auth/login")
    assert [(e["status_code"], e["actor_kind"]) for e in logins] == [(200, "user")]
    assert second.json()["next_cursor"] is None
    assert len({e["id"] for e in entries}) == 3
    times = [e["occurred_at"] for e in entries]
    assert times == sorted(times, reverse=True)
    assert future == []


async def test_pending_entries_are_written_when_the_gateway_stops(
    another_gateway: Any, admin: dict[str, str], client: httpx.AsyncClient
) -> None:
    path = f"/api/v1/contacts/{uuid.uuid4()}"
    async with another_gateway(audit_flush_seconds=30) as slow:
        await slow.delete(path, headers=admin)

    assert len(await audit(client, admin, path_prefix=path)) == 1


async def test_the_gateways_own_creates_answer_a_location_the_audit_log_records(
    client: httpx.AsyncClient, admin: dict[str, str]
) -> None:
    user = {
        "email": f"audit.{uuid.uuid4().hex[:8]}@treue.local",
        "name": "Ida Prüfer",
        "role": "viewer",
        "password": "ein-sehr-langes-passwort",
    }
    created = {
        "/api/v1/users": await client.post("/api/v1/users", json=user, headers=admin),
        "/api/v1/api-keys": await client.post(
            "/api/v1/api-keys", json={"name": "ERP", "scopes": ["contacts:read"]}, headers=admin
        ),
    }

    for path, answer in created.items():
        assert answer.status_code == 201, answer.text
        assert answer.headers["location"] == f"{path}/{answer.json()['id']}"

        async def recorded(path: str = path, new_id: str = answer.json()["id"]) -> bool:
            entries = await audit(client, admin, path_prefix=path)
            return any(entry["resource_id"] == new_id for entry in entries)

        await eventually(recorded, timeout=5, message=f"the create at {path} in the audit log")
