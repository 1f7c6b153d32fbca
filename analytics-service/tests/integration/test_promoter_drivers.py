"""Promoter drivers (A5) on hand-made respondents with known effects, through the real inbox
and Postgres: a real driver's interval excludes zero, a coincidence's covers it."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

import httpx

from .conftest import Deliver
from .test_customer_value import contact
from .test_dashboard import AS_OF, answer_at, contract, order_at

SURVEY, OTHER_SURVEY = uuid.uuid4(), uuid.uuid4()


async def test_a_real_driver_excludes_zero_and_a_coincidence_covers_it(
    clean: None, deliver: Deliver, client: httpx.AsyncClient
) -> None:
    promoters = [uuid.uuid4() for _ in range(6)]
    others = [uuid.uuid4() for _ in range(6)]
    outsider = uuid.uuid4()
    events: list[Any] = [contact(x) for x in (*promoters, *others, outsider)]
    for index, person in enumerate(promoters + others):
        # Orders alternate 1, 2 in both groups: the same mean, a coincidence.
        events += [order_at(person, "10.00", f"2026-0{1 + n}-10") for n in range(1 + index % 2)]
    # 5 of 6 promoters are under contract, 1 of 6 of the others: a real difference.
    events += [contract(x, date(2027, 1, 1)) for x in (*promoters[:5], others[0])]
    for person in promoters:
        events.append(_answer(person, "promoter", "2026-05-01", SURVEY))
    for person, category in zip(others, ["passive"] * 3 + ["detractor"] * 3, strict=True):
        # The latest answer counts: an earlier promoter answer does not make a promoter.
        events.append(_answer(person, "promoter", "2026-01-01", SURVEY))
        events.append(_answer(person, category, "2026-05-02", SURVEY))
    events.append(_answer(outsider, "promoter", "2026-05-03", OTHER_SURVEY))
    await deliver(events)

    answer = await client.get(
        "/api/v1/analytics/nps/drivers", params={"until": AS_OF, "survey_id": str(SURVEY)}
    )

    assert answer.status_code == 200
    body = answer.json()
    assert (body["promoters"], body["others"]) == (6, 6)
    assert body["since"] == "2025-06-15T00:00:00Z"
    drivers = {d["attribute"]: d for d in body["drivers"]}
    assert body["drivers"][0]["attribute"] == "under_contract"
    contract_driver = drivers["under_contract"]
    assert (contract_driver["promoters"], contract_driver["others"]) == (0.8333, 0.1667)
    assert (contract_driver["difference"], contract_driver["ci_low"]) == (0.6667, 0.2449)
    assert contract_driver["significant"]
    # a=5, b=1, c=1, d=5: OR 25, Woolf's interval (1.2002, 520.7338), worked in the unit test.
    assert (
        contract_driver["odds_ratio"],
        contract_driver["odds_ratio_ci_low"],
        contract_driver["odds_ratio_ci_high"],
        contract_driver["haldane_corrected"],
    ) == (25.0, 1.2002, 520.7338, False)
    orders = drivers["orders"]
    assert (orders["kind"], orders["promoters"], orders["others"]) == ("mean", 1.5, 1.5)
    assert orders["ci_low"] < 0 < orders["ci_high"]
    assert not orders["significant"]
    assert orders["odds_ratio"] is None
    assert drivers["products"]["difference"] is not None

    # Split by a saved segment: those with two orders (every second respondent).
    segment = await client.post(
        "/api/v1/analytics/segments", json={"name": "Two orders", "filters": {"min_orders": 2}}
    )
    assert segment.status_code == 201
    split = await client.get(
        "/api/v1/analytics/nps/drivers",
        params={"until": AS_OF, "survey_id": str(SURVEY), "segment_id": segment.json()["id"]},
    )
    assert split.status_code == 200
    assert (split.json()["promoters"], split.json()["others"]) == (3, 3)
    assert split.json()["segment_id"] == segment.json()["id"]
    # 2 of 3 promoters under contract, 0 of 3 others: a zero cell, so 2.5, 1.5, 0.5, 3.5 and
    # OR = 8.75 / 0.75 = 11.6667, its interval covering 1 (six people are too few).
    in_segment = {d["attribute"]: d for d in split.json()["drivers"]}["under_contract"]
    assert (in_segment["odds_ratio"], in_segment["haldane_corrected"]) == (11.6667, True)
    assert in_segment["odds_ratio_ci_low"] < 1 < in_segment["odds_ratio_ci_high"]
    unknown = await client.get(
        "/api/v1/analytics/nps/drivers", params={"segment_id": str(uuid.uuid4())}
    )
    assert unknown.status_code == 404

    every_survey = await client.get("/api/v1/analytics/nps/drivers", params={"until": AS_OF})
    assert (every_survey.json()["promoters"], every_survey.json()["others"]) == (7, 6)
    bad = await client.get(
        "/api/v1/analytics/nps/drivers", params={"since": "2026-07-01T00:00:00Z", "until": AS_OF}
    )
    assert (bad.status_code, bad.json()["errors"][0]["field"]) == (422, "since")


def _answer(person: uuid.UUID, category: str, when: str, survey: uuid.UUID) -> Any:
    return answer_at(person, category, when).model_copy(update={"survey_id": survey})
