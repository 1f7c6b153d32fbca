"""Who may do what, against the real services behind the gateway (OWASP API1/API5): an API
key reaches only what its scopes name, a viewer reads but writes nothing, and only admins
manage users, keys and the run-time settings. Every refusal is a 403 problem."""

from __future__ import annotations

import uuid

import httpx
import pytest

from tests.support import GATEWAY_URL, create_contact

pytestmark = pytest.mark.e2e

PASSWORD = "ein-sehr-langes-passwort"


async def bearer_client(token: str) -> httpx.AsyncClient:
    return httpx.AsyncClient(
        base_url=GATEWAY_URL, headers={"Authorization": f"Bearer {token}"}, timeout=30
    )


async def new_key(client: httpx.AsyncClient, *scopes: str) -> str:
    answer = await client.post(
        "/api/v1/api-keys", json={"name": f"e2e {' '.join(scopes)}", "scopes": list(scopes)}
    )
    assert answer.status_code == 201, answer.text
    key: str = answer.json()["key"]
    return key


async def new_user_token(client: httpx.AsyncClient, role: str) -> str:
    email = f"e2e-{role}-{uuid.uuid4().hex[:8]}@treue.local"
    body = {"email": email, "name": f"E2E {role}", "role": role, "password": PASSWORD}
    created = await client.post("/api/v1/users", json=body)
    assert created.status_code == 201, created.text
    async with httpx.AsyncClient(base_url=GATEWAY_URL, timeout=30) as anonymous:
        login = await anonymous.post(
            "/api/v1/auth/login", json={"email": email, "password": PASSWORD}
        )
    assert login.status_code == 200, login.text
    token: str = login.json()["access_token"]
    return token


def assert_refused(answer: httpx.Response) -> None:
    assert answer.status_code == 403, (answer.request.method, answer.request.url, answer.text)
    assert answer.headers["content-type"] == "application/problem+json"


async def test_an_api_key_reaches_only_what_its_scopes_name(client: httpx.AsyncClient) -> None:
    async with await bearer_client(await new_key(client, "contacts:read")) as key:
        allowed = await key.get("/api/v1/contacts", params={"limit": 1})
        refused = [
            await key.post("/api/v1/contacts", json={"first_name": "Jana", "last_name": "K"}),
            await key.get("/api/v1/surveys"),
            await key.get("/api/v1/analytics/customers", params={"limit": 1}),
            await key.get("/api/v1/users"),
            await key.get("/api/v1/api-keys"),
            await key.get("/api/v1/webhooks"),
            await key.get("/api/v1/audit-log"),
            await key.put("/api/v1/settings/contacts", json={}),
        ]

    assert allowed.status_code == 200, allowed.text
    for answer in refused:
        assert_refused(answer)


async def test_a_viewer_reads_every_service_but_writes_none(client: httpx.AsyncClient) -> None:
    async with await bearer_client(await new_user_token(client, "viewer")) as viewer:
        reads = [
            await viewer.get("/api/v1/contacts", params={"limit": 1}),
            await viewer.get("/api/v1/surveys"),
            await viewer.get("/api/v1/analytics/customers", params={"limit": 1}),
            await viewer.get("/api/v1/settings/analytics"),
        ]
        writes = [
            await viewer.post("/api/v1/contacts", json={"first_name": "Jana", "last_name": "K"}),
            await viewer.post("/api/v1/surveys", json={"name": "NPS"}),
            await viewer.post("/api/v1/analytics/segments", json={"name": "x", "filters": {}}),
            await viewer.patch(f"/api/v1/contacts/{uuid.uuid4()}", json={"first_name": "X"}),
            await viewer.delete(f"/api/v1/contacts/{uuid.uuid4()}"),
        ]

    assert [answer.status_code for answer in reads] == [200] * len(reads)
    for answer in writes:
        assert_refused(answer)


@pytest.mark.parametrize("role", ["manager", "agent"])
async def test_only_admins_manage_users_keys_and_settings(
    client: httpx.AsyncClient, role: str
) -> None:
    me_before = await client.get("/api/v1/auth/me")
    async with await bearer_client(await new_user_token(client, role)) as member:
        me = (await member.get("/api/v1/auth/me")).json()
        refused = [
            # Not even their own role: a PATCH of one's own account is user management.
            await member.patch(f"/api/v1/users/{me['id']}", json={"role": "admin"}),
            await member.post(
                "/api/v1/users",
                json={
                    "email": f"x-{uuid.uuid4().hex[:8]}@treue.local",
                    "name": "X",
                    "role": "admin",
                    "password": PASSWORD,
                },
            ),
            await member.post("/api/v1/api-keys", json={"name": "mine", "scopes": ["admin"]}),
            await member.put("/api/v1/settings/surveys", json={}),
            await member.delete("/api/v1/settings/analytics"),
        ]
        still = await member.get("/api/v1/auth/me")

    for answer in refused:
        assert_refused(answer)
    assert still.json()["role"] == role
    assert (await client.get("/api/v1/auth/me")).json() == me_before.json()


@pytest.mark.parametrize(
    "field", ["id", "version", "created_at", "updated_at", "erased_at", "role"]
)
async def test_a_patch_cannot_set_fields_the_api_does_not_let_callers_set(
    client: httpx.AsyncClient, field: str
) -> None:
    contact = await create_contact(client)

    answer = await client.patch(
        f"/api/v1/contacts/{contact['id']}", json={"first_name": "Eva", field: "2"}
    )
    after = await client.get(f"/api/v1/contacts/{contact['id']}")

    # Mass assignment (OWASP API3): named and refused, nothing of the request applied.
    assert answer.status_code == 422, answer.text
    assert [error["field"] for error in answer.json()["errors"]] == [field]
    assert after.json()["first_name"] == contact["first_name"]
    assert after.json()["version"] == contact["version"]


async def test_an_admin_cannot_set_a_users_email_or_id_by_patch(client: httpx.AsyncClient) -> None:
    email = f"e2e-agent-{uuid.uuid4().hex[:8]}@treue.local"
    body = {"email": email, "name": "E2E agent", "role": "agent", "password": PASSWORD}
    user = (await client.post("/api/v1/users", json=body)).json()

    answer = await client.patch(
        f"/api/v1/users/{user['id']}", json={"email": "chef@treue.local", "id": str(uuid.uuid4())}
    )

    assert answer.status_code == 422, answer.text
    assert sorted(error["field"] for error in answer.json()["errors"]) == ["email", "id"]
    assert (await client.get(f"/api/v1/users/{user['id']}")).json()["email"] == email
