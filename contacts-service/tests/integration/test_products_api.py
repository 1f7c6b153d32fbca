"""Products against a real Postgres: create, read, list, change, their events and errors."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from typing import Any

import asyncpg
import httpx

Factory = Callable[..., Awaitable[dict[str, Any]]]
Outbox = Callable[[str], Awaitable[list[dict[str, Any]]]]


async def test_a_created_product_carries_price_and_cost_in_its_event(
    client: httpx.AsyncClient, new_product: Factory, outbox: Outbox
) -> None:
    product = await new_product()

    fetched = await client.get(f"/api/v1/products/{product['id']}")

    assert fetched.json() == product
    assert (product["price"], product["unit_cost"], product["active"]) == (
        "1200.00",
        "700.00",
        True,
    )
    [event] = await outbox("treue.product.created.v1")
    assert event["_subject"] == product["id"]
    assert event["product_id"] == product["id"]
    assert (event["sku"], event["price"], event["unit_cost"], event["currency"]) == (
        "ET-SPINDEL",
        "1200.00",
        "700.00",
        "EUR",
    )


async def test_patch_changes_what_was_sent_and_names_it_in_the_event(
    client: httpx.AsyncClient, new_product: Factory, outbox: Outbox
) -> None:
    product = await new_product()

    answer = await client.patch(
        f"/api/v1/products/{product['id']}", json={"unit_cost": "760.00", "active": False}
    )
    unchanged = await client.patch(
        f"/api/v1/products/{product['id']}", json={"name": "Spindel HSK-63"}
    )

    assert answer.status_code == 200
    assert (answer.json()["unit_cost"], answer.json()["version"]) == ("760.00", 2)
    assert unchanged.json()["version"] == 2
    [event] = await outbox("treue.product.updated.v1")
    assert event["changed_fields"] == ["unit_cost", "active"]
    assert (event["price"], event["unit_cost"], event["active"]) == ("1200.00", "760.00", False)


async def test_a_taken_sku_is_a_conflict_on_create_and_on_change(
    client: httpx.AsyncClient, new_product: Factory, db: asyncpg.Connection
) -> None:
    await new_product()
    other = await new_product(sku="SCH-GRUND")

    created = await client.post(
        "/api/v1/products",
        json={"sku": "ET-SPINDEL", "name": "x", "price": 1, "unit_cost": 1, "currency": "EUR"},
    )
    renamed = await client.patch(f"/api/v1/products/{other['id']}", json={"sku": "ET-SPINDEL"})

    assert created.status_code == renamed.status_code == 409
    assert created.json()["errors"][0]["field"] == renamed.json()["errors"][0]["field"] == "sku"
    assert await db.fetchval("SELECT count(*) FROM products") == 2


async def test_bad_products_name_the_field(client: httpx.AsyncClient, new_product: Factory) -> None:
    product = await new_product()

    created = await client.post(
        "/api/v1/products",
        json={"sku": "", "price": "-1", "unit_cost": "abc", "currency": "eur", "margin": 3},
    )
    nulled = await client.patch(f"/api/v1/products/{product['id']}", json={"price": None})
    missing = await client.patch(f"/api/v1/products/{uuid.uuid4()}", json={"name": "x"})
    unknown = await client.get(f"/api/v1/products/{uuid.uuid4()}")

    assert created.status_code == 422
    assert {error["field"] for error in created.json()["errors"]} == {
        "sku",
        "name",
        "price",
        "unit_cost",
        "currency",
        "margin",
    }
    assert nulled.status_code == 422
    assert nulled.json()["errors"][0]["field"] == "price"
    assert missing.status_code == unknown.status_code == 404


async def test_the_catalogue_filters_by_activity_and_words_and_pages_by_sku(
    client: httpx.AsyncClient, new_product: Factory
) -> None:
    for index in range(5):
        await new_product(sku=f"ET-{index}", name=f"Ersatzteil {index}", active=index != 2)
    await new_product(sku="SCH-1", name="Schulung CNC")

    skus: list[str] = []
    cursor = None
    while True:
        params = {"limit": "2", "active": "true"} | ({"cursor": cursor} if cursor else {})
        page = (await client.get("/api/v1/products", params=params)).json()
        skus += [item["sku"] for item in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    found = (await client.get("/api/v1/products", params={"q": "schulung"})).json()["items"]

    assert skus == ["ET-0", "ET-1", "ET-3", "ET-4", "SCH-1"]
    assert [item["sku"] for item in found] == ["SCH-1"]
