"""The gateway merges every service's OpenAPI into one document with one `components/schemas`:
a schema name two services both use must mean the same shape there, or one service's bodies
are described (and checked by clients and schemathesis) by the other's."""

from __future__ import annotations

from typing import Any

from analytics.main import create_app as analytics_app
from contacts.main import create_app as contacts_app
from gateway.main import create_app as gateway_app
from survey.main import create_app as survey_app


def test_a_schema_name_used_by_several_services_means_the_same_shape() -> None:
    documents = {
        "gateway": gateway_app().openapi(),
        "contacts": contacts_app().openapi(),
        "survey": survey_app().openapi(),
        "analytics": analytics_app().openapi(),
    }
    shapes: dict[str, dict[str, Any]] = {}
    owners: dict[str, str] = {}
    clashes = []
    for service, document in documents.items():
        for name, schema in document.get("components", {}).get("schemas", {}).items():
            if name in shapes and shapes[name] != schema:
                clashes.append(f"{name}: {owners[name]} and {service}")
            shapes.setdefault(name, schema)
            owners.setdefault(name, service)

    assert clashes == []
