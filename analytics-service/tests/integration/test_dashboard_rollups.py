"""The dashboard's rollups (migrations 0014, 0015, 0017, 0019) against a recount from the rows they
summarise, after each kind of change; the dashboard's window edges within an hour; and its
ABC split over the customers it counts."""

from __future__ import annotations

import uuid

import httpx
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from treue.events.contracts import (
    ContactErasedV1,
    ContactMergedV1,
    ContactUpdatedV1,
    CustomerChurnedV1,
    CustomerWonBackV1,
)

from .conftest import Deliver
from .test_customer_value import contact
from .test_dashboard import answer_at, at, order_at
from .test_segmentation import RunJobs, recompute

# Each rollup row that differs from the recount, in either direction; the recount is written
# from the definitions (not from the triggers' statement).
_MISMATCHES = """
WITH c AS (
    SELECT *, LEAST(became_contact_at, first_order_at) AS started,
           erased_at IS NULL AND (orders > 0 OR lifecycle_stage <> 'lead') AS is_customer,
           churned_at IS NOT NULL AND (won_back_at IS NULL OR won_back_at < churned_at) AS churned
    FROM customers
), recount AS (
    SELECT 'hours' AS rollup, measure || ' ' || date_trunc('hour', at, 'UTC') AS key,
           count(*)::numeric AS value
    FROM (
        SELECT 'started' AS measure, started AS at FROM c WHERE is_customer
        UNION ALL
        SELECT 'active', last_order_at FROM c
        WHERE is_customer AND NOT churned AND last_order_at IS NOT NULL
        UNION ALL
        SELECT 'churned', churned_at FROM c WHERE is_customer AND churned
        UNION ALL
        SELECT 'started_churned', GREATEST(started, churned_at) FROM c
        WHERE is_customer AND churned
    ) AS parts GROUP BY 1, 2
    UNION ALL
    SELECT 'risks', churn_risk::text, count(*) FROM c
    WHERE is_customer AND NOT churned AND churn_risk IS NOT NULL GROUP BY 1, 2
    UNION ALL
    SELECT 'figures', 'with_clv', count(clv) FROM c HAVING count(clv) > 0
    UNION ALL
    SELECT 'figures', 'total_clv', sum(clv) FROM c HAVING sum(clv) <> 0
    UNION ALL
    SELECT 'figures', 'class_' || abc_class, count(*) FROM c
    WHERE is_customer AND abc_class IS NOT NULL GROUP BY 1, 2
    UNION ALL
    SELECT 'nps', category || ' ' || date_trunc('hour', responded_at, 'UTC'), count(*)
    FROM nps_responses GROUP BY 1, 2
    UNION ALL
    SELECT 'nps_days', category || ' ' || date_trunc('day', responded_at, 'UTC'), count(*)
    FROM nps_responses GROUP BY 1, 2
), kept AS (
    SELECT 'hours' AS rollup, measure || ' ' || hour AS key, customers::numeric AS value
    FROM customer_hours WHERE customers <> 0
    UNION ALL
    SELECT 'risks', risk::text, customers FROM customer_risks WHERE customers <> 0
    UNION ALL
    SELECT 'figures', measure, value FROM customer_figures WHERE value <> 0
    UNION ALL
    SELECT 'nps', category || ' ' || hour, responses FROM nps_hours WHERE responses <> 0
    UNION ALL
    SELECT 'nps_days', c.category || ' ' || day, c.n
    FROM nps_days, LATERAL (VALUES ('promoter', promoters), ('passive', passives),
                                   ('detractor', detractors)) AS c(category, n)
    WHERE c.n <> 0
)
SELECT rollup, key, kept.value AS kept, recount.value AS recount
FROM kept FULL JOIN recount USING (rollup, key)
WHERE kept.value IS DISTINCT FROM recount.value
ORDER BY 1, 2
"""


