"""The dashboard (A9) on hand-made data with known figures, through the real inbox and Postgres."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta
from typing import Any

import httpx

from treue.events.contracts import (
    ContractCancelledV1,
    ContractCreatedV1,
    ContractRenewedV1,
    CustomerChurnedV1,
    CustomerWonBackV1,
    FeedbackCaseUpdatedV1,
    NpsResponseRecordedV1,
    OrderRecordedV1,
)

from .conftest import Deliver
from .test_churn_risk import answer, contract_state
from .test_customer_value import contact
from .test_segmentation import RunJobs, recompute

AS_OF = "2026-06-15T00:00:00Z"


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def order_at(contact_id: uuid.UUID, revenue: str, when: str) -> OrderRecordedV1:
    return OrderRecordedV1(
        order_id=uuid.uuid4(),
        contact_id=contact_id,
        external_id=None,
        ordered_at=at(when),
        currency="EUR",
        revenue=revenue,
        cost="0.00",
        lines=[],
        recorded_at=at(when),
    )


def answer_at(contact_id: uuid.UUID, category: str, when: str) -> NpsResponseRecordedV1:
    score = {"promoter": 10, "passive": 8, "detractor": 3}[category]
    moment = {"responded_at": at(when), "recorded_at": at(when)}
    return answer(contact_id, score, hours_ago=0).model_copy(update=moment)


def contract(
    contact_id: uuid.UUID, end: date, status: str = "active", notice_days: int = 30
) -> Any:
    state = {
        **contract_state(contact_id, uuid.uuid4(), 1),
        "end_date": end,
        "status": status,
        "notice_period_days": notice_days,
    }
    if status == "renewed":
        return ContractRenewedV1(
            **state, previous_end_date=date(2025, 7, 30), renewed_at=at("2025-07-01")
        )
    if status == "notice_given":
        return ContractCancelledV1(**state, reason="price", cancelled_at=at("2026-05-01"))
    return ContractCreatedV1(**state, created_at=at("2025-01-01"))


CASE_IDS = {n: uuid.uuid4() for n in range(1, 6)}


def case(
    n: int, contact_id: uuid.UUID, status: str, opened: str, resolved: str | None = None
) -> FeedbackCaseUpdatedV1:
    """Feedback case `n`, due two days after it was opened; a version's time is the last
    thing that happened to it."""
    opened_at = at(opened)
    resolved_at = at(resolved) if resolved else None
    return FeedbackCaseUpdatedV1(
        feedback_case_id=CASE_IDS[n],
        contact_id=contact_id,
        survey_id=uuid.uuid4(),
        status=status,
        owner_id=None,
        due_at=opened_at + timedelta(days=2),
        opened_at=opened_at,
        resolved_at=resolved_at,
        updated_at=resolved_at or opened_at,
    )


async def test_the_dashboard_adds_up_customers_churn_nps_revenue_and_renewals(
    clean: None, deliver: Deliver, client: httpx.AsyncClient, run_jobs: RunJobs
) -> None:
    a, b, c, d, lead = (uuid.uuid4() for _ in range(5))
    await deliver([contact(a), contact(b), contact(c), contact(d)])
    await deliver([contact(lead).model_copy(update={"lifecycle_stage": "lead"})])
    await deliver(
        [
            # The 12 months before as_of: 500 + 300; the 12 before those: 1000 + 200; an
            # order after as_of counts nowhere.
            order_at(a, "1000.00", "2025-03-27"),
            order_at(a, "500.00", "2026-05-11"),
            order_at(a, "9999.00", "2026-06-30"),
            order_at(b, "300.00", "2026-04-01"),
            order_at(c, "200.00", "2024-12-17"),
            # c churns within the window, d before it; b churns and is won back.
            CustomerChurnedV1(contact_id=c, reason="price", note="", churned_at=at("2026-03-01")),
            CustomerChurnedV1(contact_id=d, reason="other", note="", churned_at=at("2025-01-01")),
            CustomerChurnedV1(contact_id=b, reason="service", note="", churned_at=at("2026-02-01")),
            CustomerWonBackV1(
                contact_id=b, reason="service", churned_at=None, won_back_at=at("2026-03-01")
            ),
            # NPS: 2 promoters, 1 passive, 1 detractor now (25); 1 detractor before (-100).
            answer_at(a, "promoter", "2026-05-10"),
            answer_at(d, "promoter", "2026-05-20"),
            answer_at(b, "detractor", "2026-04-05"),
            answer_at(c, "passive", "2026-04-06"),
            answer_at(a, "detractor", "2025-01-10"),
            # Renewals count by notice date (end - notice period), the last day to decide:
            # 06-30 (renewed) and 06-21 (60 days' notice) within 30 days, 08-02 within 60.
            # Not due: a passed notice date (06-10, though the term ends within 30 days),
            # notice given, a past end.
            contract(a, date(2026, 7, 10)),
            contract(a, date(2026, 7, 30), "renewed"),
            contract(c, date(2026, 8, 20), notice_days=60),
            contract(b, date(2026, 7, 1), "notice_given"),
            contract(c, date(2026, 9, 1)),
            contract(c, date(2026, 6, 1)),
        ]
    )

    await deliver(
        [
            # Unresolved at as_of: 1 and 5 (resolved only after it) overdue, 2 not yet due.
            # Resolved before: 3, whose stale "open" version arrives last and is ignored.
            # Opened after as_of: 4.
            case(1, a, "open", opened="2026-05-01"),
            case(2, b, "in_progress", opened="2026-06-14"),
            case(3, c, "resolved", opened="2026-04-01", resolved="2026-04-02"),
            case(3, c, "open", opened="2026-04-01"),
            case(4, a, "open", opened="2026-06-20"),
            case(5, b, "resolved", opened="2026-05-01", resolved="2026-06-20"),
        ]
    )

    answer = await client.get("/api/v1/analytics/dashboard", params={"as_of": AS_OF})

    assert answer.status_code == 200
    body = answer.json()
    # a, b, c, d (not the lead); active: a and b (won back), not churned c or order-less d.
    assert (body["customers"], body["active_customers"]) == (4, 2)
    # 12 months ago a and c were customers; c churned since.
    assert body["churn"] == {"churned_12m": 1, "customers_12m_ago": 2, "rate_12m": 0.5}
    nps = body["nps"]
    assert (nps["score_12m"], nps["responses_12m"]) == (25.0, 4)
    assert (nps["previous_score"], nps["change"]) == (-100.0, 125.0)
    assert [m["month"] for m in nps["trend"]][::11] == ["2025-07-01", "2026-06-01"]
    scored = {m["month"]: (m["score"], m["responses"]) for m in nps["trend"] if m["responses"]}
    assert scored == {"2026-04-01": (-50.0, 2), "2026-05-01": (100.0, 2)}
    revenue = body["revenue"]
    assert (revenue["last_12m"], revenue["previous_12m"]) == ("800.00", "1200.00")
    assert (revenue["change"], revenue["orders_12m"]) == (-0.3333, 2)
    assert (revenue["currency"], revenue["left_out"]) == ("EUR", {"orders": 0, "currencies": []})
    assert len(revenue["trend"]) == 12
    sold = {m["month"]: (m["revenue"], m["orders"]) for m in revenue["trend"] if m["orders"]}
    assert sold == {"2026-04-01": ("300.00", 1), "2026-05-01": ("500.00", 1)}
    # b: notice given (0.5) and a detractor (0.4) make 0.7.
    assert (body["at_risk"], body["risk_threshold"]) == (1, 0.6)
    assert body["renewals_due"] == {"within_30_days": 2, "within_60_days": 3}
    assert body["clv"] == {
        "currency": "EUR",
        "customers": 0,
        "total": "0",
        "average": None,
        "left_out_customers": 0,
        "left_out_currencies": [],
    }
    assert body["abc"] == {"A": 0, "B": 0, "C": 0}
    assert body["feedback_cases"] == {"open": 3, "overdue": 2}

    # After a recompute the classes are the ABC split's, but for the lead (classed C there
    # and no customer here).
    await recompute(client, run_jobs)
    after = (await client.get("/api/v1/analytics/dashboard", params={"as_of": AS_OF})).json()
    split = {
        c["class"]: c["customers"]
        for c in (await client.get("/api/v1/analytics/segments/abc")).json()["classes"]
    }
    assert after["abc"] == split | {"C": split["C"] - 1}
    assert sum(after["abc"].values()) == after["customers"] == 4


async def test_the_dashboard_of_an_empty_read_model_and_a_bad_moment(
    clean: None, client: httpx.AsyncClient
) -> None:
    body = (await client.get("/api/v1/analytics/dashboard")).json()
    assert (body["customers"], body["churn"]["rate_12m"], body["nps"]["score_12m"]) == (
        0,
        None,
        None,
    )
    assert (body["revenue"]["last_12m"], body["revenue"]["change"]) == ("0", None)

    bad = await client.get("/api/v1/analytics/dashboard", params={"as_of": "yesterday"})
    assert bad.status_code == 422
    assert bad.json()["errors"][0]["field"] == "as_of"
