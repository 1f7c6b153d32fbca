"""Historical customer value (A1) from order, interaction and contact events, through the
real inbox and Postgres, and the customer list over it."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import httpx
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from treue.events.contracts import ContactCreatedV1, InteractionLoggedV1, OrderRecordedV1
from treue.events.envelope import CloudEvent

from .conftest import Deliver, event_of

NOW = datetime(2026, 5, 1, tzinfo=UTC)


def contact(contact_id: uuid.UUID, acquisition_cost: str | None = "100.00") -> ContactCreatedV1:
    return ContactCreatedV1(
        contact_id=contact_id,
        version=1,
        first_name="Jana",
        last_name="Becker",
        email=None,
        company=None,
        language="de",
        lifecycle_stage="customer",
        tags=["vip"],
        acquisition_channel="fair",
        acquisition_cost=acquisition_cost,
        created_at=NOW,
    )


def order(contact_id: uuid.UUID, revenue: str, cost: str, days: int) -> OrderRecordedV1:
    return OrderRecordedV1(
        order_id=uuid.uuid4(),
        contact_id=contact_id,
        external_id=None,
        ordered_at=NOW + timedelta(days=days),
        currency="EUR",
        revenue=revenue,
        cost=cost,
        lines=[],
        recorded_at=NOW + timedelta(days=days),
    )


def interaction(
    contact_id: uuid.UUID, cost: str | None, occurred_at: datetime = NOW
) -> InteractionLoggedV1:
    return InteractionLoggedV1(
        interaction_id=uuid.uuid4(),
        contact_id=contact_id,
        kind="ticket",
        direction="inbound",
        channel="phone",
        occurred_at=occurred_at,
        sentiment="negative",
        cost=cost,
        currency="EUR",
        logged_at=NOW,
    )


async def test_value_adds_up_and_a_replayed_order_counts_once(
    clean: None, deliver: Deliver, client: httpx.AsyncClient
) -> None:
    jana = uuid.uuid4()
    first = order(jana, "500.00", "300.00", days=1)
    await deliver([contact(jana), first, order(jana, "250.50", "100.25", days=9)])
    await deliver([interaction(jana, "40.00"), interaction(jana, None)])
    # The same order again: once as a redelivered event, once as a new event (a replay).
    await deliver([event_of(first, str(jana))] * 2)
    await deliver([first])

    body = (await client.get(f"/api/v1/analytics/customers/{jana}")).json()

    assert body["revenue"] == "750.50"
    assert body["margin"] == "350.25"
    assert body["service_cost"] == "40.00"
    assert body["acquisition_cost"] == "100.00"
    assert body["net_value"] == "210.25"
    assert body["orders"] == 2
    assert body["currency"] == "EUR"
    assert body["first_order_at"] == "2026-05-02T00:00:00Z"
    assert body["last_order_at"] == "2026-05-10T00:00:00Z"
    assert body["clv"] is None
    assert body["p_alive"] is None
    assert body["abc_class"] is None


async def test_orders_that_arrive_before_the_contact_are_not_lost(
    clean: None, deliver: Deliver, client: httpx.AsyncClient
) -> None:
    late, served, bought = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    await deliver(
        [
            order(late, "80.00", "20.00", days=3),
            interaction(late, "5.00"),
            interaction(served, "7.50"),
            order(bought, "30.00", "10.00", days=1),
            order(bought, "12.00", "2.00", days=2),
        ]
    )
    await deliver([contact(c, acquisition_cost=None) for c in (late, served, bought)])

    def figures(body: dict[str, object]) -> tuple[object, ...]:
        return (body["revenue"], body["orders"], body["service_cost"], body["net_value"])

    found = {
        c: figures((await client.get(f"/api/v1/analytics/customers/{c}")).json())
        for c in (late, served, bought)
    }
    assert found == {
        late: ("80.00", 1, "5.00", "55.00"),
        served: ("0.00", 0, "7.50", "-7.50"),
        bought: ("42.00", 2, "0.00", "30.00"),
    }


async def test_the_list_filters_sorts_and_pages_by_value(
    clean: None, deliver: Deliver, client: httpx.AsyncClient
) -> None:
    ids = [uuid.uuid4() for _ in range(5)]
    events: list[ContactCreatedV1 | OrderRecordedV1] = [contact(i) for i in ids]
    events += [order(i, f"{100 * (n + 1)}.00", "50.00", days=n) for n, i in enumerate(ids[:4])]
    await deliver(events)

    seen: list[dict[str, object]] = []
    cursor = None
    while True:
        params = {"sort": "-net_value", "limit": "2", **({"cursor": cursor} if cursor else {})}
        page = (await client.get("/api/v1/analytics/customers", params=params)).json()
        seen += page["items"]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    by_last_order = await client.get(
        "/api/v1/analytics/customers", params={"sort": "last_order_at", "limit": "3"}
    )
    rich = await client.get("/api/v1/analytics/customers", params={"min_revenue": "250"})
    wrong = await client.get("/api/v1/analytics/customers", params={"sort": "shoe_size"})

    assert [item["net_value"] for item in seen] == [
        "250.00",
        "150.00",
        "50.00",
        "-50.00",
        "-100.00",
    ]
    first_page = by_last_order.json()["items"]
    assert [item["contact_id"] for item in first_page] == [str(i) for i in ids[:3]]
    assert {item["contact_id"] for item in rich.json()["items"]} == {str(ids[2]), str(ids[3])}
    assert wrong.status_code == 422
    assert wrong.json()["errors"][0]["field"] == "sort"


async def test_a_cursor_of_another_sort_is_refused(
    clean: None, deliver: Deliver, client: httpx.AsyncClient
) -> None:
    await deliver([contact(uuid.uuid4()), contact(uuid.uuid4())])
    page = await client.get("/api/v1/analytics/customers", params={"sort": "clv", "limit": "1"})

    other = await client.get(
        "/api/v1/analytics/customers",
        params={"sort": "-revenue", "cursor": page.json()["next_cursor"]},
    )
    same = await client.get(
        "/api/v1/analytics/customers", params={"sort": "clv", "cursor": page.json()["next_cursor"]}
    )

    assert other.status_code == 422
    assert len(same.json()["items"]) == 1


async def test_a_run_of_orders_adds_up_as_one_by_one(
    clean: None, deliver: Deliver, client: httpx.AsyncClient, database_url: str
) -> None:
    """One batch: orders of several customers over several hours, the same order under two
    event ids, and a change of currency; the totals and the hourly rollup equal a recount."""
    ana, ben = uuid.uuid4(), uuid.uuid4()
    repeated = order(ana, "10.00", "4.00", days=2)
    run: list[ContactCreatedV1 | OrderRecordedV1 | CloudEvent] = [contact(ana), contact(ben)]
    run += [order(ana, f"{n}.25", "1.00", days=n % 3) for n in range(1, 7)]
    run += [repeated, event_of(repeated, str(ana))]
    run += [order(ben, "99.99", "9.99", days=1).model_copy(update={"currency": "USD"})]
    run += [order(ben, "0.01", "0.00", days=0).model_copy(update={"currency": "CHF"})]
    await deliver(run)

    ana_body = (await client.get(f"/api/v1/analytics/customers/{ana}")).json()
    ben_body = (await client.get(f"/api/v1/analytics/customers/{ben}")).json()
    engine = create_async_engine(database_url)
    try:
        async with engine.connect() as connection:
            mismatched = await connection.scalar(
                text(
                    """
                    SELECT count(*) FROM revenue_hours AS h
                    FULL JOIN (SELECT date_trunc('hour', ordered_at, 'UTC') AS hour, currency,
                                      sum(revenue) AS revenue, count(*) AS orders
                               FROM orders GROUP BY 1, 2) AS o USING (hour, currency)
                    WHERE (h.revenue, h.orders) IS DISTINCT FROM (o.revenue, o.orders)
                    """
                )
            )
    finally:
        await engine.dispose()

    assert (ana_body["revenue"], ana_body["orders"]) == ("32.50", 7)
    assert ana_body["first_order_at"] == "2026-05-01T00:00:00Z"
    assert ana_body["last_order_at"] == "2026-05-03T00:00:00Z"
    # The currency of the customer's last order in the run, whatever its date.
    assert (ben_body["revenue"], ben_body["currency"]) == ("100.00", "CHF")
    assert mismatched == 0
