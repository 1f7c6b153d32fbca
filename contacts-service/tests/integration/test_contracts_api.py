"""Contracts against a real Postgres: create, list, change, renew, cancel, and the events."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from typing import Any

import httpx

Factory = Callable[..., Awaitable[dict[str, Any]]]
Outbox = Callable[[str], Awaitable[list[dict[str, Any]]]]


async def new_contract(
    client: httpx.AsyncClient, contact: dict[str, Any], product: dict[str, Any], **overrides: Any
) -> dict[str, Any]:
    body = {
        "contact_id": contact["id"],
        "product_id": product["id"],
        "start_date": "2026-01-01",
        "end_date": "2026-12-31",
        "notice_period_days": 90,
        "auto_renew": True,
        "monthly_value": "400.00",
        "currency": "EUR",
    }
    answer = await client.post("/api/v1/contracts", json=body | overrides)
    assert answer.status_code == 201, answer.text
    created: dict[str, Any] = answer.json()
    return created


async def test_a_contract_is_created_read_and_announced(
    client: httpx.AsyncClient, new_contact: Factory, new_product: Factory, outbox: Outbox
) -> None:
    contact, product = await new_contact(), await new_product()
    contract = await new_contract(client, contact, product)

    assert contract["status"] == "active"
    assert contract["notice_date"] == "2026-10-02"
    assert contract["monthly_value"] == "400.00"
    read = await client.get(f"/api/v1/contracts/{contract['id']}")
    assert read.json() == contract
    [event] = await outbox("treue.contract.created.v1")
    assert event["_subject"] == contact["id"]
    assert event["contract_id"] == contract["id"]
    assert (event["monthly_value"], event["currency"], event["status"]) == (
        "400.00",
        "EUR",
        "active",
    )
    assert (event["start_date"], event["end_date"]) == ("2026-01-01", "2026-12-31")


async def test_bad_contracts_are_refused_naming_the_field(
    client: httpx.AsyncClient, new_contact: Factory, new_product: Factory
) -> None:
    contact, product = await new_contact(), await new_product()
    body = {
        "contact_id": contact["id"],
        "product_id": product["id"],
        "start_date": "2026-06-01",
        "end_date": "2026-05-31",
        "monthly_value": "10.00",
        "currency": "EUR",
    }
    answer = await client.post("/api/v1/contracts", json=body)
    assert answer.status_code == 422
    assert answer.json()["errors"][0]["field"] == "end_date"
    unknown = await client.post(
        "/api/v1/contracts",
        json=body | {"end_date": "2026-12-31", "product_id": str(uuid.uuid4())},
    )
    assert unknown.status_code == 422
    assert unknown.json()["errors"][0]["field"] == "product_id"
    extra = await client.post("/api/v1/contracts", json=body | {"status": "ended"})
    assert extra.status_code == 422
    missing = await client.get(f"/api/v1/contracts/{uuid.uuid4()}")
    assert missing.status_code == 404


async def test_contracts_list_by_contact_and_status_in_pages(
    client: httpx.AsyncClient, new_contact: Factory, new_product: Factory
) -> None:
    contact, other, product = await new_contact(), await new_contact(), await new_product()
    ids = [(await new_contract(client, contact, product))["id"] for _ in range(3)]
    await new_contract(client, other, product)
    await client.post(f"/api/v1/contracts/{ids[0]}/cancel", json={"reason": "zu teuer"})

    first = (
        await client.get("/api/v1/contracts", params={"contact_id": contact["id"], "limit": 2})
    ).json()
    rest = (
        await client.get(
            "/api/v1/contracts",
            params={"contact_id": contact["id"], "limit": 2, "cursor": first["next_cursor"]},
        )
    ).json()
    assert [c["id"] for c in first["items"] + rest["items"]] == ids[::-1]
    assert rest["next_cursor"] is None
    cancelled = (await client.get("/api/v1/contracts", params={"status": "notice_given"})).json()
    assert [c["id"] for c in cancelled["items"]] == [ids[0]]


async def test_patch_changes_the_terms_and_checks_the_dates(
    client: httpx.AsyncClient, new_contact: Factory, new_product: Factory, outbox: Outbox
) -> None:
    contract = await new_contract(client, await new_contact(), await new_product())
    path = f"/api/v1/contracts/{contract['id']}"

    changed = await client.patch(path, json={"notice_period_days": 30, "monthly_value": "450"})
    assert changed.status_code == 200
    assert (changed.json()["notice_date"], changed.json()["version"]) == ("2026-12-01", 2)
    [event] = await outbox("treue.contract.updated.v1")
    assert event["changed_fields"] == ["notice_period_days", "monthly_value"]
    refused = await client.patch(path, json={"end_date": "2025-01-01"})
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["field"] == "end_date"
    assert (await client.patch(path, json={"currency": None})).status_code == 422


async def test_renew_and_cancel_move_the_status_and_emit_their_events(
    client: httpx.AsyncClient, new_contact: Factory, new_product: Factory, outbox: Outbox
) -> None:
    contract = await new_contract(client, await new_contact(), await new_product())
    path = f"/api/v1/contracts/{contract['id']}"

    renewed = (await client.post(f"{path}/renew")).json()
    assert (renewed["status"], renewed["start_date"], renewed["end_date"]) == (
        "renewed",
        "2027-01-01",
        "2027-12-31",
    )
    [renewal] = await outbox("treue.contract.renewed.v1")
    assert (renewal["previous_end_date"], renewal["end_date"]) == ("2026-12-31", "2027-12-31")

    cancelled = await client.post(f"{path}/cancel", json={"reason": "Maschine verkauft"})
    assert cancelled.status_code == 200
    assert cancelled.json()["status"] == "notice_given"
    assert cancelled.json()["cancellation_reason"] == "Maschine verkauft"
    [cancel] = await outbox("treue.contract.cancelled.v1")
    assert (cancel["reason"], cancel["status"], cancel["monthly_value"]) == (
        "Maschine verkauft",
        "notice_given",
        "400.00",
    )
    assert (await client.post(f"{path}/cancel", json={"reason": "again"})).status_code == 409
    assert (await client.post(f"{path}/renew")).status_code == 409
    assert (await client.post(f"{path}/cancel", json={"reason": " "})).status_code == 422
