"""Churn risk (A4) from contract, NPS, interaction and churn events through the real inbox:
the score, its drivers, and `customer.churn_risk` once per upward crossing."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta
from typing import Any

import httpx
from fastapi import FastAPI

from treue.events.contracts import (
    ContractCancelledV1,
    ContractCreatedV1,
    CustomerChurnedV1,
    CustomerChurnRiskV1,
    CustomerWonBackV1,
    NpsResponseRecordedV1,
)

from .conftest import Deliver
from .test_customer_value import contact, interaction
from .test_segmentation import RunJobs, outbox_events, recompute

NOW = datetime.now(UTC)


def contract_state(contact_id: uuid.UUID, contract_id: uuid.UUID, version: int) -> dict[str, Any]:
    return {
        "contract_id": contract_id,
        "contact_id": contact_id,
        "product_id": uuid.uuid4(),
        "version": version,
        "start_date": date(2025, 1, 1),
        "end_date": NOW.date() + timedelta(days=365),
        "notice_period_days": 30,
        "auto_renew": True,
        "monthly_value": "99.00",
        "currency": "EUR",
    }


def answer(contact_id: uuid.UUID, score: int, hours_ago: float) -> NpsResponseRecordedV1:
    category = "detractor" if score <= 6 else "passive" if score <= 8 else "promoter"
    at = NOW - timedelta(hours=hours_ago)
    return NpsResponseRecordedV1(
        response_id=uuid.uuid4(),
        survey_id=uuid.uuid4(),
        contact_id=contact_id,
        score=score,
        category=category,
        comment=None,
        responded_at=at,
        channel="link",
        revision=1,
        recorded_at=at,
    )


async def risk_of(client: httpx.AsyncClient, contact_id: uuid.UUID) -> tuple[Any, Any]:
    body = (await client.get(f"/api/v1/analytics/customers/{contact_id}")).json()
    return body["churn_risk"], body["churn_drivers"]


async def alerts(app: FastAPI) -> list[CustomerChurnRiskV1]:
    found = await outbox_events(app, CustomerChurnRiskV1.event_type)
    return [CustomerChurnRiskV1.model_validate(data) for data in found]


async def test_crossing_the_threshold_is_announced_once_per_crossing(
    clean: None, deliver: Deliver, client: httpx.AsyncClient, run_jobs: RunJobs, app: FastAPI
) -> None:
    jana, calm = uuid.uuid4(), uuid.uuid4()
    contract_id = uuid.uuid4()
    await deliver([contact(jana), contact(calm)])
    await deliver(
        [
            ContractCreatedV1(
                **contract_state(jana, contract_id, 1), status="active", created_at=NOW
            ),
            answer(jana, 3, hours_ago=24),
            answer(calm, 2, hours_ago=24),
        ]
    )
    assert await risk_of(client, jana) == (0.4, ["detractor"])

    cancelled = ContractCancelledV1(
        **contract_state(jana, contract_id, 2),
        status="notice_given",
        reason="price",
        cancelled_at=NOW,
    )
    await deliver([cancelled])
    assert await risk_of(client, jana) == (0.7, ["contract_cancelled", "detractor"])
    [first] = await alerts(app)
    assert (first.contact_id, first.score, first.previous_score) == (jana, 0.7, 0.4)
    assert first.drivers == ["contract_cancelled", "detractor"]

    # Staying above the threshold (a recompute, a complaint that raises the score) is quiet.
    await recompute(client, run_jobs)
    await deliver([interaction(jana, None, NOW - timedelta(days=3))])
    assert await risk_of(client, jana) == (
        0.73,
        ["contract_cancelled", "detractor", "negative_interactions"],
    )
    assert len(await alerts(app)) == 1

    # A later promoter answer takes the score below; a new detractor answer crosses again.
    await deliver([answer(jana, 10, hours_ago=1)])
    assert await risk_of(client, jana) == (0.55, ["contract_cancelled", "negative_interactions"])
    await deliver([answer(jana, 4, hours_ago=0.5)])
    second = (await alerts(app))[1:]
    assert [(a.score, a.previous_score) for a in second] == [(0.73, 0.55)]

    # Churned: no longer at risk, nothing announced, a recompute keeps it so.
    churned = CustomerChurnedV1(contact_id=jana, reason="price", note="", churned_at=NOW)
    await deliver([churned])
    await recompute(client, run_jobs)
    assert await risk_of(client, jana) == (None, None)
    assert len(await alerts(app)) == 2

    # Won back: eligible again, and still at risk, so that is a new crossing.
    await deliver(
        [CustomerWonBackV1(contact_id=jana, reason="price", churned_at=NOW, won_back_at=NOW)]
    )
    third = (await alerts(app))[2:]
    assert [(a.contact_id, a.score, a.previous_score) for a in third] == [(jana, 0.73, None)]

    risky = await client.get(
        "/api/v1/analytics/customers", params={"min_churn_risk": "0.5", "sort": "-churn_risk"}
    )
    assert [item["contact_id"] for item in risky.json()["items"]] == [str(jana)]
    ranked = await client.get("/api/v1/analytics/customers", params={"sort": "-churn_risk"})
    assert [item["churn_risk"] for item in ranked.json()["items"]] == [0.73, 0.4]
    bad = await client.get("/api/v1/analytics/customers", params={"max_churn_risk": "1.5"})
    assert bad.status_code == 422
    assert bad.json()["errors"][0]["field"] == "max_churn_risk"
