"""C8: contact.merged moves what survey-service holds about the duplicate to the survivor."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import asyncpg
import httpx

from treue.events.contracts import ContactMergedV1, EventContract, SegmentChangedV1

from .test_schedule import order

Json = dict[str, Any]
Factory = Callable[..., Awaitable[Json]]
Deliver = Callable[[EventContract], Awaitable[None]]
HISTORY = ("invitations", "responses", "feedback_cases", "mail_queue", "scheduled_invitations")


def membership(contact: Json, segment: uuid.UUID, current: str, at: datetime) -> SegmentChangedV1:
    previous = "out" if current == "in" else "in"
    return SegmentChangedV1(
        contact_id=contact["contact_id"],
        kind="segment",
        segment_id=segment,
        previous=previous,
        current=current,
        changed_at=at,
    )


async def memberships(db: asyncpg.Connection, contact: Json) -> dict[uuid.UUID, bool]:
    rows = await db.fetch(
        "SELECT segment_id, member FROM segment_members WHERE contact_id = $1",
        uuid.UUID(contact["contact_id"]),
    )
    return {row["segment_id"]: row["member"] for row in rows}


async def test_merge_moves_the_duplicates_history_and_keeps_the_nps_counts(
    client: httpx.AsyncClient,
    public: httpx.AsyncClient,
    new_survey: Factory,
    new_contact: Factory,
    invite: Callable[[Json, Json], Awaitable[Json]],
    deliver: Deliver,
    db: asyncpg.Connection,
) -> None:
    survey = await new_survey(after_order_days=7)
    duplicate = await new_contact(first_name="Erika", email="erika@example.de")
    survivor = await new_contact(first_name="Erika", email="erika.muster@example.de")
    segment, shared = uuid.uuid4(), uuid.uuid4()
    earlier = datetime.now(UTC) - timedelta(hours=2)
    await deliver(membership(duplicate, segment, "in", earlier))
    for contact in (duplicate, survivor):
        await deliver(membership(contact, shared, "in", earlier))
    mailed = await client.post(
        f"/api/v1/surveys/{survey['id']}/invitations",
        json={"contact_ids": [duplicate["contact_id"]], "channel": "email"},
    )
    assert mailed.status_code == 201, mailed.text
    tokens = [mailed.json()["items"][0]["token"], (await invite(survey, survivor))["token"]]
    for token, score in zip(tokens, (2, 10), strict=True):
        answered = await public.post(
            f"/api/v1/public/invitations/{token}/response", json={"score": score}
        )
        assert answered.status_code in (200, 201), answered.text
    now = datetime.now(UTC)
    await deliver(order(duplicate, now - timedelta(days=1)))
    nps_url = f"/api/v1/surveys/{survey['id']}/nps"
    before = (await client.get(nps_url)).json()["overall"]
    in_segment_before = (await client.get(nps_url, params={"segment_id": str(segment)})).json()
    merge = ContactMergedV1(
        contact_id=survivor["contact_id"], duplicate_id=duplicate["contact_id"], merged_at=now
    )

    await deliver(merge)
    await deliver(merge.model_copy())

    after = (await client.get(nps_url)).json()["overall"]
    assert after == before
    assert (after["n"], after["detractors"], after["promoters"]) == (2, 1, 1)
    # The duplicate was in the segment, so the merged person is, with both answers.
    in_segment = (await client.get(nps_url, params={"segment_id": str(segment)})).json()
    assert (in_segment_before["overall"]["n"], in_segment["overall"]["n"]) == (1, 2)
    duplicate_id, survivor_id = uuid.UUID(duplicate["contact_id"]), survivor["contact_id"]
    for table in HISTORY:
        query = f"SELECT count(*) FROM {table} WHERE contact_id = $1"
        assert await db.fetchval(query, duplicate_id) == 0, table
    survivors = {
        table: await db.fetchval(
            f"SELECT count(*) FROM {table} WHERE contact_id = $1", uuid.UUID(survivor_id)
        )
        for table in HISTORY
    }
    assert survivors == {
        "invitations": 2,
        "responses": 2,
        "feedback_cases": 1,
        "mail_queue": 1,
        "scheduled_invitations": 1,
    }
    assert await db.fetchval("SELECT count(*) FROM contacts WHERE id = $1", duplicate_id) == 0
    assert await memberships(db, duplicate) == {}
    assert await memberships(db, survivor) == {segment: True, shared: True}
    cases = await client.get("/api/v1/feedback-cases")
    assert [case["contact_id"] for case in cases.json()["items"]] == [survivor_id]


async def test_merge_unites_memberships_unless_analytics_decided_after_the_merge(
    new_contact: Factory, deliver: Deliver, db: asyncpg.Connection
) -> None:
    duplicate, survivor = await new_contact(), await new_contact()
    left_earlier, decided_later = uuid.uuid4(), uuid.uuid4()
    merged_at = datetime.now(UTC)
    hour = timedelta(hours=1)
    await deliver(membership(duplicate, left_earlier, "in", merged_at - hour))
    await deliver(membership(survivor, left_earlier, "out", merged_at - 2 * hour))
    await deliver(membership(duplicate, decided_later, "in", merged_at - hour))
    # analytics-service re-evaluated the merged customer before this service saw the merge.
    await deliver(membership(survivor, decided_later, "out", merged_at + hour))

    await deliver(
        ContactMergedV1(
            contact_id=survivor["contact_id"],
            duplicate_id=duplicate["contact_id"],
            merged_at=merged_at,
        )
    )

    assert await memberships(db, survivor) == {left_earlier: True, decided_later: False}
    assert await memberships(db, duplicate) == {}
