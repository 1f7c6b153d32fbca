"""Segments from analytics-service's segment.changed events: invitations to a segment and
the NPS of a segment."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import asyncpg
import httpx

from treue.events.contracts import EventContract, SegmentChangedV1

Json = dict[str, Any]
Factory = Callable[..., Awaitable[Json]]
Deliver = Callable[[EventContract], Awaitable[None]]
START = datetime(2027, 1, 1, tzinfo=UTC)


def moved(
    contact: Json | str,
    segment_id: uuid.UUID,
    current: str,
    minutes: int = 0,
    kind: str = "segment",
) -> SegmentChangedV1:
    contact_id = contact if isinstance(contact, str) else contact["contact_id"]
    return SegmentChangedV1(
        contact_id=uuid.UUID(contact_id),
        kind=kind,
        segment_id=segment_id if kind == "segment" else None,
        previous="out" if current == "in" else "in",
        current=current,
        changed_at=START + timedelta(minutes=minutes),
    )


async def test_a_segment_invitation_reaches_its_current_members_only(
    client: httpx.AsyncClient,
    new_survey: Factory,
    new_contact: Factory,
    deliver: Deliver,
    db: asyncpg.Connection,
) -> None:
    survey = await new_survey()
    segment, other = uuid.uuid4(), uuid.uuid4()
    stays, left, elsewhere = await new_contact(), await new_contact(), await new_contact()
    stranger = str(uuid.uuid4())
    await deliver(moved(stays, segment, "in"))
    await deliver(moved(left, segment, "in"))
    await deliver(moved(left, segment, "out", minutes=5))
    await deliver(moved(left, segment, "in", minutes=1))  # late and older: changes nothing
    await deliver(moved(elsewhere, other, "in"))
    await deliver(moved(stranger, segment, "in"))
    await deliver(moved(elsewhere, segment, "in", kind="abc"))

    answer = await client.post(
        f"/api/v1/surveys/{survey['id']}/invitations",
        json={"segment_id": str(segment), "channel": "email"},
    )

    assert answer.status_code == 201, answer.text
    assert [item["contact_id"] for item in answer.json()["items"]] == [stays["contact_id"]]
    assert answer.json()["skipped"] == [
        {"contact_id": stranger, "reason": "unknown_contact", "last_surveyed_at": None}
    ]
    assert await db.fetchval("SELECT count(*) FROM mail_queue") == 1


async def test_segment_invitations_refuse_unknown_segments_and_ambiguous_bodies(
    client: httpx.AsyncClient, new_survey: Factory, new_contact: Factory
) -> None:
    survey = await new_survey()
    jana = await new_contact()
    url = f"/api/v1/surveys/{survey['id']}/invitations"

    empty = await client.post(url, json={"segment_id": str(uuid.uuid4())})
    both = await client.post(
        url, json={"segment_id": str(uuid.uuid4()), "contact_ids": [jana["contact_id"]]}
    )
    neither = await client.post(url, json={"channel": "email"})

    for refused in (empty, both, neither):
        assert refused.status_code == 422
        assert refused.json()["errors"][0]["field"] == "segment_id"


async def test_nps_of_a_segment_counts_its_members_answers_only(
    client: httpx.AsyncClient, new_survey: Factory, new_contact: Factory, deliver: Deliver
) -> None:
    survey = await new_survey()
    segment = uuid.uuid4()
    fan, critic, outsider = await new_contact(), await new_contact(), await new_contact()
    await deliver(moved(fan, segment, "in"))
    await deliver(moved(critic, segment, "in"))
    for contact, score in ((fan, 10), (critic, 2), (outsider, 10)):
        await client.post(
            f"/api/v1/surveys/{survey['id']}/responses",
            json={"contact_id": contact["contact_id"], "score": score},
        )

    per_survey = await client.get(
        f"/api/v1/surveys/{survey['id']}/nps", params={"segment_id": str(segment)}
    )
    overall = await client.get("/api/v1/nps", params={"segment_id": str(segment)})
    bad = await client.get("/api/v1/nps", params={"segment_id": "segment-a"})

    assert per_survey.json()["overall"]["n"] == 2
    assert per_survey.json()["overall"]["nps"] == 0.0
    assert overall.json()["overall"]["n"] == 2
    assert bad.status_code == 422
