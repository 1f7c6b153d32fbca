"""Custom fields on a real Postgres: definitions, values checked on every write (API and
import) naming the field, and the list filtered by a custom field."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import httpx
import pytest

Factory = Callable[..., Awaitable[dict[str, Any]]]


@pytest.fixture
async def fields(client: httpx.AsyncClient) -> None:
    for body in (
        {"key": "branche", "label": "Branche", "type": "select", "options": ["Metall", "Handel"]},
        {"key": "mitarbeiter", "label": "Mitarbeiter", "type": "number"},
        {"key": "gegruendet", "label": "Gegründet", "type": "date"},
        {"key": "newsletter", "label": "Newsletter", "type": "boolean"},
    ):
        answer = await client.post("/api/v1/custom-fields", json=body)
        assert answer.status_code == 201, answer.text


async def test_definitions_are_created_listed_and_changed(
    client: httpx.AsyncClient, fields: None
) -> None:
    listed = (await client.get("/api/v1/custom-fields")).json()["items"]
    assert [d["key"] for d in listed] == ["branche", "gegruendet", "mitarbeiter", "newsletter"]
    again = await client.post(
        "/api/v1/custom-fields", json={"key": "branche", "label": "B", "type": "text"}
    )
    assert again.status_code == 409
    assert again.json()["errors"] == [
        {"field": "key", "message": "already defined", "code": "already_used"}
    ]
    changed = await client.patch(
        "/api/v1/custom-fields/branche", json={"options": ["Metall", "Handel", "Bau"]}
    )
    assert changed.status_code == 200
    assert changed.json()["options"] == ["Metall", "Handel", "Bau"]
    assert changed.json()["version"] == 2
    assert (await client.get("/api/v1/custom-fields/nope")).status_code == 404


async def test_a_definition_no_contact_uses_is_deleted(
    client: httpx.AsyncClient, fields: None, new_contact: Factory
) -> None:
    await new_contact(custom_fields={"branche": "Metall"})

    in_use = await client.delete("/api/v1/custom-fields/branche")
    unused = await client.delete("/api/v1/custom-fields/newsletter")

    assert in_use.status_code == 409
    assert in_use.json()["errors"] == [
        {"field": "key", "message": "in use by contacts", "code": "in_use"}
    ]
    assert unused.status_code == 204
    listed = (await client.get("/api/v1/custom-fields")).json()["items"]
    assert [d["key"] for d in listed] == ["branche", "gegruendet", "mitarbeiter"]
    assert (await client.delete("/api/v1/custom-fields/newsletter")).status_code == 404


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"key": "Branche", "label": "B", "type": "text"}, "key"),
        ({"key": "b", "label": "B", "type": "select"}, "options"),
        ({"key": "b", "label": "B", "type": "text", "options": ["x"]}, "options"),
        ({"key": "b", "label": "B", "type": "colour"}, "type"),
        ({"key": "b", "label": "B", "type": "text", "unit": "cm"}, "unit"),
    ],
)
async def test_a_bad_definition_is_refused_naming_the_field(
    client: httpx.AsyncClient, body: dict[str, Any], field: str
) -> None:
    answer = await client.post("/api/v1/custom-fields", json=body)
    assert answer.status_code == 422
    assert answer.json()["errors"][0]["field"] == field


@pytest.mark.parametrize(
    ("custom_fields", "error"),
    [
        (
            {"farbe": "rot"},
            ("custom_fields.farbe", "is not a defined custom field", "extra_forbidden"),
        ),
        (
            {"branche": "Bergbau"},
            ("custom_fields.branche", "must be one of Metall, Handel", "literal_error"),
        ),
        ({"mitarbeiter": "viele"}, ("custom_fields.mitarbeiter", "must be a number", "float_type")),
        (
            {"gegruendet": "1.2.1990"},
            ("custom_fields.gegruendet", "must be a date like 2026-03-01", "date_parsing"),
        ),
        ({"newsletter": "ja"}, ("custom_fields.newsletter", "must be true or false", "bool_type")),
    ],
)
async def test_contact_values_are_checked_against_the_definitions(
    client: httpx.AsyncClient,
    fields: None,
    custom_fields: dict[str, Any],
    error: tuple[str, str, str],
) -> None:
    body = {"last_name": "Maier", "first_name": "", "custom_fields": custom_fields}
    answer = await client.post("/api/v1/contacts", json=body)
    assert answer.status_code == 422
    assert answer.headers["content-type"] == "application/problem+json"
    (found,) = answer.json()["errors"]
    # The English message for API users, the code for clients to say it in their language.
    assert (found["field"], found["message"], found["code"]) == error
    if found["code"] == "literal_error":
        assert found["ctx"] == {"expected": "Metall, Handel"}


async def test_a_required_field_is_required_from_then_on(
    client: httpx.AsyncClient, fields: None, new_contact: Factory
) -> None:
    contact = await new_contact(custom_fields={"mitarbeiter": 12})
    required = await client.patch("/api/v1/custom-fields/branche", json={"required": True})
    assert required.status_code == 200
    missing = await client.post("/api/v1/contacts", json={"last_name": "Neu", "first_name": ""})
    assert missing.status_code == 422
    assert missing.json()["errors"][0] == {
        "field": "custom_fields.branche",
        "message": "is required",
        "code": "missing",
    }
    patched = await client.patch(
        f"/api/v1/contacts/{contact['id']}",
        json={"custom_fields": {"mitarbeiter": 12, "branche": "Metall"}},
    )
    assert patched.status_code == 200
    assert patched.json()["custom_fields"] == {"mitarbeiter": 12, "branche": "Metall"}


async def test_the_list_filters_by_a_custom_field(
    client: httpx.AsyncClient, fields: None, new_contact: Factory
) -> None:
    metall = await new_contact(
        custom_fields={"branche": "Metall", "mitarbeiter": 50, "gegruendet": "1990-01-02"}
    )
    await new_contact(custom_fields={"branche": "Handel", "mitarbeiter": 50})
    await new_contact()

    async def ids(*terms: str) -> list[str]:
        answer = await client.get("/api/v1/contacts", params={"custom_field": list(terms)})
        assert answer.status_code == 200, answer.text
        return [contact["id"] for contact in answer.json()["items"]]

    assert await ids("branche:Metall") == [metall["id"]]
    assert len(await ids("mitarbeiter:50")) == 2
    assert await ids("mitarbeiter:50", "gegruendet:1990-01-02") == [metall["id"]]
    refused = await client.get("/api/v1/contacts", params={"custom_field": "farbe:rot"})
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["field"] == "custom_field"
    wrong = await client.get("/api/v1/contacts", params={"custom_field": "mitarbeiter:viele"})
    assert wrong.json()["errors"][0]["message"] == "mitarbeiter: must be a number"
