"""The broker stopped: writes keep succeeding, and every event arrives once the broker is back."""

from __future__ import annotations

from collections.abc import AsyncIterator

import asyncpg
import httpx
import pytest

from tests.support import (
    NotYet,
    all_in_analytics,
    amake,
    assert_exactly_once,
    assert_handled_in_written_order,
    count_customers,
    create_contact,
    create_many,
    created_ids,
    inbox_events,
    outbox_events,
    patch_many,
    wait_for,
)

pytestmark = [pytest.mark.e2e, pytest.mark.faults]

CONTACTS = 500
UPDATES = 20
# Broker start, the relay's reconnect back-off and 500 events on a 2-core machine.
RECOVERY_TIMEOUT = 120


@pytest.fixture
async def kafka_stopped() -> AsyncIterator[None]:
    try:
        await amake("kafka-stop")
        yield
    finally:
        # Whatever happened in the test, later tests need the broker.
        await amake("kafka-start")


async def test_contacts_written_while_kafka_is_down_arrive_exactly_once(
    client: httpx.AsyncClient,
    contacts_db: asyncpg.Pool,
    analytics_db: asyncpg.Pool,
    kafka_stopped: None,
) -> None:
    contact_ids = created_ids(await create_many(client, CONTACTS))
    assert len(set(contact_ids)) == CONTACTS
    # One more contact, changed many times: its events leave in one relay batch and arrive
    # in one poll, where a reordering would show.
    ordered = (await create_contact(client))["id"]
    await patch_many(client, ordered, UPDATES)

    # Proof that the outage was real: nothing of these left the outbox or reached analytics.
    everyone = [*contact_ids, ordered]
    pending = await outbox_events(contacts_db, everyone)
    assert len(pending) == CONTACTS + 1 + UPDATES
    assert [row["sent_at"] for row in pending] == [None] * len(pending)
    assert await count_customers(analytics_db, everyone) == 0

    await amake("kafka-start")

    async def all_arrived() -> bool | NotYet:
        arrived = await all_in_analytics(analytics_db, everyone)
        if not arrived:
            return arrived
        handled = len(await inbox_events(analytics_db, [ordered]))
        return handled == UPDATES + 1 or NotYet(f"{handled} events of {ordered} handled")

    await wait_for(
        all_arrived,
        RECOVERY_TIMEOUT,
        interval=1.0,
        message=f"all {CONTACTS} contacts in analytics after the broker came back",
    )
    await assert_exactly_once(contacts_db, analytics_db, contact_ids)
    await assert_handled_in_written_order(contacts_db, analytics_db, ordered, UPDATES + 1)
    sent = await outbox_events(contacts_db, contact_ids)
    assert all(row["sent_at"] is not None for row in sent)
