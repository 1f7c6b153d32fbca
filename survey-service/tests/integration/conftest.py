"""survey-service on a real, migrated Postgres: the app, its inbox and HTTP."""

from __future__ import annotations

import itertools
import json
import socket
import subprocess
import sys
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from datetime import UTC, datetime
from email.message import EmailMessage
from email.parser import BytesParser
from email.policy import default
from pathlib import Path
from typing import Any

import asyncpg
import httpx
import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import Envelope
from asgi_lifespan import LifespanManager
from fastapi import FastAPI

from survey.adapters.smtp import SmtpMailer
from survey.main import EVENT_HANDLERS, create_app
from survey.settings import SurveySettings
from treue.events.contracts import ContactCreatedV1, EventContract
from treue.events.envelope import CloudEvent
from treue.inbox import Delivery, InboxProcessor
from treue.outbox import asyncpg_dsn
from treue.testing import create_migrated_database, eventually, identity_headers, truncate

ALEMBIC_INI = Path(__file__).parents[2] / "alembic.ini"
TABLES = [
    "contacts",
    "surveys",
    "invitations",
    "mail_queue",
    "scheduled_invitations",
    "segment_members",
    "erased_contacts",
    "responses",
    "feedback_cases",
    "nps_daily",
    "nps_daily_by_tag",
    "nps_daily_by_segment",
]
PUBLIC_BASE_URL = "https://treue.example"
_offsets = itertools.count()

Json = dict[str, Any]
Factory = Callable[..., Awaitable[Json]]


@pytest.fixture(scope="session")
def database_url() -> str:
    return create_migrated_database("survey_test", ALEMBIC_INI)


@pytest.fixture(scope="session")
async def app(database_url: str) -> AsyncIterator[FastAPI]:
    settings = SurveySettings(
        database_url=database_url, run_background=False, public_base_url=PUBLIC_BASE_URL
    )
    application = create_app(settings)
    async with LifespanManager(application):
        yield application


@pytest.fixture(autouse=True)
async def clean(database_url: str) -> None:
    await truncate(
        database_url, [*TABLES, "outbox", "inbox", "idempotency_keys", "runtime_settings"]
    )


