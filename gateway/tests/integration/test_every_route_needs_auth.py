"""Default deny: every path of the merged OpenAPI document answers 401 without credentials,
except login and the public survey routes."""

from __future__ import annotations

import re
from typing import Any

import httpx
from fastapi import FastAPI

from analytics.main import create_app as create_analytics
from analytics.settings import AnalyticsSettings
from contacts.main import create_app as create_contacts
from contacts.settings import ContactsSettings
from gateway.entrypoints.docs import merge
from gateway.main import create_app as create_gateway
from gateway.settings import GatewaySettings
from survey.main import create_app as create_survey
from survey.settings import SurveySettings

OPEN = ("/api/v1/auth/login", "/api/v1/public/")
ZERO_ID = "00000000-0000-4000-8000-000000000000"


def merged_document() -> dict[str, Any]:
    """The document /api/v1/openapi.json serves, built from the apps (no service running)."""
    services: dict[str, FastAPI] = {
        "contacts": create_contacts(ContactsSettings(run_background=False)),
        "survey": create_survey(SurveySettings(run_background=False)),
        "analytics": create_analytics(AnalyticsSettings(run_background=False)),
    }
    own = create_gateway(GatewaySettings(run_background=False)).openapi()
    return merge(own, {name: app.openapi() for name, app in services.items()})


def operations(document: dict[str, Any]) -> list[tuple[str, str]]:
    found = []
    for path, entries in document["paths"].items():
        concrete = re.sub(r"\{[^}]+\}", ZERO_ID, path)
        found += [(method.upper(), concrete) for method in entries if method != "parameters"]
    return found


async def test_every_route_but_login_and_public_ones_answers_401_without_credentials(
    client: httpx.AsyncClient,
) -> None:
    document = merged_document()
    walked = operations(document)
    open_ones = [(m, p) for m, p in walked if p.startswith(OPEN)]
    closed = [(m, p) for m, p in walked if not p.startswith(OPEN)]

    answers = {(m, p): (await client.request(m, p)).status_code for m, p in closed}

    # Every service's routes are in the walk, not only the gateway's own.
    for service_path in ("/api/v1/contacts", "/api/v1/admin/services/survey", "/api/v1/analytics"):
        assert any(path.startswith(service_path) for _, path in closed), service_path
    assert {key: status for key, status in answers.items() if status != 401} == {}
    assert ("POST", "/api/v1/auth/login") in open_ones
    for path, entries in document["paths"].items():
        for operation in entries.values():
            assert (operation.get("security") == []) == path.startswith(OPEN), path
