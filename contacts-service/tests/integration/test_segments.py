"""The segment filter on a real Postgres: memberships learned from analytics'
segment.changed events, the latest change winning however late an older one arrives."""

from __future__ import annotations

import csv
import io
import uuid
from collections.abc import Awaitable, Callable, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

import asyncpg
import httpx

from treue.events.contracts import EventContract, SegmentChangedV1
from treue.events.envelope import CloudEvent

Factory = Callable[..., Awaitable[dict[str, Any]]]
Deliver = Callable[[Sequence[EventContract | CloudEvent]], Awaitable[None]]
T0 = datetime(2026, 3, 1, tzinfo=UTC)


def change(
    contact: dict[str, Any],
    segment_id: uuid.UUID | None,
    previous: str | None,
    current: str,
    minutes: int,
    kind: str = "segment",
) -> SegmentChangedV1:
    return SegmentChangedV1(
        contact_id=contact["id"],
        kind=kind,
        segment_id=segment_id,
        previous=previous,
        current=current,
        changed_at=T0 + timedelta(minutes=minutes),
    )


async def members(client: httpx.AsyncClient, segment_id: uuid.UUID) -> set[str]:
    answer = await client.get("/api/v1/contacts", params={"segment_id": str(segment_id)})
    assert answer.status_code == 200
    return {contact["id"] for contact in answer.json()["items"]}


async def test_the_segment_filter_follows_segment_changed_events(
    client: httpx.AsyncClient, new_contact: Factory, deliver: Deliver
) -> None:
    vip, other = uuid.uuid4(), uuid.uuid4()
    anna, bernd, carla = [await new_contact() for _ in range(3)]
    await deliver(
        [
            change(anna, vip, None, "in", 1),
            change(bernd, vip, None, "in", 1),
            change(carla, other, None, "in", 1),
            change(bernd, vip, "in", "out", 2),
            # ABC classes are no saved segments: nothing to keep.
            change(carla, None, "B", "A", 3, kind="abc"),
        ]
    )
    assert await members(client, vip) == {anna["id"]}
    assert await members(client, other) == {carla["id"]}
    assert await members(client, uuid.uuid4()) == set()

    # A late older event changes nothing; a newer one does.
    await deliver([change(bernd, vip, None, "in", 1), change(anna, vip, "in", "out", 5)])
    assert await members(client, vip) == set()

    exported = await client.get("/api/v1/contacts/export.csv", params={"segment_id": str(other)})
    assert [row["id"] for row in csv.DictReader(io.StringIO(exported.text))] == [carla["id"]]


async def test_an_erased_contact_s_memberships_go_with_it(
    client: httpx.AsyncClient, new_contact: Factory, deliver: Deliver, db: asyncpg.Connection
) -> None:
    segment = uuid.uuid4()
    anna, bernd = await new_contact(), await new_contact()
    await deliver([change(anna, segment, None, "in", 1), change(bernd, segment, None, "in", 1)])
    assert (await client.delete(f"/api/v1/contacts/{anna['id']}")).status_code == 202
    rows = await db.fetch("SELECT contact_id FROM contact_segments")
    assert [str(row["contact_id"]) for row in rows] == [bernd["id"]]
    assert await members(client, segment) == {bernd["id"]}