@pytest.fixture
async def client(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(
        transport=transport, base_url="http://survey", headers=identity_headers()
    ) as client:
        yield client


@pytest.fixture
async def public(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    """As the gateway calls /api/v1/public/**: without an identity token."""
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://survey") as client:
        yield client


@pytest.fixture
async def db(database_url: str) -> AsyncIterator[asyncpg.Connection]:
    conn = await asyncpg.connect(asyncpg_dsn(database_url))
    yield conn
    await conn.close()


@pytest.fixture
def deliver(app: FastAPI) -> Callable[[EventContract], Awaitable[None]]:
    """Hands an event (about one contact) to the real inbox with the service's handlers, as
    the consumer would."""
    runtime = app.state.runtime
    inbox = InboxProcessor(runtime.session_factory, runtime.tables, EVENT_HANDLERS)

    async def run(contract: EventContract) -> None:
        event = CloudEvent(
            source="contacts",
            type=contract.event_type,
            subject=str(getattr(contract, "contact_id", "")),
            data=contract.model_dump(mode="json"),
        )
        record = type(
            "Record", (), {"topic": "treue.contacts", "partition": 0, "offset": next(_offsets)}
        )
        await inbox.process([Delivery(record, event, None)])

    return run


class Inbox:
    """The mails an aiosmtpd server took, as parsed messages with their envelope recipients."""

    def __init__(self) -> None:
        self.messages: list[tuple[list[str], EmailMessage]] = []

    async def handle_DATA(self, server: object, session: object, envelope: Envelope) -> str:  # noqa: N802
        assert isinstance(envelope.content, bytes)
        message = BytesParser(policy=default).parsebytes(envelope.content)
        assert isinstance(message, EmailMessage)
        self.messages.append((list(envelope.rcpt_tos), message))
        return "250 Message accepted for delivery"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@pytest.fixture
def closed_port() -> int:
    """A port nothing listens on: a mail server that is down."""
    return free_port()


@pytest.fixture
def smtp_sink() -> Iterator[tuple[Inbox, SmtpMailer]]:
    """A real SMTP server (aiosmtpd) on a free port and a mailer that sends to it."""
    inbox = Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield inbox, SmtpMailer(host="127.0.0.1", port=port, sender="Treue <umfrage@treue.test>")
    finally:
        controller.stop()


@pytest.fixture
async def local_mail_sink(tmp_path: Path) -> AsyncIterator[tuple[str, SmtpMailer]]:
    """deploy/local/mail_sink.py as `make up` runs it, on free ports: its web page URL and a
    mailer that sends to it."""
    smtp_port, http_port = free_port(), free_port()
    script = Path(__file__).parents[3] / "deploy" / "local" / "mail_sink.py"
    process = subprocess.Popen(  # noqa: ASYNC220 - started once, stopped below
        [
            sys.executable,
            str(script),
            f"--smtp-port={smtp_port}",
            f"--http-port={http_port}",
            f"--directory={tmp_path}",
        ]
    )
    url = f"http://127.0.0.1:{http_port}"

    async def ready() -> bool:
        try:
            async with httpx.AsyncClient() as web:
                return (await web.get(url)).status_code == 200
        except httpx.TransportError:
            return False

    try:
        await eventually(ready, timeout=20, message="the mail sink answers")
        yield url, SmtpMailer(host="127.0.0.1", port=smtp_port, sender="Treue <u@treue.test>")
    finally:
        process.terminate()
        process.wait(timeout=10)


def contact_state(**overrides: Any) -> Json:
    return {
        "contact_id": uuid.uuid4(),
        "version": 1,
        "first_name": "Jana",
        "last_name": "Becker",
        "email": "jana.becker@example.de",
        "company": None,
        "language": "de",
        "lifecycle_stage": "customer",
        "tags": ["maschinenbau"],
        "acquisition_channel": None,
        "acquisition_cost": None,
    } | overrides


@pytest.fixture
def new_contact(deliver: Callable[[EventContract], Awaitable[None]]) -> Factory:
    """A contact as contacts-service announces it; returns its state."""

    async def create(**overrides: Any) -> Json:
        state = contact_state(**overrides)
        await deliver(ContactCreatedV1(**state, created_at=datetime.now(UTC)))
        return {**state, "contact_id": str(state["contact_id"])}

    return create


@pytest.fixture
def new_survey(client: httpx.AsyncClient) -> Factory:
    async def create(**overrides: Any) -> Json:
        answer = await client.post("/api/v1/surveys", json={"name": "NPS 2027"} | overrides)
        assert answer.status_code == 201, answer.text
        created: Json = answer.json()
        return created

    return create


@pytest.fixture
def invite(client: httpx.AsyncClient) -> Callable[[Json, Json], Awaitable[Json]]:
    """Invites one contact by link and returns the invitation."""

    async def run(survey: Json, contact: Json) -> Json:
        answer = await client.post(
            f"/api/v1/surveys/{survey['id']}/invitations",
            json={"contact_ids": [contact["contact_id"]], "channel": "link"},
        )
        assert answer.status_code == 201, answer.text
        invitation: Json = answer.json()["items"][0]
        return invitation

    return run


@pytest.fixture
def outbox(db: asyncpg.Connection) -> Callable[[str], Awaitable[list[Json]]]:
    """The payloads of the outbox rows of one type, oldest first, with their subject."""

    async def read(event_type: str) -> list[Json]:
        rows = await db.fetch(
            "SELECT subject, data FROM outbox WHERE event_type = $1 ORDER BY id", event_type
        )
        return [{**json.loads(row["data"]), "_subject": row["subject"]} for row in rows]

    return read
