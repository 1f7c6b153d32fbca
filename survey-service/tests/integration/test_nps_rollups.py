"""The NPS rollups stay equal to a recount from the responses, the contact copy's tags and
the segment memberships after every kind of change, and the NPS read from them equals the
NPS counted from the responses, also for ranges that cut days in half."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any

import asyncpg
import httpx

from treue.events.contracts import (
    ContactErasedV1,
    ContactMergedV1,
    ContactUpdatedV1,
    EventContract,
    SegmentChangedV1,
)

from .conftest import contact_state

Json = dict[str, Any]
Factory = Callable[..., Awaitable[Json]]
Deliver = Callable[[EventContract], Awaitable[None]]
ROLLUPS = ("nps_daily", "nps_daily_by_tag", "nps_daily_by_segment")


async def rollups(db: asyncpg.Connection) -> dict[str, set[tuple[Any, ...]]]:
    """Every non-zero count of the three rollups."""
    return {
        table: {tuple(row) for row in await db.fetch(f"SELECT * FROM {table} WHERE n <> 0")}
        for table in ROLLUPS
    }


async def assert_consistent(db: asyncpg.Connection) -> dict[str, set[tuple[Any, ...]]]:
    """The rollups as the triggers kept them equal a recount (done in a transaction that
    is rolled back); returns them."""
    kept = await rollups(db)
    transaction = db.transaction()
    await transaction.start()
    try:
        await db.execute("SELECT nps_rollups_rebuild()")
        recounted = await rollups(db)
    finally:
        await transaction.rollback()
    assert kept == recounted
    return kept


def membership(contact: Json, segment: uuid.UUID, current: str, minutes: int) -> SegmentChangedV1:
    return SegmentChangedV1(
        contact_id=contact["contact_id"],
        kind="segment",
        segment_id=segment,
        previous="out" if current == "in" else "in",
        current=current,
        changed_at=datetime(2026, 11, 1, tzinfo=UTC) + timedelta(minutes=minutes),
    )


async def test_rollups_follow_answers_edits_tags_memberships_merges_and_erasures(
    client: httpx.AsyncClient,
    public: httpx.AsyncClient,
    new_survey: Factory,
    new_contact: Factory,
    invite: Callable[[Json, Json], Awaitable[Json]],
    deliver: Deliver,
    db: asyncpg.Connection,
) -> None:
    survey = await new_survey()
    jana = await new_contact(tags=["maschinenbau", "vip"])
    erika = await new_contact(first_name="Erika", tags=["vip"])
    duplicate = await new_contact(first_name="Erika", tags=["handel"])
    segment = uuid.uuid4()
    await deliver(membership(jana, segment, "in", 1))
    await deliver(membership(duplicate, segment, "in", 1))
    for contact, score, day in ((jana, 10, 3), (erika, 4, 3), (duplicate, 8, 4), (jana, 2, 5)):
        posted = await client.post(
            f"/api/v1/surveys/{survey['id']}/responses",
            json={
                "contact_id": contact["contact_id"],
                "score": score,
                "responded_at": f"2026-10-0{day}T23:30:00+02:00",
            },
        )
        assert posted.status_code == 201, posted.text
    counted = await assert_consistent(db)
    survey_id = uuid.UUID(survey["id"])
    assert {row for row in counted["nps_daily_by_tag"] if row[0] == "vip"} == {
        ("vip", survey_id, date(2026, 10, 3), "promoter", 1),
        ("vip", survey_id, date(2026, 10, 3), "detractor", 1),
        ("vip", survey_id, date(2026, 10, 5), "detractor", 1),
    }

    # An answer by link, edited within 24 hours from passive to detractor.
    karl = await new_contact(first_name="Karl", tags=["vip"])
    url = f"/api/v1/public/invitations/{(await invite(survey, karl))['token']}/response"
    assert (await public.post(url, json={"score": 8})).status_code == 201
    assert (await public.post(url, json={"score": 1})).status_code == 200
    await assert_consistent(db)

    # Tags change, a member leaves the segment.
    state = contact_state(contact_id=erika["contact_id"], version=2, tags=["handel"])
    await deliver(ContactUpdatedV1(**state, changed_fields=["tags"], updated_at=datetime.now(UTC)))
    await deliver(membership(jana, segment, "out", 2))
    await assert_consistent(db)

    # The duplicate merges into Erika, then Jana is erased.
    merge = ContactMergedV1(
        contact_id=erika["contact_id"],
        duplicate_id=duplicate["contact_id"],
        merged_at=datetime.now(UTC),
    )
    await deliver(merge)
    await deliver(ContactErasedV1(contact_id=jana["contact_id"], erased_at=datetime.now(UTC)))
    counted = await assert_consistent(db)

    assert sum(row[-1] for row in counted["nps_daily"]) == 5
    # Erika's own answer and the duplicate's are hers now: tag "handel" and the segment.
    by_tag = {(row[0], row[-2]): row[-1] for row in counted["nps_daily_by_tag"]}
    assert by_tag == {("handel", "detractor"): 1, ("handel", "passive"): 1, ("vip", "detractor"): 1}
    assert sum(row[-1] for row in counted["nps_daily_by_segment"]) == 2


async def test_nps_from_the_rollups_equals_the_count_at_any_cut(
    client: httpx.AsyncClient,
    new_survey: Factory,
    new_contact: Factory,
    deliver: Deliver,
) -> None:
    survey, other = await new_survey(), await new_survey()
    vip = await new_contact(tags=["vip"])
    plain = await new_contact(tags=[])
    segment = uuid.uuid4()
    await deliver(membership(vip, segment, "in", 1))
    start = datetime(2026, 1, 30, 18, tzinfo=UTC)
    for hour in range(0, 24 * 6, 7):
        for contact, target in ((vip, survey), (plain, survey), (vip, other)):
            posted = await client.post(
                f"/api/v1/surveys/{target['id']}/responses",
                json={
                    "contact_id": contact["contact_id"],
                    "score": hour % 11,
                    "responded_at": (start + timedelta(hours=hour)).isoformat(),
                },
            )
            assert posted.status_code == 201, posted.text

    cuts = [
        {},
        {"from": "2026-01-31T00:00:00Z"},
        {"from": "2026-01-31T05:00:00+01:00", "to": "2026-02-03T13:00:00Z"},
        {"from": "2026-02-01T10:00:00Z", "to": "2026-02-01T20:00:00Z"},
        {"from": "2026-01-31T22:00:00Z", "to": "2026-02-02T03:00:00Z"},
        {"to": "2026-02-02T00:00:00Z"},
    ]
    groups: list[dict[str, str]] = [{}, {"tag": " VIP "}, {"segment_id": str(segment)}]
    for cut in cuts:
        for group in groups:
            for interval in ("week", "month"):
                params = cut | group | {"interval": interval}
                from_rollups = await client.get(
                    f"/api/v1/surveys/{survey['id']}/nps", params=params
                )
                overall = await client.get("/api/v1/nps", params=params)
                # Tag and segment together are always counted from the responses.
                counted = await client.get(
                    f"/api/v1/surveys/{survey['id']}/nps",
                    params=params | {"tag": "vip", "segment_id": str(segment)},
                )
                assert from_rollups.status_code == overall.status_code == 200
                if group:
                    assert from_rollups.json()["series"] == counted.json()["series"], params
                inside = answers_within(start, cut)
                assert from_rollups.json()["overall"]["n"] == inside * (1 if group else 2), params
                assert overall.json()["overall"]["n"] == inside * (2 if group else 3), params


def answers_within(start: datetime, cut: dict[str, str]) -> int:
    """How many of the 7-hourly moments fall in the cut."""
    low = datetime.fromisoformat(cut.get("from", "2000-01-01T00:00:00+00:00"))
    high = datetime.fromisoformat(cut.get("to", "2100-01-01T00:00:00+00:00"))
    moments = [start + timedelta(hours=hour) for hour in range(0, 24 * 6, 7)]
    return sum(1 for moment in moments if low <= moment < high)
