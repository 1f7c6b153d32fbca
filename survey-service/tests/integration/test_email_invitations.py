"""E-mail invitations end to end: the invitation and its queued mail in one transaction,
the sender delivering to a real SMTP server (aiosmtpd), retries while it fails."""

from __future__ import annotations

import asyncio
import re
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from typing import Any

import asyncpg
import httpx
from fastapi import FastAPI

from survey.adapters.smtp import SmtpMailer
from survey.entrypoints.dependencies import runtime_unit_of_work
from survey.service_layer.mail_handlers import send_next_mail
from survey.service_layer.policy import Policy
from survey.service_layer.schedule_handlers import run_schedule

Json = dict[str, Any]
Factory = Callable[..., Awaitable[Json]]
POLICY = Policy(public_base_url="https://treue.example", mail_max_attempts=2)


async def send_all(app: FastAPI, mailer: Any, now: datetime | None = None) -> int:
    sent = 0
    while await send_next_mail(
        runtime_unit_of_work(app.state.runtime), mailer, POLICY, now or datetime.now(UTC)
    ):
        sent += 1
    return sent


def body(message: EmailMessage, subtype: str) -> str:
    part = message.get_body(preferencelist=(subtype,))
    assert part is not None
    content: str = part.get_content()
    return content


async def test_an_email_invitation_reaches_the_smtp_server_in_the_contacts_language(
    client: httpx.AsyncClient,
    app: FastAPI,
    new_survey: Factory,
    new_contact: Factory,
    smtp_sink: tuple[Any, SmtpMailer],
    db: asyncpg.Connection,
) -> None:
    inbox, mailer = smtp_sink
    survey = await new_survey(name="Kundenzufriedenheit")
    jana = await new_contact(first_name="Jana", email="jana@example.de", language="de")
    tom = await new_contact(first_name="Tom <b>", email="tom@example.com", language="en")
    silent = await new_contact(email=None)

    answer = await client.post(
        f"/api/v1/surveys/{survey['id']}/invitations",
        json={
            "contact_ids": [jana["contact_id"], tom["contact_id"], silent["contact_id"]],
            "channel": "email",
        },
    )
    queued = await db.fetchval("SELECT count(*) FROM mail_queue WHERE status = 'queued'")
    delivered = await send_all(app, mailer)

    assert answer.status_code == 201, answer.text
    items = answer.json()["items"]
    assert [item["channel"] for item in items] == ["email", "email"]
    assert answer.json()["skipped"] == [
        {"contact_id": silent["contact_id"], "reason": "no_email", "last_surveyed_at": None}
    ]
    assert (queued, delivered) == (2, 2)
    by_recipient = {recipients[0]: message for recipients, message in inbox.messages}
    german, english = by_recipient["jana@example.de"], by_recipient["tom@example.com"]
    assert german["Subject"] == "Ihre Meinung zählt: Kundenzufriedenheit"
    assert "Guten Tag Jana," in body(german, "plain")
    assert items[0]["url"] in body(german, "plain")
    assert f'href="{items[0]["url"]}"' in body(german, "html")
    assert english["Subject"] == "Your opinion counts: Kundenzufriedenheit"
    assert items[1]["url"] in body(english, "plain")
    assert "Hello Tom &lt;b&gt;," in body(english, "html")
    assert await db.fetchval("SELECT count(*) FROM mail_queue WHERE status = 'sent'") == 2
    assert await send_all(app, mailer) == 0


async def test_a_refused_invitation_queues_no_mail(
    client: httpx.AsyncClient, new_survey: Factory, new_contact: Factory, db: asyncpg.Connection
) -> None:
    survey = await new_survey(active=False)
    jana = await new_contact()

    answer = await client.post(
        f"/api/v1/surveys/{survey['id']}/invitations",
        json={"contact_ids": [jana["contact_id"]], "channel": "email"},
    )

    assert answer.status_code == 409
    assert await db.fetchval("SELECT count(*) FROM mail_queue") == 0