async def rollup_mismatches(database_url: str) -> list[tuple[object, ...]]:
    engine = create_async_engine(database_url)
    try:
        async with engine.connect() as connection:
            # The recount keys hours in UTC, as the rollups do.
            await connection.execute(text("SET TIME ZONE 'UTC'"))
            rows = (await connection.execute(text(_MISMATCHES))).all()
    finally:
        await engine.dispose()
    return [tuple(row) for row in rows]


async def test_the_rollups_equal_a_recount_after_every_kind_of_change(
    clean: None, deliver: Deliver, client: httpx.AsyncClient, run_jobs: RunJobs, database_url: str
) -> None:
    a, b, c, d, lead, duplicate = (uuid.uuid4() for _ in range(6))
    doubted = answer_at(c, "detractor", "2026-05-10T12:20:00")
    # A later revision of the same response: it moves from detractor to passive, an hour on.
    revised = doubted.model_copy(
        update={"revision": 2, "category": "passive", "score": 8, "responded_at": at("2026-05-11")}
    )
    steps: list[list[object]] = [
        [contact(x) for x in (a, b, c, d, duplicate)]
        + [contact(lead).model_copy(update={"lifecycle_stage": "lead"})],
        [
            order_at(a, "100.00", "2026-01-05T10:15:00"),
            order_at(a, "50.00", "2026-03-05T11:45:00"),
            order_at(b, "70.00", "2025-11-01T08:00:00"),
            order_at(lead, "5.00", "2026-02-01T09:30:00"),
            order_at(duplicate, "30.00", "2024-02-01T09:30:00"),
            answer_at(a, "promoter", "2026-05-10T12:00:00"),
            doubted,
        ],
        [
            CustomerChurnedV1(contact_id=c, reason="price", note="", churned_at=at("2026-03-01")),
            CustomerChurnedV1(contact_id=b, reason="other", note="", churned_at=at("2026-02-01")),
            revised,
        ],
        [
            CustomerWonBackV1(
                contact_id=b, reason="other", churned_at=None, won_back_at=at("2026-04-01")
            ),
            # d goes back to being a lead: no customer any more (it never bought).
            ContactUpdatedV1(
                **contact(d).model_dump(exclude={"created_at"})
                | {"version": 2, "lifecycle_stage": "lead"},
                updated_at=at("2026-05-01"),
                changed_fields=["lifecycle_stage"],
            ),
        ],
        [ContactMergedV1(contact_id=a, duplicate_id=duplicate, merged_at=at("2026-05-02"))],
        [ContactErasedV1(contact_id=c, erased_at=at("2026-05-03"))],
    ]
    for step in steps:
        await deliver(step)  # type: ignore[arg-type]
        assert await rollup_mismatches(database_url) == []

    await recompute(client, run_jobs)

    assert await rollup_mismatches(database_url) == []
    figures = (await client.get("/api/v1/analytics/dashboard")).json()
    assert sum(figures["abc"].values()) >= 3


