"""The event backbone end to end: contacts-service → outbox → Kafka → analytics' read model."""

from __future__ import annotations

import asyncpg
import httpx
import pytest

from tests.support import (
    CONTACT_CREATED,
    CONTACT_UPDATED,
    analytics_customer,
    assert_handled_in_written_order,
    create_contact,
    inbox_events,
    outbox_events,
    patch_many,
    update_contact,
    wait_for,
    wait_for_version,
)

pytestmark = pytest.mark.e2e

UPDATES = 20


async def test_a_new_contact_and_its_update_reach_analytics(
    client: httpx.AsyncClient, contacts_db: asyncpg.Pool, analytics_db: asyncpg.Pool
) -> None:
    contact = await create_contact(client, first_name="Jana", company="Becker Werkzeugbau GmbH")
    contact_id = contact["id"]
    assert contact["version"] == 1

    customer = await wait_for_version(client, contact_id, 1)
    assert customer["contact_id"] == contact_id
    assert customer["contact_version"] == 1
    assert (customer["first_name"], customer["last_name"], customer["email"]) == (
        contact["first_name"],
        contact["last_name"],
        contact["email"],
    )
    assert customer["company"] == "Becker Werkzeugbau GmbH"
    assert customer["tags"] == ["e2e"]

    updated = await update_contact(
        client, contact_id, company="Becker & Söhne KG", lifecycle_stage="customer"
    )
    assert updated["version"] == 2

    customer = await wait_for_version(client, contact_id, 2)
    assert customer["contact_version"] == 2
    assert customer["company"] == "Becker & Söhne KG"
    assert customer["lifecycle_stage"] == "customer"
    assert customer["first_name"] == "Jana"

    written = await outbox_events(contacts_db, [contact_id])
    handled = await inbox_events(analytics_db, [contact_id])
    assert [row["event_type"] for row in written] == [CONTACT_CREATED, CONTACT_UPDATED]
    assert [row["event_id"] for row in handled] == [row["event_id"] for row in written]


async def test_an_unknown_contact_is_not_found_in_analytics(client: httpx.AsyncClient) -> None:
    # The waiting above relies on 404 meaning "not arrived yet".
    assert await analytics_customer(client, "00000000-0000-4000-8000-000000000000") is None


async def test_the_events_of_one_contact_are_handled_in_the_order_they_were_written(
    client: httpx.AsyncClient, contacts_db: asyncpg.Pool, analytics_db: asyncpg.Pool
) -> None:
    contact = await create_contact(client)
    contact_id = contact["id"]
    await patch_many(client, contact_id, UPDATES)

    async def all_handled() -> bool:
        return len(await inbox_events(analytics_db, [contact_id])) >= UPDATES + 1

    await wait_for(all_handled, message=f"{UPDATES + 1} events of {contact_id} handled")
    await assert_handled_in_written_order(contacts_db, analytics_db, contact_id, UPDATES + 1)
    customer = await analytics_customer(client, contact_id)
    assert customer is not None
    assert customer["contact_version"] == UPDATES + 1
    assert customer["first_name"] == f"Rename {UPDATES}"
