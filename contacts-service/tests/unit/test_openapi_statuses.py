"""The OpenAPI document names every status a route answers: schemathesis found a 404 of an
unknown contact and a 409 of a taken e-mail that clients could not know of."""

from __future__ import annotations

import pytest

from contacts.main import create_app
from contacts.settings import ContactsSettings

DOCUMENT = create_app(ContactsSettings(run_background=False)).openapi()


@pytest.mark.parametrize(
    ("method", "path", "statuses"),
    [
        ("post", "/api/v1/contacts", {"403", "409"}),
        ("get", "/api/v1/contacts/{contact_id}", {"404"}),
        ("patch", "/api/v1/contacts/{contact_id}", {"403", "404", "409"}),
    ],
)
def test_the_domain_errors_a_route_answers_are_documented_as_problems(
    method: str, path: str, statuses: set[str]
) -> None:
    responses = DOCUMENT["paths"][path][method]["responses"]

    assert statuses <= responses.keys()
    for status in statuses:
        assert "application/problem+json" in responses[status]["content"]
