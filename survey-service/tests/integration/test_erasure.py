"""GDPR: contact.erased removes the person's data survey-service holds; NPS stays correct."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import asyncpg
import httpx

from treue.events.contracts import (
    ContactErasedV1,
    ContactUpdatedV1,
    EventContract,
    OrderRecordedV1,
    SegmentChangedV1,
)

Json = dict[str, Any]
Factory = Callable[..., Awaitable[Json]]
Deliver = Callable[[EventContract], Awaitable[None]]


def contact_state(**overrides: Any) -> Json:
    return {
        "last_name": "Muster",
        "email": "erika@example.de",
        "company": None,
        "language": "de",
        "lifecycle_stage": "customer",
        "tags": [],
        "acquisition_channel": None,
        "acquisition_cost": None,
    } | overrides


async def test_erasure_deletes_the_persons_data_and_keeps_the_nps_counts(
    client: httpx.AsyncClient,
    public: httpx.AsyncClient,
    new_survey: Factory,
    new_contact: Factory,
    deliver: Deliver,
    db: asyncpg.Connection,
) -> None:
    survey = await new_survey()
    erased = await new_contact(first_name="Erika", email="erika@example.de")
    kept = await new_contact(first_name="Karl", email="karl@example.de")
    segment = uuid.uuid4()
    for contact in (erased, kept):
        await deliver(
            SegmentChangedV1(
                contact_id=contact["contact_id"],
                kind="segment",
                segment_id=segment,
                previous="out",
                current="in",
                changed_at=datetime.now(UTC),
            )
        )
    invited = await client.post(
        f"/api/v1/surveys/{survey['id']}/invitations",
        json={"segment_id": str(segment), "channel": "email"},
    )
    tokens = {item["contact_id"]: item["token"] for item in invited.json()["items"]}
    for contact, score in ((erased, 2), (kept, 10)):
        await public.post(
            f"/api/v1/public/invitations/{tokens[contact['contact_id']]}/response",
            json={"score": score, "comment": f"Ich bin {contact['first_name']}"},
        )
    before = (await client.get(f"/api/v1/surveys/{survey['id']}/nps")).json()["overall"]
    event = ContactErasedV1(contact_id=erased["contact_id"], erased_at=datetime.now(UTC))

    await deliver(event)
    await deliver(event.model_copy())
    late = contact_state(contact_id=erased["contact_id"], version=2, first_name="Erika")
    await deliver(
        ContactUpdatedV1(**late, changed_fields=["first_name"], updated_at=datetime.now(UTC))
    )

    after = (await client.get(f"/api/v1/surveys/{survey['id']}/nps")).json()["overall"]
    assert after == before
    assert (after["n"], after["detractors"]) == (2, 1)
    erased_id = uuid.UUID(erased["contact_id"])
    for table in ("contacts", "mail_queue", "segment_members"):
        column = "id" if table == "contacts" else "contact_id"
        query = f"SELECT count(*) FROM {table} WHERE {column} = $1"
        assert await db.fetchval(query, erased_id) == 0, table
    comments = await db.fetch("SELECT contact_id, comment, score FROM responses ORDER BY score")
    assert [(row["comment"], row["score"]) for row in comments] == [
        (None, 2),
        ("Ich bin Karl", 10),
    ]
    assert await db.fetchval("SELECT count(*) FROM mail_queue") == 1
    assert await db.fetchval("SELECT count(*) FROM feedback_cases") == 1
    dump = " ".join(str(dict(row)) for row in await db.fetch("SELECT * FROM mail_queue"))
    assert "erika" not in dump.lower()


async def test_erasure_cancels_pending_automatic_invitations(
    new_survey: Factory, new_contact: Factory, deliver: Deliver, db: asyncpg.Connection
) -> None:
    await new_survey(after_order_days=7)
    jana = await new_contact()
    now = datetime.now(UTC)
    await deliver(
        OrderRecordedV1(
            order_id=uuid.uuid4(),
            contact_id=jana["contact_id"],
            external_id=None,
            ordered_at=now - timedelta(days=1),
            currency="EUR",
            revenue="10.00",
            cost="5.00",
            lines=[],
            recorded_at=now,
        )
    )
    scheduled = await db.fetchval("SELECT count(*) FROM scheduled_invitations")

    await deliver(ContactErasedV1(contact_id=jana["contact_id"], erased_at=now))

    assert scheduled == 1
    assert await db.fetchval("SELECT count(*) FROM scheduled_invitations") == 0
