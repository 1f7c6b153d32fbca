"""Duplicates on a real Postgres (pg_trgm): likely duplicates by name, company and phone;
a merge moves the history (analytics' flags and the churn history too) to the survivor and
emits contact.merged."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

import asyncpg
import httpx

from contacts.service_layer import merge_handlers
from contacts.service_layer.unit_of_work import ContactsUnitOfWork
from treue.events.contracts import EventContract, SegmentChangedV1
from treue.events.envelope import CloudEvent

Factory = Callable[..., Awaitable[dict[str, Any]]]
Outbox = Callable[[str], Awaitable[list[dict[str, Any]]]]
Deliver = Callable[[Sequence[EventContract | CloudEvent]], Awaitable[None]]


async def test_a_contact_s_likely_duplicates_are_found_by_name_company_and_phone(
    client: httpx.AsyncClient, new_contact: Factory
) -> None:
    anna = await new_contact(first_name="Anna", last_name="Schmidt", company="Schmidt AG")
    schmitt = await new_contact(first_name="Anna", last_name="Schmitt", company="Schmidt AG")
    await new_contact(first_name="Anna", last_name="Schmidt", company="Völlig Andere GmbH & Co")
    await new_contact(first_name="Bernd", last_name="Maier", company="Schmidt AG")
    hans = await new_contact(first_name="Hans", last_name="Müller", phone="+49 30 1234567")
    mueller = await new_contact(first_name="Hans", last_name="Mueller", phone="030 1234567")

    answer = await client.get(f"/api/v1/contacts/{anna['id']}/duplicates")
    assert answer.status_code == 200
    items = answer.json()["items"]
    assert [item["contact"]["id"] for item in items][:1] == [schmitt["id"]]
    assert items[0]["reasons"] == ["similar_name", "same_company"]
    assert all(item["contact"]["last_name"] != "Maier" for item in items)

    by_phone = (await client.get(f"/api/v1/contacts/{hans['id']}/duplicates")).json()["items"]
    assert [(item["contact"]["id"], "same_phone" in item["reasons"]) for item in by_phone] == [
        (mueller["id"], True)
    ]

    pairs = (await client.get("/api/v1/contacts/duplicates")).json()["items"]
    found = {frozenset((p["contact"]["id"], p["duplicate"]["id"])) for p in pairs}
    assert frozenset((anna["id"], schmitt["id"])) in found
    assert frozenset((hans["id"], mueller["id"])) in found
    assert all(p["score"] >= 0.6 for p in pairs)
    assert [p["score"] for p in pairs] == sorted((p["score"] for p in pairs), reverse=True)


async def test_blocks_find_one_mailbox_one_number_and_alike_names_in_one_company(
    client: httpx.AsyncClient, new_contact: Factory
) -> None:
    anna = await new_contact(first_name="Anna", last_name="Weber", email="anna.weber@example.de")
    boxed = await new_contact(
        first_name="A.", last_name="Weber", email="Anna.Weber+Newsletter@EXAMPLE.de"
    )
    jens = await new_contact(first_name="Jens", last_name="Krüger", phone="+49 (40) 555-1234")
    called = await new_contact(first_name="Jens", last_name="Krueger", phone="040 5551234")
    christine = await new_contact(first_name="Christine", last_name="Schneider", company="Bau AG")
    kristine = await new_contact(first_name="Kristine", last_name="Schneider", company="bau ag")
    # Must not: alike names in different companies with different initials share no
    # block; the same switchboard number or team mailbox with other names is no person.
    namesake = await new_contact(first_name="Kristine", last_name="Schneider", company="Holz")
    await new_contact(first_name="Bernd", last_name="Maier", phone="040 555-1234")
    await new_contact(first_name="Olaf", last_name="Ziegler", email="anna.weber+team@example.de")

    async def duplicates(contact: dict[str, Any]) -> list[tuple[str, list[str]]]:
        answer = await client.get(f"/api/v1/contacts/{contact['id']}/duplicates")
        assert answer.status_code == 200
        return [(i["contact"]["id"], i["reasons"]) for i in answer.json()["items"]]

    assert await duplicates(anna) == [(boxed["id"], ["same_email"])]
    assert await duplicates(jens) == [(called["id"], ["same_phone"])]
    assert await duplicates(christine) == [(kristine["id"], ["similar_name", "same_company"])]

    pairs = (await client.get("/api/v1/contacts/duplicates")).json()["items"]
    found = {frozenset((p["contact"]["id"], p["duplicate"]["id"])) for p in pairs}
    assert found == {
        frozenset((anna["id"], boxed["id"])),
        frozenset((jens["id"], called["id"])),
        frozenset((christine["id"], kristine["id"])),
        frozenset((kristine["id"], namesake["id"])),  # the same name, as before
    }
    later = (datetime.now(UTC) + timedelta(minutes=1)).isoformat()
    none_since = await client.get("/api/v1/contacts/duplicates", params={"since": later})
    assert none_since.json()["items"] == []


async def test_merge_moves_the_history_to_the_survivor_and_emits_merged(
    client: httpx.AsyncClient,
    new_contact: Factory,
    new_product: Factory,
    new_custom_field: Factory,
    outbox: Outbox,
    deliver: Deliver,
) -> None:
    await new_custom_field("branche")
    survivor = await new_contact(
        first_name="Anna", last_name="Schmidt", tags=["messe"], lifecycle_stage="lead"
    )
    duplicate = await new_contact(
        first_name="Anna",
        last_name="Schmitt",
        email="a.schmitt@example.de",
        phone="+49 30 555",
        tags=["vip"],
        external_id="crm-9",
        custom_fields={"branche": "Metall"},
        lifecycle_stage="customer",
    )
    product = await new_product()
    logged = await client.post(
        f"/api/v1/contacts/{duplicate['id']}/interactions", json={"kind": "note", "body": "x"}
    )
    assert logged.status_code == 201
    order = await client.post(
        "/api/v1/orders",
        json={
            "contact_id": duplicate["id"],
            "ordered_at": (datetime.now(UTC) - timedelta(days=1)).isoformat(),
            "currency": "EUR",
            "lines": [{"product_id": product["id"], "quantity": "1"}],
        },
    )
    assert order.status_code == 201
    await deliver(
        [
            SegmentChangedV1(
                contact_id=duplicate["id"],
                kind="abc",
                segment_id=None,
                previous=None,
                current="B",
                changed_at=datetime.now(UTC),
            )
        ]
    )

    answer = await client.post(
        f"/api/v1/contacts/{survivor['id']}/merge", json={"duplicate_id": duplicate["id"]}
    )
    assert answer.status_code == 200, answer.text
    merged = answer.json()
    assert merged["moved"]["interactions"] == 1
    assert merged["moved"]["orders"] == 1
    assert merged["moved"]["tasks"] == 1  # the order's follow-up
    assert merged["moved"]["analytics_flags"] == 1
    contact = merged["contact"]
    assert contact["id"] == survivor["id"]
    assert (contact["phone"], contact["external_id"]) == ("+49 30 555", "crm-9")
    assert contact["email"] == survivor["email"]
    assert contact["tags"] == ["messe", "vip"]
    assert contact["custom_fields"] == {"branche": "Metall"}
    assert contact["lifecycle_stage"] == "customer"

    assert (await client.get(f"/api/v1/contacts/{duplicate['id']}")).status_code == 404
    orders = (await client.get("/api/v1/orders", params={"contact_id": survivor["id"]})).json()
    assert [o["id"] for o in orders["items"]] == [order.json()["id"]]
    timeline = (await client.get(f"/api/v1/contacts/{survivor['id']}/timeline")).json()
    assert {item["kind"] for item in timeline["items"]} >= {
        "interaction",
        "order",
        "task",
        "analytics_flag",
    }

    events = await outbox("treue.contact.merged.v1")
    assert [(e["contact_id"], e["duplicate_id"], e["_subject"]) for e in events] == [
        (survivor["id"], duplicate["id"], duplicate["id"])
    ]
    updated = [
        e for e in await outbox("treue.contact.updated.v1") if e["_subject"] == survivor["id"]
    ]
    assert set(updated[-1]["changed_fields"]) >= {"phone", "external_id", "tags"}
    # The duplicate's e-mail is free again.
    await new_contact(email="a.schmitt@example.de")
    # A flag analytics sends for the duplicate after the merge goes to the survivor.
    late = SegmentChangedV1(
        contact_id=duplicate["id"],
        kind="abc",
        segment_id=None,
        previous="B",
        current="A",
        changed_at=datetime.now(UTC),
    )
    await deliver([late])
    timeline = (await client.get(f"/api/v1/contacts/{survivor['id']}/timeline")).json()
    classes = [
        (item["previous_class"], item["current_class"])
        for item in timeline["items"]
        if item["kind"] == "analytics_flag"
    ]
    assert classes == [("B", "A"), (None, "B")]


async def test_merge_refuses_the_contact_itself_and_unknown_contacts(
    client: httpx.AsyncClient, new_contact: Factory
) -> None:
    contact = await new_contact()
    path = f"/api/v1/contacts/{contact['id']}/merge"
    itself = await client.post(path, json={"duplicate_id": contact["id"]})
    unknown = await client.post(path, json={"duplicate_id": str(uuid.uuid4())})
    missing = await client.post(
        f"/api/v1/contacts/{uuid.uuid4()}/merge", json={"duplicate_id": contact["id"]}
    )
    assert itself.status_code == 422
    assert itself.json()["errors"] == [
        {"field": "duplicate_id", "message": "is the contact itself", "code": "invalid"}
    ]
    assert unknown.status_code == 422
    assert unknown.json()["errors"][0]["field"] == "duplicate_id"
    assert missing.status_code == 404


async def test_a_churned_duplicate_carries_its_churn_and_reason_to_a_lead_survivor(
    client: httpx.AsyncClient, new_contact: Factory, outbox: Outbox
) -> None:
    survivor = await new_contact(first_name="Anna", last_name="Schmidt", lifecycle_stage="lead")
    duplicate = await new_contact(first_name="Anna", last_name="Schmitt")
    churned_at = (datetime.now(UTC) - timedelta(days=3)).isoformat()
    churn = await client.post(
        f"/api/v1/contacts/{duplicate['id']}/churn",
        json={"reason": "price", "note": "zu teuer", "churned_at": churned_at},
    )
    assert churn.status_code == 200, churn.text

    answer = await client.post(
        f"/api/v1/contacts/{survivor['id']}/merge", json={"duplicate_id": duplicate["id"]}
    )
    assert answer.status_code == 200, answer.text
    contact = (await client.get(f"/api/v1/contacts/{survivor['id']}")).json()
    assert (contact["lifecycle_stage"], contact["churn_reason"], contact["churn_note"]) == (
        "churned",
        "price",
        "zu teuer",
    )
    assert datetime.fromisoformat(contact["churned_at"]) == datetime.fromisoformat(churned_at)
    # The churn was announced once, for the duplicate; contact.merged moves it.
    assert [e["_subject"] for e in await outbox("treue.customer.churned.v1")] == [duplicate["id"]]
    updated = [
        e for e in await outbox("treue.contact.updated.v1") if e["_subject"] == survivor["id"]
    ]
    assert updated[-1]["lifecycle_stage"] == "churned"
    # The survivor can be won back like any churned customer, keeping the reason.
    won = await client.post(f"/api/v1/contacts/{survivor['id']}/win-back")
    assert won.status_code == 200, won.text
    assert (won.json()["lifecycle_stage"], won.json()["churn_reason"]) == ("customer", "price")
    # The duplicate's churn moved to the survivor's timeline, before its win-back.
    timeline = (await client.get(f"/api/v1/contacts/{survivor['id']}/timeline")).json()
    assert [
        (item["change"], item["reason"])
        for item in timeline["items"]
        if item["kind"] == "lifecycle"
    ] == [("won_back", None), ("churned", "price")]
    assert answer.json()["moved"]["lifecycle_changes"] == 1


async def test_the_scan_stores_pairs_and_the_list_adds_the_contacts_changed_since(
    client: httpx.AsyncClient, new_contact: Factory, db: asyncpg.Connection, uow: ContactsUnitOfWork
) -> None:
    anna = await new_contact(first_name="Anna", last_name="Schmidt", company="Schmidt AG")
    schmitt = await new_contact(first_name="Anna", last_name="Schmitt", company="Schmidt AG")
    await new_contact(first_name="Bernd", last_name="Maier", company="Holz")
    # Written an hour ago: before the scan's watermark (it lags the clock).
    await db.execute("UPDATE contacts SET updated_at = now() - interval '1 hour'")

    assert await merge_handlers.scan_duplicates(uow) == 1
    stored = await db.fetch("SELECT first_id, second_id, name_similarity FROM duplicate_pairs")
    assert {frozenset((str(r["first_id"]), str(r["second_id"]))) for r in stored} == {
        frozenset((anna["id"], schmitt["id"]))
    }

    async def pairs() -> dict[frozenset[str], float]:
        answer = await client.get("/api/v1/contacts/duplicates")
        assert answer.status_code == 200
        return {
            frozenset((p["contact"]["id"], p["duplicate"]["id"])): p["score"]
            for p in answer.json()["items"]
        }

    # The list reads the stored pair (not a comparison): a stored similarity shows.
    await db.execute("UPDATE duplicate_pairs SET name_similarity = 1")
    assert await pairs() == {frozenset((anna["id"], schmitt["id"])): 1.0}

    # Changed after the scan: compared live, the stored pair of the renamed one is not shown.
    joerg = await new_contact(first_name="Jörg", last_name="Krüger", company="Bau AG")
    krueger = await new_contact(first_name="Jörg", last_name="Krueger", company="Bau AG")
    renamed = await client.patch(f"/api/v1/contacts/{schmitt['id']}", json={"last_name": "Ziegler"})
    assert renamed.status_code == 200
    assert set(await pairs()) == {frozenset((joerg["id"], krueger["id"]))}

    # The next scan covers only the changed blocks, and drops the renamed contact's pair.
    await db.execute("UPDATE contacts SET updated_at = now() - interval '1 minute'")
    await db.execute("UPDATE duplicate_scan SET scanned_through = now() - interval '30 minutes'")
    assert await merge_handlers.scan_duplicates(uow) == 1
    stored = await db.fetch("SELECT first_id, second_id FROM duplicate_pairs")
    assert {frozenset((str(r["first_id"]), str(r["second_id"]))) for r in stored} == {
        frozenset((joerg["id"], krueger["id"]))
    }
