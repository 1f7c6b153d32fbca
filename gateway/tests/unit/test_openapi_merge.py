from typing import Any

from fastapi.testclient import TestClient

from gateway.entrypoints.docs import merge
from gateway.main import create_app
from gateway.settings import GatewaySettings

OWN: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {"title": "gateway", "version": "1", "description": "Front door."},
    "paths": {
        "/api/v1/auth/login": {"post": {"operationId": "auth-login"}},
        "/health/ready": {"get": {}},
    },
    "components": {"schemas": {"LoginRequest": {"type": "object"}}},
}
CONTACTS: dict[str, Any] = {
    "paths": {
        "/api/v1/contacts": {"get": {"operationId": "contacts-list_contacts"}},
        "/health/live": {"get": {}},
    },
    "components": {"schemas": {"ContactRead": {"type": "object"}}},
}


def test_the_merged_document_has_every_api_path_and_schema_but_no_health_checks() -> None:
    merged = merge(OWN, {"contacts": CONTACTS, "analytics": {"paths": {}}})

    assert set(merged["paths"]) == {"/api/v1/auth/login", "/api/v1/contacts"}
    assert set(merged["components"]["schemas"]) == {"LoginRequest", "ContactRead"}


def test_everything_needs_a_bearer_token_except_login() -> None:
    merged = merge(OWN, {"contacts": CONTACTS})

    assert merged["security"] == [{"bearer": []}]
    assert merged["paths"]["/api/v1/auth/login"]["post"]["security"] == []
    assert "security" not in merged["paths"]["/api/v1/contacts"]["get"]


def test_an_unreachable_service_is_named_in_the_description() -> None:
    merged = merge(OWN, {"contacts": CONTACTS, "survey": {}})

    assert "survey" in merged["info"]["description"]


def test_the_docs_page_loads_its_assets_from_the_gateway() -> None:
    client = TestClient(create_app(GatewaySettings(run_background=False)))

    page = client.get("/api/docs")
    script = client.get("/api/docs/static/swagger-ui-bundle.js")

    assert "/api/docs/static/swagger-ui-bundle.js" in page.text
    assert "cdn" not in page.text.lower()
    assert script.status_code == 200
    assert len(script.content) > 100_000


def test_a_path_the_gateway_answers_itself_replaces_the_hidden_service_route() -> None:
    export = "/api/v1/contacts/{contact_id}/export"
    own = {**OWN, "paths": {**OWN["paths"], export: {"get": {"operationId": "gateway-export"}}}}
    contacts = {**CONTACTS, "paths": {export: {"get": {"operationId": "contacts-export"}}}}

    merged = merge(own, {"contacts": contacts})

    assert merged["paths"][export]["get"]["operationId"] == "gateway-export"