async def test_the_windows_count_the_partial_hours_at_their_edges(
    clean: None, deliver: Deliver, client: httpx.AsyncClient
) -> None:
    before, inside, churned_early, churned_late, late = (uuid.uuid4() for _ in range(5))
    # as_of 2026-06-15 10:30, a year before it 2025-06-15 10:30: starts, orders, churns and
    # answers on both sides of each within their hour.
    started = {before: "2025-06-15T10:05", late: "2025-06-15T10:40"}
    await deliver(
        [
            contact(x).model_copy(update={"created_at": at(started.get(x, "2025-01-01"))})
            for x in (before, inside, churned_early, churned_late, late)
        ]
        + [
            order_at(before, "10.00", "2025-06-15T10:10:00"),
            order_at(inside, "10.00", "2025-06-15T10:50:00"),
            order_at(churned_early, "10.00", "2025-06-15T10:50:00"),
            order_at(churned_late, "10.00", "2025-06-15T10:50:00"),
            CustomerChurnedV1(
                contact_id=churned_early, reason="price", note="", churned_at=at("2026-06-15T10:20")
            ),
            CustomerChurnedV1(
                contact_id=churned_late, reason="price", note="", churned_at=at("2026-06-15T10:40")
            ),
            answer_at(before, "promoter", "2025-06-15T10:20:00"),
            answer_at(inside, "detractor", "2025-06-15T10:40:00"),
            answer_at(late, "promoter", "2026-06-15T10:40:00"),
            # Whole hours at the windows' edges (from nps_hours, not nps_days): after the
            # year-ago hour and before the as_of hour on their days; and a whole day.
            answer_at(inside, "passive", "2025-06-15T15:00:00"),
            answer_at(inside, "passive", "2026-06-15T03:00:00"),
            answer_at(before, "promoter", "2025-06-15T05:00:00"),
            answer_at(late, "detractor", "2026-06-14T12:00:00"),
        ]
    )

    body = (
        await client.get("/api/v1/analytics/dashboard", params={"as_of": "2026-06-15T10:30:00Z"})
    ).json()

    assert body["customers"] == 5
    # Only inside: before ordered just before the window, the churned are not active.
    assert body["active_customers"] == 1
    assert body["churn"]["churned_12m"] == 1
    # Started before the year-ago moment (before at 10:05 too), not late (10:40).
    assert body["churn"]["customers_12m_ago"] == 4
    # inside's detractor at 10:40 a year ago, two passives in edge hours, a detractor in a
    # whole day; before: the promoters at 10:20 and 05:00 a year ago (the window before).
    assert (body["nps"]["responses_12m"], body["nps"]["score_12m"]) == (4, -50.0)
    assert body["nps"]["previous_score"] == 100.0
    june = body["nps"]["trend"][-1]
    assert (june["month"], june["responses"], june["score"]) == ("2026-06-01", 2, -50.0)
    assert (body["revenue"]["last_12m"], body["revenue"]["previous_12m"]) == ("30.00", "10.00")


async def test_the_abc_split_counts_the_customers_of_the_dashboard_only(
    clean: None, deliver: Deliver, client: httpx.AsyncClient, run_jobs: RunJobs, database_url: str
) -> None:
    # As in the demo data: customers of several values, one churned, one erased, and leads
    # without orders, whom the recompute classifies (as C) all the same.
    big, middle, small, churned, erased, lead, other_lead = (uuid.uuid4() for _ in range(7))
    leads = [contact(x).model_copy(update={"lifecycle_stage": "lead"}) for x in (lead, other_lead)]
    await deliver([contact(x) for x in (big, middle, small, churned, erased)] + leads)
    await deliver(
        [
            order_at(big, "5000.00", "2026-01-05T10:00:00"),
            order_at(middle, "800.00", "2026-02-05T10:00:00"),
            order_at(small, "40.00", "2026-03-05T10:00:00"),
            order_at(churned, "900.00", "2025-09-05T10:00:00"),
            order_at(erased, "700.00", "2025-10-05T10:00:00"),
            CustomerChurnedV1(
                contact_id=churned, reason="price", note="", churned_at=at("2026-03-01")
            ),
        ]
    )
    await deliver([ContactErasedV1(contact_id=erased, erased_at=at("2026-04-01"))])

    await recompute(client, run_jobs)

    assert await rollup_mismatches(database_url) == []
    classes = {
        x: (await client.get(f"/api/v1/analytics/customers/{x}")).json()["abc_class"]
        for x in (big, middle, small, churned, lead, other_lead)
    }
    assert classes[lead] == classes[other_lead] == "C"
    dashboard = (await client.get("/api/v1/analytics/dashboard")).json()
    # The churned customer is one of the dashboard's customers, so it counts in the split
    # too; the leads and the erased customer count in neither.
    assert dashboard["customers"] == 4
    assert sum(dashboard["abc"].values()) == dashboard["customers"]
    counted = [classes[x] for x in (big, middle, small, churned)]
    assert dashboard["abc"] == {k: counted.count(k) for k in ("A", "B", "C")}
    # The segment's split still classifies every row: the leads and the erased are there.
    split = (await client.get("/api/v1/analytics/segments/abc")).json()["classes"]
    assert sum(c["customers"] for c in split) == 7
