"""An event delivered twice changes nothing the second time (Kafka is at-least-once)."""

from __future__ import annotations

import asyncpg
import httpx
import pytest

from tests.support import (
    cloudevent_headers,
    create_contact,
    find_dead_letter,
    inbox_events,
    outbox_events,
    produce,
    update_contact,
    wait_for_version,
    wait_until_consumed,
)

pytestmark = [pytest.mark.e2e, pytest.mark.faults]


async def test_a_redelivered_event_is_skipped(
    client: httpx.AsyncClient, contacts_db: asyncpg.Pool, analytics_db: asyncpg.Pool
) -> None:
    contact = await create_contact(client)
    contact_id = contact["id"]
    await update_contact(client, contact_id, company="Erste Firma")
    await wait_for_version(client, contact_id, 2)
    written = await outbox_events(contacts_db, [contact_id])
    assert len(written) == 2
    inbox_before = await inbox_events(analytics_db, [contact_id])
    customer_before = await analytics_db.fetchrow(
        "SELECT * FROM customers WHERE contact_id = $1::uuid", contact_id
    )
    assert customer_before is not None

    # The relay's copy of the created event once more, exactly as the relay sent it.
    original = written[0]
    copy = await produce(
        contact_id.encode(),
        original["data"].encode(),
        cloudevent_headers(
            event_id=str(original["event_id"]),
            event_type=original["event_type"],
            subject=contact_id,
            source=original["source"],
            time=original["occurred_at"].isoformat(),
        ),
    )
    assert copy.partition == inbox_before[0]["partition"], "the key must pick the same partition"
    await wait_until_consumed(copy)

    inbox_after = await inbox_events(analytics_db, [contact_id])
    customer_after = await analytics_db.fetchrow(
        "SELECT * FROM customers WHERE contact_id = $1::uuid", contact_id
    )
    assert [tuple(row) for row in inbox_after] == [tuple(row) for row in inbox_before]
    assert dict(customer_after) == dict(customer_before)
    assert await find_dead_letter(client, copy) is None