async def test_a_failing_mail_server_is_retried_later_and_given_up_after_the_last_attempt(
    client: httpx.AsyncClient,
    app: FastAPI,
    new_survey: Factory,
    new_contact: Factory,
    smtp_sink: tuple[Any, SmtpMailer],
    closed_port: int,
    db: asyncpg.Connection,
) -> None:
    inbox, mailer = smtp_sink
    down = SmtpMailer(host="127.0.0.1", port=closed_port, sender="x@treue.test")
    survey = await new_survey()
    first, second = await new_contact(), await new_contact(email="ben@example.de")
    for contact in (first, second):
        await client.post(
            f"/api/v1/surveys/{survey['id']}/invitations",
            json={"contact_ids": [contact["contact_id"]], "channel": "email"},
        )
    now = datetime.now(UTC)

    tried = await send_all(app, down, now)
    again_at_once = await send_all(app, down, now)
    rows = await db.fetch("SELECT status, attempts, next_attempt_at, last_error FROM mail_queue")
    recovered = await send_all(app, mailer, now + timedelta(minutes=1))

    assert (tried, again_at_once) == (2, 0)
    assert all(row["status"] == "queued" and row["attempts"] == 1 for row in rows)
    assert all(row["next_attempt_at"] > now and row["last_error"] for row in rows)
    assert recovered == 2
    assert sorted(recipients[0] for recipients, _ in inbox.messages) == [
        "ben@example.de",
        "jana.becker@example.de",
    ]

    await client.post(
        f"/api/v1/surveys/{(await new_survey())['id']}/invitations",
        json={"contact_ids": [(await new_contact())["contact_id"]], "channel": "email"},
    )
    later = datetime.now(UTC)
    await send_all(app, down, later)
    await send_all(app, down, later + timedelta(minutes=5))
    assert await db.fetchval("SELECT attempts FROM mail_queue WHERE status = 'failed'") == 2


class SlowMailer:
    def __init__(self) -> None:
        self.sent: list[str] = []

    async def send(self, recipient: str, subject: str, text: str, html: str) -> None:
        await asyncio.sleep(0.3)
        self.sent.append(recipient)


async def test_two_senders_at_once_never_send_the_same_mail(
    client: httpx.AsyncClient, app: FastAPI, new_survey: Factory, new_contact: Factory
) -> None:
    survey = await new_survey()
    jana = await new_contact()
    await client.post(
        f"/api/v1/surveys/{survey['id']}/invitations",
        json={"contact_ids": [jana["contact_id"]], "channel": "email"},
    )
    mailer = SlowMailer()
    now = datetime.now(UTC)

    outcomes = await asyncio.gather(
        *(
            send_next_mail(runtime_unit_of_work(app.state.runtime), mailer, POLICY, now)
            for _ in range(2)
        )
    )

    assert sorted(outcomes) == [False, True]
    assert mailer.sent == ["jana.becker@example.de"]


async def test_the_local_sink_shows_the_mail_and_its_link_answers_the_survey(
    client: httpx.AsyncClient,
    public: httpx.AsyncClient,
    app: FastAPI,
    new_survey: Factory,
    new_contact: Factory,
    local_mail_sink: tuple[str, SmtpMailer],
) -> None:
    sink_url, mailer = local_mail_sink
    survey = await new_survey(name="Sink")
    tom = await new_contact(first_name="Tom", email="tom@example.com", language="en")
    await client.post(
        f"/api/v1/surveys/{survey['id']}/invitations",
        json={"contact_ids": [tom["contact_id"]], "channel": "email"},
    )

    await send_all(app, mailer)
    async with httpx.AsyncClient(base_url=sink_url) as web:
        index = (await web.get("/")).text
        mail_path = re.search(r'href="(/mail/[^"]+)"', index)
        assert mail_path is not None, index
        page = (await web.get(mail_path.group(1))).text
    link = re.search(r'<a href="(https://treue\.example/s/([^"]+))">', page)
    assert link is not None, page
    answered = await public.post(
        f"/api/v1/public/invitations/{link.group(2)}/response", json={"score": 10}
    )

    assert "Your opinion counts: Sink" in index
    assert "tom@example.com" in index
    assert answered.status_code == 201, answered.text


async def test_sent_mails_are_purged_after_the_retention_queued_ones_stay(
    client: httpx.AsyncClient,
    app: FastAPI,
    new_survey: Factory,
    new_contact: Factory,
    db: asyncpg.Connection,
) -> None:
    survey = await new_survey(max_reminders=0)
    sent, waiting = await new_contact(), await new_contact(email="ben@example.de")
    await client.post(
        f"/api/v1/surveys/{survey['id']}/invitations",
        json={"contact_ids": [sent["contact_id"]], "channel": "email"},
    )
    await send_all(app, SlowMailer())
    await client.post(
        f"/api/v1/surveys/{survey['id']}/invitations",
        json={"contact_ids": [waiting["contact_id"]], "channel": "email"},
    )
    policy = Policy(mail_retention=timedelta(days=30))

    early = await run_schedule(
        runtime_unit_of_work(app.state.runtime), policy, datetime.now(UTC) + timedelta(days=29)
    )
    late = await run_schedule(
        runtime_unit_of_work(app.state.runtime), policy, datetime.now(UTC) + timedelta(days=31)
    )

    assert (early.purged, late.purged) == (0, 1)
    rows = await db.fetch("SELECT recipient FROM mail_queue")
    assert [row["recipient"] for row in rows] == ["ben@example.de"]
    assert await db.fetchval("SELECT count(*) FROM invitations") == 2
