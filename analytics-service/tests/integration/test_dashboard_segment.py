"""The dashboard of a saved segment's members: a segment of everyone gives the global
dashboard (rollups) figure for figure, a smaller one the recount of its members."""

from __future__ import annotations

import uuid
from typing import Any

import httpx

from .conftest import Deliver
from .test_customer_value import contact
from .test_dashboard import AS_OF, answer_at, cases, history, order_at
from .test_segmentation import RunJobs, recompute

# Not on the hour: the global figures take whole hours from the rollups and the partial
# ones from the rows, the segment's take every row.
OFF_THE_HOUR = "2026-05-10T10:30:00Z"


async def dashboard(client: httpx.AsyncClient, as_of: str, segment_id: str | None = None) -> Any:
    params = {"as_of": as_of} | ({"segment_id": segment_id} if segment_id else {})
    answer = await client.get("/api/v1/analytics/dashboard", params=params)
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body.pop("segment_id") == segment_id
    return body


async def segment(client: httpx.AsyncClient, name: str, filters: dict[str, Any]) -> str:
    created = await client.post(
        "/api/v1/analytics/segments", json={"name": name, "filters": filters}
    )
    assert created.status_code == 201, created.text
    return str(created.json()["id"])


async def test_a_segment_of_everyone_gives_the_global_dashboard_and_a_smaller_one_its_members(
    clean: None, deliver: Deliver, client: httpx.AsyncClient, run_jobs: RunJobs
) -> None:
    a, b, c, d, lead = (uuid.uuid4() for _ in range(5))
    # a and c carry the tag of the smaller segment.
    key = {"tags": ["vip", "key"]}
    await deliver(
        [contact(a).model_copy(update=key), contact(b), contact(c).model_copy(update=key)]
    )
    await deliver([contact(d), contact(lead).model_copy(update={"lifecycle_stage": "lead"})])
    await deliver(history(a, b, c, d))
    await deliver(cases(a, b, c))
    # Orders, answers on both sides of OFF_THE_HOUR within its hour and a year before it.
    await deliver(
        [
            order_at(b, "10.00", "2026-05-10T10:10:00"),
            order_at(b, "20.00", "2026-05-10T10:50:00"),
            order_at(lead, "5.00", "2025-05-10T10:40:00"),
            answer_at(d, "detractor", "2026-05-10T10:20:00"),
            answer_at(b, "passive", "2025-05-10T10:20:00"),
        ]
    )
    everyone = await segment(client, "Everyone", {})
    keys = await segment(client, "Key accounts", {"tags": ["key"]})

    for as_of in (AS_OF, OFF_THE_HOUR):
        assert await dashboard(client, as_of, everyone) == await dashboard(client, as_of)

    # a and c: the recount of test_dashboard's history for these two.
    of_keys = await dashboard(client, AS_OF, keys)
    assert (of_keys["customers"], of_keys["active_customers"]) == (2, 1)
    assert of_keys["churn"] == {"churned_12m": 1, "customers_12m_ago": 2, "rate_12m": 0.5}
    nps = of_keys["nps"]
    assert (nps["score_12m"], nps["responses_12m"]) == (50.0, 2)
    assert (nps["previous_score"], nps["change"]) == (-100.0, 150.0)
    scored = {m["month"]: (m["score"], m["responses"]) for m in nps["trend"] if m["responses"]}
    assert scored == {"2026-04-01": (0.0, 1), "2026-05-01": (100.0, 1)}
    revenue = of_keys["revenue"]
    assert (revenue["last_12m"], revenue["previous_12m"]) == ("500.00", "1200.00")
    assert (revenue["change"], revenue["orders_12m"]) == (-0.5833, 1)
    sold = {m["month"]: (m["revenue"], m["orders"]) for m in revenue["trend"] if m["orders"]}
    assert sold == {"2026-05-01": ("500.00", 1)}
    # b is the one at risk, and b is not a member.
    assert of_keys["at_risk"] == 0
    # b's contract (notice given) and cases are not the segment's: a's case 1 is.
    assert of_keys["renewals_due"] == {"within_30_days": 2, "within_60_days": 3}
    assert of_keys["feedback_cases"] == {"open": 1, "overdue": 1}
    assert of_keys["abc"] == {"A": 0, "B": 0, "C": 0}

    # After a recompute (CLV, classes, risks; the segments evaluated again) still equal.
    await recompute(client, run_jobs)
    for as_of in (AS_OF, OFF_THE_HOUR):
        assert await dashboard(client, as_of, everyone) == await dashboard(client, as_of)
    after = await dashboard(client, AS_OF, keys)
    assert sum(after["abc"].values()) == after["customers"] == 2


async def test_the_dashboard_of_an_unknown_segment_is_a_404_problem(
    clean: None, client: httpx.AsyncClient
) -> None:
    unknown = uuid.uuid4()

    answer = await client.get("/api/v1/analytics/dashboard", params={"segment_id": str(unknown)})

    assert answer.status_code == 404
    assert answer.headers["content-type"].startswith("application/problem+json")
    assert str(unknown) in answer.json()["detail"]
