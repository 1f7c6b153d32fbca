"""Webhook subscriptions: who may manage them, validation, the SSRF guard and the secret."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from treue.testing import eventually

PUBLIC_URL = "https://93.184.215.14/hooks/treue"
BODY = {"url": PUBLIC_URL, "event_types": ["nps.detractor", "customer.churned"]}


async def create(
    client: httpx.AsyncClient, headers: dict[str, str], **overrides: Any
) -> dict[str, Any]:
    answer = await client.post("/api/v1/webhooks", json={**BODY, **overrides}, headers=headers)
    assert answer.status_code == 201, answer.text
    created: dict[str, Any] = answer.json()
    assert answer.headers["location"] == f"/api/v1/webhooks/{created['id']}"
    return created


async def test_create_answers_the_secret_once_and_lists_without_it(
    client: httpx.AsyncClient, admin: dict[str, str]
) -> None:
    created = await create(client, admin, description="Ticketsystem")

    fetched = await client.get(f"/api/v1/webhooks/{created['id']}", headers=admin)
    listed = (await client.get("/api/v1/webhooks", headers=admin)).json()["items"]

    assert created["secret"].startswith("whsec_")
    assert created["event_types"] == ["nps.detractor", "customer.churned"]
    assert created["enabled"] is True
    assert fetched.status_code == 200
    assert "secret" not in fetched.json()
    assert fetched.json()["description"] == "Ticketsystem"
    assert created["id"] in [item["id"] for item in listed]
    assert all("secret" not in item for item in listed)


async def test_update_and_delete(client: httpx.AsyncClient, admin: dict[str, str]) -> None:
    created = await create(client, admin)
    url = f"/api/v1/webhooks/{created['id']}"

    disabled = await client.patch(url, json={"enabled": False}, headers=admin)
    changed = await client.patch(
        url, json={"event_types": ["order.recorded"], "enabled": True}, headers=admin
    )
    deleted = await client.delete(url, headers=admin)
    gone = await client.get(url, headers=admin)

    assert disabled.json()["enabled"] is False
    assert disabled.json()["disabled_reason"] == "disabled by an admin"
    assert changed.json()["event_types"] == ["order.recorded"]
    assert changed.json()["enabled"] is True
    assert changed.json()["disabled_reason"] is None
    assert deleted.status_code == 204
    assert gone.status_code == 404
    assert gone.headers["content-type"] == "application/problem+json"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({**BODY, "event_types": ["nps.detractor", "nps.everything"]}, "event_types[1]"),
        ({**BODY, "event_types": []}, "event_types"),
        ({**BODY, "url": "ftp://example.de/hook"}, "url"),
        ({**BODY, "url": "https://user:secret@example.de/hook"}, "url"),
        ({**BODY, "url": "http://127.0.0.1:8000/api/v1/users"}, "url"),
        ({**BODY, "url": "http://localhost/hook"}, "url"),
        ({**BODY, "url": "http://169.254.169.254/latest/meta-data"}, "url"),
        ({**BODY, "url": "http://10.0.0.5/hook"}, "url"),
        ({**BODY, "url": "http://[::1]/hook"}, "url"),
        ({**BODY, "url": "https://no-such-host.invalid/hook"}, "url"),
        ({**BODY, "secret": "whsec_mine"}, "secret"),
    ],
)
async def test_bad_input_names_the_field(
    client: httpx.AsyncClient, admin: dict[str, str], body: dict[str, Any], field: str
) -> None:
    answer = await client.post("/api/v1/webhooks", json=body, headers=admin)

    assert answer.status_code == 422, answer.text
    assert answer.headers["content-type"] == "application/problem+json"
    assert [error["field"] for error in answer.json()["errors"]] == [field]


async def test_a_patch_to_a_private_url_is_refused(
    client: httpx.AsyncClient, admin: dict[str, str]
) -> None:
    created = await create(client, admin)

    answer = await client.patch(
        f"/api/v1/webhooks/{created['id']}",
        json={"url": "http://192.168.178.1/hook"},
        headers=admin,
    )
    fetched = await client.get(f"/api/v1/webhooks/{created['id']}", headers=admin)

    assert answer.status_code == 422
    assert answer.json()["errors"][0]["field"] == "url"
    assert fetched.json()["url"] == PUBLIC_URL


async def test_rotation_answers_a_new_secret_and_the_overlap(
    client: httpx.AsyncClient, admin: dict[str, str]
) -> None:
    created = await create(client, admin)

    rotated = await client.post(f"/api/v1/webhooks/{created['id']}/rotate-secret", headers=admin)
    fetched = await client.get(f"/api/v1/webhooks/{created['id']}", headers=admin)

    assert rotated.status_code == 200
    assert rotated.json()["secret"].startswith("whsec_")
    assert rotated.json()["secret"] != created["secret"]
    assert (
        fetched.json()["previous_secret_expires_at"] == rotated.json()["previous_secret_expires_at"]
    )


async def test_only_admins_and_keys_with_the_webhooks_scope_manage_webhooks(
    client: httpx.AsyncClient, admin: dict[str, str], members: dict[str, dict[str, str]]
) -> None:
    keys = {}
    for scopes in (["webhooks:manage"], ["contacts:write"]):
        answer = await client.post(
            "/api/v1/api-keys", json={"name": "Ticketsystem", "scopes": scopes}, headers=admin
        )
        keys[scopes[0]] = {"Authorization": f"Bearer {answer.json()['key']}"}

    by_manager = await client.get("/api/v1/webhooks", headers=members["manager"])
    by_plain_key = await client.post("/api/v1/webhooks", json=BODY, headers=keys["contacts:write"])
    by_webhook_key = await client.post(
        "/api/v1/webhooks", json=BODY, headers=keys["webhooks:manage"]
    )

    assert by_manager.status_code == 403
    assert by_plain_key.status_code == 403
    assert by_webhook_key.status_code == 201
    assert by_webhook_key.json()["created_by"] is None


async def test_writes_land_in_the_audit_log(
    client: httpx.AsyncClient, admin: dict[str, str]
) -> None:
    created = await create(client, admin)
    await client.post(f"/api/v1/webhooks/{created['id']}/rotate-secret", headers=admin)

    async def logged() -> bool:
        answer = await client.get(
            "/api/v1/audit-log", params={"path_prefix": "/api/v1/webhooks"}, headers=admin
        )
        paths = {(e["method"], e["path"], e["resource_id"]) for e in answer.json()["items"]}
        return (
            "POST",
            f"/api/v1/webhooks/{created['id']}/rotate-secret",
            created["id"],
        ) in paths

    await eventually(logged, timeout=5, message="the rotation in the audit log")


async def test_operations_on_an_unknown_webhook_are_404(
    client: httpx.AsyncClient, admin: dict[str, str]
) -> None:
    unknown = "/api/v1/webhooks/3f1c9a52-7b4d-4e8a-9c2f-6d0b8e4a1c75"

    answers = [
        await client.post(f"{unknown}/test", headers=admin),
        await client.post(f"{unknown}/rotate-secret", headers=admin),
        await client.get(f"{unknown}/deliveries", headers=admin),
        await client.post(
            f"{unknown}/redeliver", json={"since": "2026-11-27T00:00:00Z"}, headers=admin
        ),
    ]

    assert [a.status_code for a in answers] == [404, 404, 404, 404]


async def test_the_merged_openapi_keeps_the_event_catalogue(
    client: httpx.AsyncClient,
) -> None:
    document = (await client.get("/api/v1/openapi.json")).json()

    webhooks = document["webhooks"]
    detractor = webhooks["nps.detractor"]["post"]
    schema_name = detractor["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    schema = document["components"]["schemas"][schema_name.rsplit("/", 1)[-1]]

    assert set(webhooks) >= {
        "nps.detractor",
        "nps.promoter",
        "customer.churned",
        "customer.churn_risk",
        "contract.renewal_due",
        "segment.changed",
        "contact.created",
        "order.recorded",
    }
    assert {p["name"] for p in detractor["parameters"]} == {
        "webhook-id",
        "webhook-timestamp",
        "webhook-signature",
    }
    assert schema["examples"][0]["data"]["feedback_case_id"]
    assert set(schema["properties"]) == {"type", "timestamp", "data"}
