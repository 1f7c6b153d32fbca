"""Reminders, automatic invitations after orders and before renewals, and the quiet period
under concurrent calls; the clock is moved by passing `now`."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Awaitable, Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any

import asyncpg
import httpx
from fastapi import FastAPI

from survey.entrypoints.dependencies import runtime_unit_of_work
from survey.service_layer import survey_handlers
from survey.service_layer.policy import Policy
from survey.service_layer.schedule_handlers import SCHEDULE_LOCK, ScheduleRun, run_schedule
from treue.events.contracts import ContractRenewalDueV1, EventContract, OrderRecordedV1
from treue.outbox import advisory_lock_key

Json = dict[str, Any]
Factory = Callable[..., Awaitable[Json]]
Deliver = Callable[[EventContract], Awaitable[None]]
POLICY = Policy(public_base_url="https://treue.example")


async def schedule(app: FastAPI, now: datetime) -> ScheduleRun:
    return await run_schedule(runtime_unit_of_work(app.state.runtime), POLICY, now)


async def mails(db: asyncpg.Connection, kind: str) -> list[asyncpg.Record]:
    return await db.fetch(
        "SELECT recipient, subject, text_body FROM mail_queue WHERE kind = $1 ORDER BY created_at",
        kind,
    )


async def email_invite(client: httpx.AsyncClient, survey: Json, *contacts: Json) -> Json:
    answer = await client.post(
        f"/api/v1/surveys/{survey['id']}/invitations",
        json={"contact_ids": [c["contact_id"] for c in contacts], "channel": "email"},
    )
    assert answer.status_code == 201, answer.text
    result: Json = answer.json()
    return result


async def test_unanswered_email_invitations_get_their_reminders_and_no_more(
    client: httpx.AsyncClient,
    public: httpx.AsyncClient,
    app: FastAPI,
    new_survey: Factory,
    new_contact: Factory,
    db: asyncpg.Connection,
) -> None:
    survey = await new_survey(name="NPS", reminder_after_days=5, max_reminders=2)
    silent = await new_contact(email="silent@example.de")
    answering = await new_contact(email="answering@example.com", language="en")
    invited = await email_invite(client, survey, silent, answering)
    token = invited["items"][1]["token"]
    await public.post(f"/api/v1/public/invitations/{token}/response", json={"score": 9})
    now = datetime.now(UTC)

    too_early = await schedule(app, now + timedelta(days=4))
    first = await schedule(app, now + timedelta(days=5, minutes=1))
    same_day = await schedule(app, now + timedelta(days=6))
    second = await schedule(app, now + timedelta(days=10, minutes=1))
    no_third = await schedule(app, now + timedelta(days=30))

    assert [run.reminded for run in (too_early, first, same_day, second, no_third)] == [
        0,
        1,
        0,
        1,
        0,
    ]
    reminders = await mails(db, "reminder")
    assert [row["recipient"] for row in reminders] == ["silent@example.de"] * 2
    assert reminders[0]["subject"] == "Erinnerung: NPS"
    assert invited["items"][0]["url"] in reminders[0]["text_body"]


async def test_no_reminders_when_switched_off_or_for_link_invitations(
    client: httpx.AsyncClient, app: FastAPI, new_survey: Factory, new_contact: Factory
) -> None:
    quiet = await new_survey(max_reminders=0)
    by_link = await new_survey(quiet_period_days=0)
    jana = await new_contact()
    await email_invite(client, quiet, jana)
    await client.post(
        f"/api/v1/surveys/{by_link['id']}/invitations", json={"contact_ids": [jana["contact_id"]]}
    )

    run = await schedule(app, datetime.now(UTC) + timedelta(days=20))

    assert run.reminded == 0


async def test_a_second_replica_does_nothing_while_one_holds_the_schedule_lock(
    app: FastAPI, db: asyncpg.Connection
) -> None:
    async with db.transaction():
        await db.execute("SELECT pg_advisory_xact_lock($1)", advisory_lock_key(SCHEDULE_LOCK))
        blocked = await schedule(app, datetime.now(UTC))

    free = await schedule(app, datetime.now(UTC))

    assert (blocked.ran, free.ran) == (False, True)


def order(
    contact: Json, ordered_at: datetime, order_id: uuid.UUID | None = None
) -> OrderRecordedV1:
    return OrderRecordedV1(
        order_id=order_id or uuid.uuid4(),
        contact_id=contact["contact_id"],
        external_id=None,
        ordered_at=ordered_at,
        currency="EUR",
        revenue="100.00",
        cost="60.00",
        lines=[],
        recorded_at=ordered_at,
    )


async def test_the_post_order_survey_invites_n_days_after_an_order_once_per_quiet_period(
    app: FastAPI,
    new_survey: Factory,
    new_contact: Factory,
    deliver: Deliver,
    db: asyncpg.Connection,
) -> None:
    await new_survey(name="Ohne Automatik")
    survey = await new_survey(name="Nach dem Kauf", after_order_days=7)
    jana = await new_contact(email="jana@example.de")
    now = datetime.now(UTC)
    first = order(jana, now)
    await deliver(first)
    await deliver(first.model_copy(update={}))  # the same order again, a new event id
    await deliver(order(jana, now + timedelta(hours=1)))
    await deliver(order(jana, now - timedelta(days=400)))  # an imported old order

    before = await schedule(app, now + timedelta(days=6))
    due = await schedule(app, now + timedelta(days=7, hours=2))

    assert (before.invited, before.skipped) == (0, 0)
    assert (due.invited, due.skipped) == (1, 1)
    rows = await db.fetch("SELECT outcome FROM scheduled_invitations ORDER BY due_at")
    assert [row["outcome"] for row in rows] == ["invited", "quiet_period"]
    invitation = await db.fetchrow("SELECT survey_id, channel FROM invitations")
    assert (str(invitation["survey_id"]), invitation["channel"]) == (survey["id"], "email")
    assert [row["recipient"] for row in await mails(db, "invitation")] == ["jana@example.de"]


async def test_a_renewal_invites_before_the_notice_date(
    app: FastAPI,
    new_survey: Factory,
    new_contact: Factory,
    deliver: Deliver,
    db: asyncpg.Connection,
) -> None:
    await new_survey(name="Vor der Verlängerung", before_renewal_days=10)
    tom = await new_contact(email="tom@example.com", language="en")
    now = datetime.now(UTC)
    notice = (now + timedelta(days=30)).date()
    await deliver(renewal_due(tom, notice, now))

    early = await schedule(app, now + timedelta(days=19))
    due = await schedule(app, now + timedelta(days=21))

    assert (early.invited, due.invited) == (0, 1)
    due_at = await db.fetchval("SELECT due_at FROM scheduled_invitations")
    assert due_at.date() == notice - timedelta(days=10)
    subjects = [row["subject"] for row in await mails(db, "invitation")]
    assert subjects == ["Your opinion counts: Vor der Verlängerung"]


def renewal_due(contact: Json, notice: date, now: datetime) -> ContractRenewalDueV1:
    return ContractRenewalDueV1(
        contract_id=uuid.uuid4(),
        contact_id=contact["contact_id"],
        product_id=uuid.uuid4(),
        version=1,
        start_date=notice - timedelta(days=335),
        end_date=notice + timedelta(days=30),
        notice_period_days=30,
        auto_renew=True,
        monthly_value="99.00",
        currency="EUR",
        status="active",
        notice_date=notice,
        task_id=uuid.uuid4(),
        detected_at=now,
    )


async def test_concurrent_invitation_calls_invite_a_contact_once(
    app: FastAPI, new_survey: Factory, new_contact: Factory, db: asyncpg.Connection
) -> None:
    first, second = await new_survey(), await new_survey()
    jana = await new_contact()
    commands = [
        survey_handlers.InviteContacts(
            uuid.UUID(survey["id"]), [uuid.UUID(jana["contact_id"])], "email"
        )
        for survey in (first, second) * 4
    ]

    outcomes = await asyncio.gather(
        *(
            survey_handlers.invite(command, runtime_unit_of_work(app.state.runtime), POLICY)
            for command in commands
        )
    )

    assert sum(len(outcome.invitations) for outcome in outcomes) == 1
    assert sum(len(outcome.skipped) for outcome in outcomes) == 7
    assert await db.fetchval("SELECT count(*) FROM invitations") == 1
    assert await db.fetchval("SELECT count(*) FROM mail_queue") == 1


async def test_bad_reminder_and_trigger_settings_name_the_field(
    client: httpx.AsyncClient, new_survey: Factory
) -> None:
    survey = await new_survey(after_order_days=14)

    too_many = await client.post("/api/v1/surveys", json={"name": "x", "max_reminders": 3})
    zero_wait = await client.patch(
        f"/api/v1/surveys/{survey['id']}", json={"reminder_after_days": 0}
    )
    switched_off = await client.patch(
        f"/api/v1/surveys/{survey['id']}", json={"after_order_days": None}
    )

    assert too_many.status_code == 422
    assert "max_reminders" in too_many.json()["errors"][0]["field"]
    assert zero_wait.status_code == 422
    assert "reminder_after_days" in zero_wait.json()["errors"][0]["field"]
    assert survey["after_order_days"] == 14
    assert switched_off.json()["after_order_days"] is None


async def test_the_invitation_list_shows_origin_mail_reminders_and_answers(
    client: httpx.AsyncClient,
    public: httpx.AsyncClient,
    app: FastAPI,
    new_survey: Factory,
    new_contact: Factory,
    deliver: Deliver,
) -> None:
    survey = await new_survey(after_order_days=0, reminder_after_days=1)
    by_hand, by_link, after_order = await new_contact(), await new_contact(), await new_contact()
    await email_invite(client, survey, by_hand)
    linked = await client.post(
        f"/api/v1/surveys/{survey['id']}/invitations",
        json={"contact_ids": [by_link["contact_id"]]},
    )
    await public.post(
        f"/api/v1/public/invitations/{linked.json()['items'][0]['token']}/response",
        json={"score": 8},
    )
    await deliver(order(after_order, datetime.now(UTC)))
    await schedule(app, datetime.now(UTC) + timedelta(days=1, minutes=1))

    first = await client.get(f"/api/v1/surveys/{survey['id']}/invitations", params={"limit": 2})
    rest = await client.get(
        f"/api/v1/surveys/{survey['id']}/invitations",
        params={"limit": 2, "cursor": first.json()["next_cursor"]},
    )
    one = await client.get(
        f"/api/v1/surveys/{survey['id']}/invitations",
        params={"contact_id": by_hand["contact_id"]},
    )
    missing = await client.get(f"/api/v1/surveys/{uuid.uuid4()}/invitations")

    items = first.json()["items"] + rest.json()["items"]
    by_contact = {item["contact_id"]: item for item in items}
    assert [item["contact_id"] for item in items] == [
        after_order["contact_id"],
        by_link["contact_id"],
        by_hand["contact_id"],
    ]
    assert rest.json()["next_cursor"] is None
    assert all("token" not in item for item in items)
    hand = by_contact[by_hand["contact_id"]]
    assert (hand["origin"], hand["mail_status"], hand["reminders_sent"]) == ("manual", "queued", 1)
    link = by_contact[by_link["contact_id"]]
    assert (link["channel"], link["mail_status"], link["answered"]) == ("link", None, True)
    assert by_contact[after_order["contact_id"]]["origin"] == "order"
    assert [item["contact_id"] for item in one.json()["items"]] == [by_hand["contact_id"]]
    assert missing.status_code == 404
