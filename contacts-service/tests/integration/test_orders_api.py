"""Orders against a real Postgres: once per external id (also under concurrency), totals,
defaults from the product, the event, the lead who buys, errors naming the line."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Awaitable, Callable
from typing import Any

import asyncpg
import httpx

Factory = Callable[..., Awaitable[dict[str, Any]]]
Outbox = Callable[[str], Awaitable[list[dict[str, Any]]]]


def order(contact_id: str, **overrides: Any) -> dict[str, Any]:
    return {
        "contact_id": contact_id,
        "external_id": "SHOP-1",
        "ordered_at": "2026-03-02T10:00:00+01:00",
        "currency": "EUR",
        "lines": [
            {"sku": "ET-SPINDEL", "quantity": 2},
            {"sku": "SCH-GRUND", "quantity": "1.5", "unit_price": "800.00"},
        ],
        **overrides,
    }


async def catalogue(new_product: Factory) -> dict[str, dict[str, Any]]:
    spindle = await new_product()
    training = await new_product(
        sku="SCH-GRUND", name="Schulung CNC", price="890.00", unit_cost="410.00"
    )
    return {"ET-SPINDEL": spindle, "SCH-GRUND": training}


async def test_an_order_records_its_lines_totals_and_event(
    client: httpx.AsyncClient, new_contact: Factory, new_product: Factory, outbox: Outbox
) -> None:
    contact = await new_contact()
    products = await catalogue(new_product)

    answer = await client.post("/api/v1/orders", json=order(contact["id"]))

    assert answer.status_code == 201, answer.text
    recorded = answer.json()
    # 2 x 1200 + 1.5 x 800 revenue; 2 x 700 + 1.5 x 410 cost.
    assert (recorded["revenue"], recorded["cost"]) == ("3600.00", "2015.00")
    spindle, training = recorded["lines"]
    assert spindle["product_id"] == products["ET-SPINDEL"]["id"]
    assert (spindle["unit_price"], spindle["unit_cost"]) == ("1200.00", "700.00")
    assert (training["unit_price"], training["unit_cost"]) == ("800.00", "410.00")
    [event] = await outbox("treue.order.recorded.v1")
    assert event["_subject"] == contact["id"]
    assert (event["order_id"], event["contact_id"]) == (recorded["id"], contact["id"])
    assert (event["revenue"], event["cost"], event["currency"]) == ("3600.00", "2015.00", "EUR")
    assert event["lines"][1] == {
        "line_no": 2,
        "product_id": products["SCH-GRUND"]["id"],
        "sku": "SCH-GRUND",
        "quantity": "1.500",
        "unit_price": "800.00",
        "unit_cost": "410.00",
        "revenue": "1200.00",
        "cost": "615.00",
    }
    fetched = await client.get(f"/api/v1/orders/{recorded['id']}")
    assert fetched.json() == recorded


async def test_the_same_external_id_again_answers_the_first_order_and_emits_nothing(
    client: httpx.AsyncClient,
    new_contact: Factory,
    new_product: Factory,
    outbox: Outbox,
    db: asyncpg.Connection,
) -> None:
    contact = await new_contact()
    await catalogue(new_product)
    first = await client.post("/api/v1/orders", json=order(contact["id"]))

    again = await client.post(
        "/api/v1/orders", json=order(contact["id"], lines=[{"sku": "SCH-GRUND", "quantity": 9}])
    )

    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json() == first.json()
    assert await db.fetchval("SELECT count(*) FROM orders") == 1
    assert len(await outbox("treue.order.recorded.v1")) == 1


async def test_concurrent_posts_of_one_external_id_record_one_order(
    client: httpx.AsyncClient,
    new_contact: Factory,
    new_product: Factory,
    outbox: Outbox,
    db: asyncpg.Connection,
) -> None:
    contacts = [await new_contact() for _ in range(4)]
    await catalogue(new_product)

    # Different contacts, so the posts do not queue on one contact's row lock and really
    # meet at the unique index.
    answers = await asyncio.gather(
        *(client.post("/api/v1/orders", json=order(c["id"])) for c in contacts for _ in range(2))
    )

    assert sorted(answer.status_code for answer in answers) == [200] * 7 + [201]
    assert len({answer.json()["id"] for answer in answers}) == 1
    assert await db.fetchval("SELECT count(*) FROM orders") == 1
    assert len(await outbox("treue.order.recorded.v1")) == 1


async def test_the_first_order_of_a_lead_makes_a_customer_once(
    client: httpx.AsyncClient, new_contact: Factory, new_product: Factory, outbox: Outbox
) -> None:
    lead = await new_contact(lifecycle_stage="lead")
    churned = await new_contact(lifecycle_stage="customer")
    answer = await client.post(
        f"/api/v1/contacts/{churned['id']}/churn",
        json={"reason": "competitor", "note": "went to a competitor"},
    )
    assert answer.status_code == 200, answer.text
    await catalogue(new_product)

    for external_id in ("A", "B"):
        await client.post("/api/v1/orders", json=order(lead["id"], external_id=external_id))
    await client.post("/api/v1/orders", json=order(churned["id"], external_id="C"))

    assert (await client.get(f"/api/v1/contacts/{lead['id']}")).json()["lifecycle_stage"] == (
        "customer"
    )
    assert (await client.get(f"/api/v1/contacts/{churned['id']}")).json()[
        "lifecycle_stage"
    ] == "churned"
    updates = await outbox("treue.contact.updated.v1")
    # The churned contact's only update is its churn, before the order.
    assert [(u["contact_id"], u["changed_fields"]) for u in updates] == [
        (churned["id"], ["lifecycle_stage"]),
        (lead["id"], ["lifecycle_stage"]),
    ]


async def test_unknown_references_are_named_by_their_line(
    client: httpx.AsyncClient, new_contact: Factory, new_product: Factory, outbox: Outbox
) -> None:
    contact = await new_contact()
    products = await catalogue(new_product)

    unknown_contact = await client.post("/api/v1/orders", json=order(str(uuid.uuid4())))
    unknown_products = await client.post(
        "/api/v1/orders",
        json=order(
            contact["id"],
            lines=[
                {"sku": "ET-SPINDEL", "quantity": 1},
                {"sku": "NOPE", "quantity": 1},
                {"product_id": str(uuid.uuid4()), "quantity": 1},
                {"product_id": products["ET-SPINDEL"]["id"], "sku": "SCH-GRUND", "quantity": 1},
            ],
        ),
    )

    assert unknown_contact.status_code == 422
    assert unknown_contact.json()["errors"][0]["field"] == "contact_id"
    assert unknown_products.status_code == 422
    assert [error["field"] for error in unknown_products.json()["errors"]] == [
        "lines[1].sku",
        "lines[2].product_id",
        "lines[3].sku",
    ]
    assert await outbox("treue.order.recorded.v1") == []


async def test_bad_orders_name_the_field(
    client: httpx.AsyncClient, new_contact: Factory, new_product: Factory
) -> None:
    contact = await new_contact()
    await catalogue(new_product)

    wrong = await client.post(
        "/api/v1/orders",
        json={
            "contact_id": "not-a-uuid",
            "ordered_at": "2026-03-02",
            "currency": "euro",
            "discount": 5,
            "lines": [
                {"sku": "ET-SPINDEL", "quantity": -1},
                {"quantity": 1},
                {"sku": "ET-SPINDEL", "quantity": 1, "unit_cost": "-2"},
                {"sku": "ET-SPINDEL", "quantity": "many"},
            ],
        },
    )
    empty = await client.post("/api/v1/orders", json=order(contact["id"], lines=[]))
    in_dollars = await client.post("/api/v1/orders", json=order(contact["id"], currency="USD"))

    assert wrong.status_code == 422
    assert {error["field"] for error in wrong.json()["errors"]} == {
        "contact_id",
        "ordered_at",
        "currency",
        "discount",
        "lines[0].quantity",
        "lines[1]",
        "lines[2].unit_cost",
        "lines[3].quantity",
    }
    assert empty.status_code == 422
    assert empty.json()["errors"][0]["field"] == "lines"
    # The spindle is priced in EUR: its price cannot default into a USD order.
    assert in_dollars.status_code == 422
    assert in_dollars.json()["errors"][0]["field"] == "lines[0].unit_price"


async def test_orders_list_newest_first_per_contact(
    client: httpx.AsyncClient, new_contact: Factory, new_product: Factory
) -> None:
    contact, other = await new_contact(), await new_contact()
    await catalogue(new_product)
    for day in (2, 5, 1, 4, 3):
        body = order(contact["id"], external_id=f"O{day}", ordered_at=f"2026-01-0{day}T08:00:00Z")
        await client.post("/api/v1/orders", json=body)
    await client.post("/api/v1/orders", json=order(other["id"], external_id="X"))

    external_ids: list[str] = []
    cursor = None
    while True:
        params = {"limit": "2", "contact_id": contact["id"]} | (
            {"cursor": cursor} if cursor else {}
        )
        page = (await client.get("/api/v1/orders", params=params)).json()
        external_ids += [item["external_id"] for item in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    everything = (await client.get("/api/v1/orders")).json()["items"]
    missing = await client.get(f"/api/v1/orders/{uuid.uuid4()}")

    assert external_ids == ["O5", "O4", "O3", "O2", "O1"]
    assert len(everything) == 6
    assert missing.status_code == 404
