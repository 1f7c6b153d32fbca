"""Churn reasons over time from customer.churned events, by period and ABC class, through
the real inbox, the recompute and Postgres."""

from __future__ import annotations

import uuid

import httpx

from treue.events.contracts import CustomerChurnedV1

from .conftest import Deliver, event_of
from .test_customer_value import contact
from .test_dashboard import AS_OF, at, order_at
from .test_segmentation import RunJobs, recompute


def churn(contact_id: uuid.UUID, reason: str, when: str) -> CustomerChurnedV1:
    return CustomerChurnedV1(contact_id=contact_id, reason=reason, note="", churned_at=at(when))


async def test_churns_count_by_reason_per_quarter_and_by_abc_class(
    clean: None, deliver: Deliver, client: httpx.AsyncClient, run_jobs: RunJobs
) -> None:
    a, b, c, ghost = (uuid.uuid4() for _ in range(4))
    # a is worth something (class A); b and c cost their acquisition (class C); the ghost's
    # contact never arrived (no class).
    await deliver([contact(a), contact(b), contact(c), order_at(a, "1000.00", "2025-10-01")])
    await recompute(client, run_jobs)
    replayed = churn(c, "competitor", "2026-04-20")
    await deliver(
        [
            churn(a, "price", "2026-02-10"),
            churn(ghost, "legacy_reason", "2026-03-03"),
            churn(b, "price", "2026-05-01"),
            churn(b, "service", "2026-06-01"),
            replayed,
            event_of(replayed, str(c)),
            # Before since, after as_of: counted nowhere.
            churn(c, "price", "2025-12-31"),
            churn(a, "other", "2026-06-20"),
        ]
    )
    await deliver([replayed])

    answer = await client.get(
        "/api/v1/analytics/churn/reasons",
        params={"interval": "quarter", "since": "2026-02-15T00:00:00Z", "as_of": AS_OF},
    )

    assert answer.status_code == 200
    body = answer.json()
    assert (body["since"], body["periods"]) == (
        "2026-01-01T00:00:00Z",
        ["2026-01-01", "2026-04-01"],
    )
    assert body["reasons"][-2:] == ["other", "legacy_reason"]
    series = {s["reason"]: (s["counts"], s["total"]) for s in body["series"]}
    assert series["price"] == ([1, 1], 2)
    assert series["service"] == ([0, 1], 1)
    assert series["competitor"] == ([0, 1], 1)
    assert series["legacy_reason"] == ([1, 0], 1)
    assert series["no_need"] == ([0, 0], 0)
    assert body["totals"] == [2, 3]
    classes = {k["abc_class"]: k for k in body["by_abc_class"]}
    assert [k["abc_class"] for k in body["by_abc_class"]] == ["A", "B", "C", None]
    assert (classes["A"]["total"], classes["A"]["counts"]["price"]) == (1, 1)
    assert classes["B"]["total"] == 0
    c_counts = {k: n for k, n in classes["C"]["counts"].items() if n}
    assert c_counts == {"price": 1, "service": 1, "competitor": 1}
    assert (classes[None]["total"], classes[None]["counts"]["legacy_reason"]) == (1, 1)

    # Only the members of a saved segment: the C customers b and c.
    created = await client.post(
        "/api/v1/analytics/segments", json={"name": "C", "filters": {"abc_class": ["C"]}}
    )
    segment_id = created.json()["id"]
    of_segment = await client.get(
        "/api/v1/analytics/churn/reasons",
        params={
            "interval": "quarter",
            "since": "2026-01-01T00:00:00Z",
            "as_of": AS_OF,
            "segment_id": segment_id,
        },
    )
    assert (of_segment.json()["segment_id"], of_segment.json()["totals"]) == (segment_id, [0, 3])
    unknown = await client.get(
        "/api/v1/analytics/churn/reasons", params={"segment_id": str(uuid.uuid4())}
    )
    assert unknown.status_code == 404

    monthly = (await client.get("/api/v1/analytics/churn/reasons", params={"as_of": AS_OF})).json()
    assert (monthly["periods"][0], monthly["periods"][-1]) == ("2025-07-01", "2026-06-01")
    # December now counts (c's price churn), June's churn after as_of still not.
    assert monthly["totals"][-7:] == [1, 0, 1, 1, 1, 1, 1]


async def test_churn_reasons_refuse_a_bad_interval_or_period(
    clean: None, client: httpx.AsyncClient
) -> None:
    bad = await client.get("/api/v1/analytics/churn/reasons", params={"interval": "week"})
    assert (bad.status_code, bad.json()["errors"][0]["field"]) == (422, "interval")
    late = await client.get(
        "/api/v1/analytics/churn/reasons", params={"since": "2026-07-01T00:00:00Z", "as_of": AS_OF}
    )
    assert (late.status_code, late.json()["errors"][0]["field"]) == (422, "since")
