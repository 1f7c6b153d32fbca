"""A poison record lands in analytics' dead-letter table; the events after it are still handled."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import asyncpg
import httpx
import pytest

from tests.support import (
    CONTACT_CREATED,
    cloudevent_headers,
    create_contact,
    find_dead_letter,
    inbox_events,
    produce,
    update_contact,
    wait_for,
    wait_for_version,
)

pytestmark = [pytest.mark.e2e, pytest.mark.faults]

NOW = datetime.now(UTC).isoformat()


async def _contact_in_analytics(client: httpx.AsyncClient) -> str:
    contact = await create_contact(client)
    await wait_for_version(client, contact["id"], 1)
    contact_id: str = contact["id"]
    return contact_id


@pytest.mark.parametrize(
    ("value", "headers", "error"),
    [
        pytest.param(
            b'{"contact_id": "not closed',
            cloudevent_headers(
                event_id=str(uuid.uuid4()), event_type=CONTACT_CREATED, subject="x", time=NOW
            ),
            "data is not JSON",
            id="value-not-json",
        ),
        pytest.param(b'{"a": 1}', [], "ce_specversion", id="no-cloudevent-headers"),
        pytest.param(
            b"[1, 2, 3]",
            cloudevent_headers(
                event_id=str(uuid.uuid4()), event_type=CONTACT_CREATED, subject="x", time=NOW
            ),
            "not a JSON object",
            id="data-not-an-object",
        ),
    ],
)
async def test_a_malformed_record_is_dead_lettered_and_later_events_are_handled(
    client: httpx.AsyncClient, value: bytes, headers: list[tuple[str, bytes]], error: str
) -> None:
    # Key = a known contact's id: the poison sits on that contact's partition, before its
    # next event.
    contact_id = await _contact_in_analytics(client)
    poison = await produce(contact_id.encode(), value, headers)

    async def dead_lettered() -> dict[str, object] | None:
        return await find_dead_letter(client, poison)

    letter = await wait_for(dead_lettered, message="the malformed record in the dead letters")
    assert error in str(letter["error"])

    await update_contact(client, contact_id, company="Nach dem Gift GmbH")
    customer = await wait_for_version(client, contact_id, 2)
    assert customer["company"] == "Nach dem Gift GmbH"
    later = await create_contact(client)
    await wait_for_version(client, later["id"], 1)


async def test_an_event_its_handler_rejects_is_dead_lettered_and_later_events_are_handled(
    client: httpx.AsyncClient, analytics_db: asyncpg.Pool
) -> None:
    contact_id = await _contact_in_analytics(client)
    # A well-formed CloudEvent whose data lacks most of what the contract requires.
    event_id = str(uuid.uuid4())
    poison = await produce(
        contact_id.encode(),
        b'{"contact_id": "%s", "version": 7}' % contact_id.encode(),
        cloudevent_headers(
            event_id=event_id, event_type=CONTACT_CREATED, subject=contact_id, time=NOW
        ),
    )

    async def dead_lettered() -> dict[str, object] | None:
        return await find_dead_letter(client, poison)

    letter = await wait_for(dead_lettered, message="the rejected event in the dead letters")
    assert letter["event_id"] == event_id
    assert letter["event_type"] == CONTACT_CREATED
    assert "ValidationError" in str(letter["error"])
    assert "first_name" in str(letter["error"])

    customer = await update_contact(client, contact_id, company="Weiter GmbH")
    assert customer["version"] == 2
    arrived = await wait_for_version(client, contact_id, 2)
    # The poison's version 7 was not applied: the read model follows the real events.
    assert arrived["contact_version"] == 2
    assert arrived["company"] == "Weiter GmbH"
    # Recorded as seen, so a replay of the partition skips it instead of failing again.
    handled = [str(row["event_id"]) for row in await inbox_events(analytics_db, [contact_id])]
    assert handled.count(event_id) == 1
    later = await create_contact(client)
    await wait_for_version(client, later["id"], 1)
