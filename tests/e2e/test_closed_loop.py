"""The closed loop across services: a detractor's answer in survey-service opens a feedback
case, and contacts-service turns its `nps.detractor` event into a call-back task and shows
the answer on the contact's timeline; a promoter opens no case; a churn risk crossing its
threshold in analytics-service shows on the timeline."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
import pytest

from tests.support import create_contact, create_product, wait_for

pytestmark = pytest.mark.e2e


async def answer(
    client: httpx.AsyncClient, survey_id: str, contact_id: str, score: int
) -> dict[str, Any]:
    """Posts a response as another system would; survey-service knows the contact only once
    its contact.created event arrived, so an unknown contact (422) is retried."""
    body = {
        "contact_id": contact_id,
        "score": score,
        "comment": "Der Service war schwer erreichbar",
        "external_id": f"e2e-{uuid.uuid4()}",
    }

    async def post() -> dict[str, Any] | None:
        reply = await client.post(f"/api/v1/surveys/{survey_id}/responses", json=body)
        if reply.status_code == 422:
            return None
        assert reply.status_code == 201, reply.text
        created: dict[str, Any] = reply.json()
        return created

    return await wait_for(post, message="survey-service knows the contact")


async def feedback_cases(client: httpx.AsyncClient) -> list[dict[str, Any]]:
    """Every case, page by page (a developer's stack may hold many)."""
    cases: list[dict[str, Any]] = []
    cursor = None
    while True:
        params = {"limit": "500"} | ({"cursor": cursor} if cursor else {})
        page = (await client.get("/api/v1/feedback-cases", params=params)).json()
        cases += page["items"]
        cursor = page["next_cursor"]
        if cursor is None:
            return cases


async def test_a_detractor_gets_a_case_a_call_back_task_and_a_timeline_entry(
    client: httpx.AsyncClient,
) -> None:
    contact = await create_contact(client, first_name="Jana", language="de")
    survey = await client.post("/api/v1/surveys", json={"name": f"E2E {uuid.uuid4()}"})
    assert survey.status_code == 201, survey.text

    response = await answer(client, survey.json()["id"], contact["id"], score=3)

    mine = [case for case in await feedback_cases(client) if case["response_id"] == response["id"]]
    assert len(mine) == 1
    assert mine[0]["status"] == "open"
    assert mine[0]["contact_id"] == contact["id"]

    async def call_back_tasks() -> list[dict[str, Any]]:
        tasks = await client.get("/api/v1/tasks", params={"contact_id": contact["id"]})
        items: list[dict[str, Any]] = tasks.json()["items"]
        return [task for task in items if task["origin"] == "detractor_call_back"]

    tasks = await wait_for(call_back_tasks, message="the call-back task in contacts-service")
    assert len(tasks) == 1
    assert "3" in tasks[0]["title"]

    async def answer_on_timeline() -> list[dict[str, Any]]:
        timeline = await client.get(f"/api/v1/contacts/{contact['id']}/timeline")
        items: list[dict[str, Any]] = timeline.json()["items"]
        return [item for item in items if item["kind"] == "survey_response"]

    entries = await wait_for(answer_on_timeline, message="the answer on the timeline")
    assert [(entry["id"], entry["score"], entry["category"]) for entry in entries] == [
        (response["id"], 3, "detractor")
    ]


async def test_a_promoter_opens_no_case(client: httpx.AsyncClient) -> None:
    contact = await create_contact(client, first_name="Tobias", language="en")
    survey = await client.post("/api/v1/surveys", json={"name": f"E2E {uuid.uuid4()}"})

    response = await answer(client, survey.json()["id"], contact["id"], score=10)

    assert all(case["response_id"] != response["id"] for case in await feedback_cases(client))
    assert response["category"] == "promoter"


async def cancelled_contract(client: httpx.AsyncClient, contact_id: str) -> None:
    product = await create_product(client, "Wartungsvertrag", "1200.00", "700.00")
    contract = await client.post(
        "/api/v1/contracts",
        json={
            "contact_id": contact_id,
            "product_id": product["id"],
            "start_date": "2026-01-01",
            "end_date": "2026-12-31",
            "notice_period_days": 30,
            "monthly_value": "100.00",
            "currency": "EUR",
        },
    )
    assert contract.status_code == 201, contract.text
    cancel = await client.post(
        f"/api/v1/contracts/{contract.json()['id']}/cancel", json={"reason": "zu teuer"}
    )
    assert cancel.status_code == 200, cancel.text


async def test_a_churn_risk_crossing_its_threshold_shows_on_the_contact_s_timeline(
    client: httpx.AsyncClient,
) -> None:
    """A cancelled contract (0.5) and a detractor's answer (0.4) lift the risk to 0.7, over
    the default threshold of 0.6: analytics' customer.churn_risk reaches contacts-service."""
    contact = await create_contact(client, first_name="Lena", lifecycle_stage="customer")
    await cancelled_contract(client, contact["id"])
    survey = await client.post("/api/v1/surveys", json={"name": f"E2E {uuid.uuid4()}"})
    await answer(client, survey.json()["id"], contact["id"], score=2)

    async def flags_on_timeline() -> list[dict[str, Any]]:
        timeline = await client.get(f"/api/v1/contacts/{contact['id']}/timeline")
        items: list[dict[str, Any]] = timeline.json()["items"]
        return [item for item in items if item["kind"] == "analytics_flag"]

    flags = await wait_for(flags_on_timeline, message="the churn-risk flag on the timeline")
    assert [(flag["flag"], flag["score"]) for flag in flags] == [("churn_risk", 0.7)]
    assert set(flags[0]["drivers"]) == {"contract_cancelled", "detractor"}
