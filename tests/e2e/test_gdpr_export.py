"""GDPR across services through the gateway: the export of a contact holds every service's
part (an order, a survey answer, the scores analytics made of them), and after the erasure
the contact is gone (404) while the services keep only what the erasure left."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
import pytest

from tests.e2e.test_closed_loop import answer
from tests.support import analytics_customer, create_contact, create_product, wait_for

pytestmark = pytest.mark.e2e


async def record_order(client: httpx.AsyncClient, contact_id: str) -> dict[str, Any]:
    sku = (await create_product(client, "Fräser", "120.00", "70.00"))["sku"]
    order = await client.post(
        "/api/v1/orders",
        json={
            "contact_id": contact_id,
            "external_id": f"e2e-{uuid.uuid4()}",
            "ordered_at": "2026-10-01T09:00:00+00:00",
            "currency": "EUR",
            "lines": [{"sku": sku, "quantity": 2}],
        },
    )
    assert order.status_code == 201, order.text
    created: dict[str, Any] = order.json()
    return created


async def test_the_export_holds_every_services_part_and_an_erased_contact_is_gone(
    client: httpx.AsyncClient,
) -> None:
    contact = await create_contact(client, first_name="Greta")
    contact_id = contact["id"]
    order = await record_order(client, contact_id)
    survey = await client.post("/api/v1/surveys", json={"name": f"E2E {uuid.uuid4()}"})
    assert survey.status_code == 201, survey.text
    response = await answer(client, survey.json()["id"], contact_id, score=4)

    async def scored() -> dict[str, Any] | None:
        customer = await analytics_customer(client, contact_id)
        return customer if customer and customer["orders"] == 1 else None

    await wait_for(scored, message="analytics-service counted the order")

    async def complete() -> dict[str, Any] | None:
        export = await client.get(f"/api/v1/contacts/{contact_id}/export")
        assert export.status_code == 200, export.text
        document: dict[str, Any] = export.json()
        return document if document["analytics"]["nps_responses"] else None

    document = await wait_for(complete, message="the answer reached analytics-service")

    assert document["contact_id"] == contact_id
    contacts, survey_part, analytics = (
        document["contacts"],
        document["survey"],
        document["analytics"],
    )
    assert contacts["contact"]["email"] == contact["email"]
    assert [o["id"] for o in contacts["orders"]] == [order["id"]]
    assert [(r["id"], r["comment"]) for r in survey_part["responses"]] == [
        (response["id"], "Der Service war schwer erreichbar")
    ]
    assert [c["response_id"] for c in survey_part["feedback_cases"]] == [response["id"]]
    assert analytics["customer"]["revenue"] == order["revenue"]
    assert [o["order_id"] for o in analytics["orders"]] == [order["id"]]
    assert [r["category"] for r in analytics["nps_responses"]] == ["detractor"]

    erased = await client.delete(f"/api/v1/contacts/{contact_id}")
    assert erased.status_code == 202, erased.text

    gone = await client.get(f"/api/v1/contacts/{contact_id}/export")
    assert gone.status_code == 404
    assert gone.headers["content-type"] == "application/problem+json"

    async def erased_everywhere() -> bool:
        survey_left = await client.get(f"/api/v1/surveys/contacts/{contact_id}/export")
        analytics_left = await client.get(f"/api/v1/analytics/customers/{contact_id}/export")
        return bool(survey_left.json()["erased_at"] and analytics_left.json()["erased_at"])

    await wait_for(erased_everywhere, message="survey and analytics erased the contact")
    survey_left = (await client.get(f"/api/v1/surveys/contacts/{contact_id}/export")).json()
    analytics_left = (await client.get(f"/api/v1/analytics/customers/{contact_id}/export")).json()
    assert [(r["score"], r["comment"]) for r in survey_left["responses"]] == [(4, None)]
    assert survey_left["contact"] is None
    assert analytics_left["customer"] is None
    assert analytics_left["orders"] == []
