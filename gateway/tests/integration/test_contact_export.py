"""GET /api/v1/contacts/{id}/export: the gateway joins every service's part, all or none."""

from __future__ import annotations

import json
import uuid
from collections.abc import AsyncIterator, Callable
from typing import Any

import httpx
import pytest

from gateway.main import create_app
from treue.identity import INTERNAL_TOKEN_HEADER, verify_internal_token
from treue.testing import eventually

from .conftest import ADMIN, gateway_settings, login, running

PART_PATHS = {
    "contacts": "/api/v1/contacts/{id}/export",
    "survey": "/api/v1/surveys/contacts/{id}/export",
    "analytics": "/api/v1/analytics/customers/{id}/export",
}
Answer = Callable[[httpx.Request], httpx.Response]


class Services:
    """The three services as a mock transport: each answers its part (or what a test sets)
    and records the requests it got."""

    def __init__(self) -> None:
        self.answers: dict[str, Answer] = {}
        self.received: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.received.append(request)
        service = request.url.host
        if service in self.answers:
            return self.answers[service](request)
        return httpx.Response(200, json={"service": service, "path": request.url.path})

    def asked(self) -> set[str]:
        return {request.url.host for request in self.received}


@pytest.fixture
async def gateway(database_url: str) -> AsyncIterator[tuple[httpx.AsyncClient, Services]]:
    services = Services()
    settings = gateway_settings(
        database_url,
        contacts_url="http://contacts",
        survey_url="http://survey",
        analytics_url="http://analytics",
    )
    app = create_app(settings)
    async for client in running(app):
        fakes = httpx.MockTransport(services)
        app.state.http = httpx.AsyncClient(transport=fakes)
        app.state.upstream = fakes
        yield client, services


def problem(status: int, detail: str) -> Answer:
    body = {"type": "about:blank", "title": "x", "status": status, "detail": detail}

    def answer(request: httpx.Request) -> httpx.Response:
        content = json.dumps(body).encode()
        headers = {"content-type": "application/problem+json"}
        return httpx.Response(status, headers=headers, content=content)

    return answer


def refused(request: httpx.Request) -> httpx.Response:
    raise httpx.ConnectError("connection refused", request=request)


async def test_the_export_joins_every_services_part_asked_in_the_callers_name(
    gateway: tuple[httpx.AsyncClient, Services],
) -> None:
    client, services = gateway
    contact_id = uuid.uuid4()

    answer = await client.get(
        f"/api/v1/contacts/{contact_id}/export", headers=await login(client, ADMIN)
    )

    assert answer.status_code == 200, answer.text
    document: dict[str, Any] = answer.json()
    assert document["contact_id"] == str(contact_id)
    for service, path in PART_PATHS.items():
        assert document[service] == {"service": service, "path": path.format(id=contact_id)}
    secret = gateway_settings("").internal_token_secret
    identities = {
        verify_internal_token(request.headers[INTERNAL_TOKEN_HEADER], secret).kind
        for request in services.received
    }
    assert identities == {"user"}


async def test_the_export_is_recorded_in_the_audit_log_with_who_whose_and_from_where(
    gateway: tuple[httpx.AsyncClient, Services],
) -> None:
    client, _ = gateway
    admin = await login(client, ADMIN)
    me = (await client.get("/api/v1/auth/me", headers=admin)).json()
    contact_id = uuid.uuid4()
    path = f"/api/v1/contacts/{contact_id}/export"

    exported = await client.get(path, headers={**admin, "User-Agent": "Datenschutz/1.0"})

    assert exported.status_code == 200

    async def recorded() -> list[dict[str, Any]]:
        answer = await client.get(
            "/api/v1/audit-log", params={"path_prefix": path, "method": "GET"}, headers=admin
        )
        assert answer.status_code == 200, answer.text
        items: list[dict[str, Any]] = answer.json()["items"]
        return items

    async def there() -> bool:
        return bool(await recorded())

    await eventually(there, timeout=5, message="the GDPR export in the audit log")
    [entry] = await recorded()
    assert (entry["actor_kind"], entry["actor_id"]) == ("user", me["id"])
    assert (entry["method"], entry["status_code"]) == ("GET", 200)
    assert entry["resource_id"] == str(contact_id)
    assert entry["user_agent"] == "Datenschutz/1.0"
    assert entry["client_address"]


async def test_an_unknown_or_erased_contact_is_contacts_services_404_and_nobody_else_is_asked(
    gateway: tuple[httpx.AsyncClient, Services],
) -> None:
    client, services = gateway
    services.answers["contacts"] = problem(404, "contact does not exist")

    answer = await client.get(
        f"/api/v1/contacts/{uuid.uuid4()}/export", headers=await login(client, ADMIN)
    )

    assert answer.status_code == 404
    assert answer.headers["content-type"] == "application/problem+json"
    assert answer.json()["detail"] == "contact does not exist"
    assert services.asked() == {"contacts"}


async def test_a_service_that_is_down_fails_the_export_naming_it(
    gateway: tuple[httpx.AsyncClient, Services],
) -> None:
    client, services = gateway
    services.answers["analytics"] = refused

    answer = await client.get(
        f"/api/v1/contacts/{uuid.uuid4()}/export", headers=await login(client, ADMIN)
    )

    assert answer.status_code == 503
    assert "analytics-service" in answer.json()["detail"]


async def test_a_service_that_fails_its_part_gives_no_partial_export(
    gateway: tuple[httpx.AsyncClient, Services],
) -> None:
    client, services = gateway
    services.answers["survey"] = problem(500, "boom")

    answer = await client.get(
        f"/api/v1/contacts/{uuid.uuid4()}/export", headers=await login(client, ADMIN)
    )

    assert answer.status_code == 502
    assert answer.json()["type"].endswith("export-incomplete")
    assert "survey-service answered 500" in answer.json()["detail"]


async def test_a_missing_scope_in_any_service_is_the_callers_403(
    gateway: tuple[httpx.AsyncClient, Services],
) -> None:
    client, services = gateway
    services.answers["analytics"] = problem(403, "this API key lacks the scope analytics:read")

    answer = await client.get(
        f"/api/v1/contacts/{uuid.uuid4()}/export", headers=await login(client, ADMIN)
    )

    assert answer.status_code == 403
    assert "analytics:read" in answer.json()["detail"]
