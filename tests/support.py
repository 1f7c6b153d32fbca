"""Helpers of the cross-service tests: waiting with a deadline, make targets, contacts, tables.

Everything can be pointed at another stack by environment variables; the defaults are the
local stack `make up` starts.
"""

from __future__ import annotations

import asyncio
import inspect
import os
import subprocess
import time
import uuid
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any, TypeVar, overload

import asyncpg
import httpx
from aiokafka import AIOKafkaProducer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient
from aiokafka.structs import RecordMetadata

ROOT = Path(__file__).resolve().parents[1]
GATEWAY_URL = os.environ.get("TREUE_GATEWAY_URL", "http://127.0.0.1:8000")
KAFKA_BOOTSTRAP = os.environ.get("TREUE_KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:9092")
# The names the services derive from these settings (topic prefix, service name = group id).
TOPIC_PREFIX = os.environ.get("TREUE_TOPIC_PREFIX", "treue")
CONTACTS_TOPIC = f"{TOPIC_PREFIX}.contacts"
ANALYTICS_GROUP = f"{TOPIC_PREFIX}.{os.environ.get('TREUE_ANALYTICS_SERVICE_NAME', 'analytics')}"
CONTACT_CREATED = "treue.contact.created.v1"
CONTACT_UPDATED = "treue.contact.updated.v1"
# Generous for a 2-core machine that runs Kafka, Postgres and four services at once.
ARRIVAL_TIMEOUT = float(os.environ.get("TREUE_TEST_ARRIVAL_TIMEOUT", "30"))
MAKE_TIMEOUT = 240.0

T = TypeVar("T")


def database_url(service: str) -> str:
    """The plain libpq URL of a service's database, from the variable the service itself reads."""
    url = os.environ.get(
        f"TREUE_{service.upper()}_DATABASE_URL",
        f"postgresql://treue:treue@127.0.0.1:5433/{service}",
    )
    return url.replace("postgresql+asyncpg://", "postgresql://", 1)


# --- waiting and running ----------------------------------------------------------------


class NotYet:
    """A falsy answer of a `wait_for` predicate that says how far things got."""

    def __init__(self, detail: str) -> None:
        self.detail = detail

    def __bool__(self) -> bool:
        return False

    def __repr__(self) -> str:
        return self.detail


# A predicate answers None, False or a NotYet while the condition does not hold yet; the
# overloads let mypy see the truthy answer `wait_for` hands back.
@overload
async def wait_for(
    predicate: Callable[[], Awaitable[T | NotYet | None]],
    within: float = ARRIVAL_TIMEOUT,
    *,
    interval: float = 0.25,
    message: str = "condition",
) -> T: ...


@overload
async def wait_for(
    predicate: Callable[[], T | NotYet | None],
    within: float = ARRIVAL_TIMEOUT,
    *,
    interval: float = 0.25,
    message: str = "condition",
) -> T: ...


async def wait_for(
    predicate: Callable[[], object],
    within: float = ARRIVAL_TIMEOUT,
    *,
    interval: float = 0.25,
    message: str = "condition",
) -> Any:
    """Polls `predicate` until it returns something truthy and returns that; fails at the deadline.

    Connection errors count as "not yet" (a component may be restarting); the last falsy
    value or error is part of the failure message, so a timeout says how far it got.
    """
    deadline = time.monotonic() + within
    last: object = None
    while True:
        try:
            result = predicate()
            if inspect.isawaitable(result):
                result = await result
            if result:
                return result
            last = result
        except (httpx.TransportError, OSError, asyncpg.PostgresError) as error:
            last = error
        if time.monotonic() >= deadline:
            raise AssertionError(f"{message}: not reached within {within:.0f}s (last: {last!r})")
        await asyncio.sleep(interval)


def make(target: str, timeout: float = MAKE_TIMEOUT, env: dict[str, str] | None = None) -> str:
    """Runs `make <target>` in the repository root, with `env` on top of this process's
    environment (settings of the processes it starts); raises with its output when it fails."""
    try:
        done = subprocess.run(
            ["make", "--no-print-directory", target],
            cwd=ROOT,
            env={**os.environ, **(env or {})},
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
    except subprocess.TimeoutExpired as error:
        raise RuntimeError(f"make {target} did not finish within {timeout:.0f}s") from error
    if done.returncode != 0:
        raise RuntimeError(
            f"make {target} failed with exit code {done.returncode}\n"
            f"--- stdout ---\n{done.stdout}\n--- stderr ---\n{done.stderr}"
        )
    return done.stdout


async def amake(
    target: str, within: float = MAKE_TIMEOUT, env: dict[str, str] | None = None
) -> str:
    """`make` without blocking the event loop, so requests in flight keep going."""
    return await asyncio.to_thread(make, target, within, env)


def gone(pid: int) -> bool:
    """Dead: no process, or a zombie its parent has not reaped yet."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return True
    return stat.rsplit(")", 1)[1].split()[0] == "Z"


def admin_credentials() -> tuple[str, str]:
    """From TREUE_ADMIN_EMAIL/PASSWORD, else the file `make up` wrote."""
    email, password = os.environ.get("TREUE_ADMIN_EMAIL"), os.environ.get("TREUE_ADMIN_PASSWORD")
    if email and password:
        return email, password
    lines = (ROOT / ".run" / "admin-credentials").read_text().split()
    return lines[0], lines[1]


# --- contacts and what analytics made of them -------------------------------------------


def new_contact(**fields: Any) -> dict[str, Any]:
    marker = uuid.uuid4().hex[:12]
    return {
        "first_name": "Jana",
        "last_name": f"Test-{marker}",
        "email": f"e2e-{marker}@example.org",
        "company": "Becker Werkzeugbau GmbH",
        "language": "de",
        "tags": ["e2e"],
        "lifecycle_stage": "customer",
        "acquisition_channel": "trade fair",
        "acquisition_cost": "250.00",
        **fields,
    }


async def create_contact(client: httpx.AsyncClient, **fields: Any) -> dict[str, Any]:
    answer = await client.post("/api/v1/contacts", json=new_contact(**fields))
    assert answer.status_code == 201, answer.text
    body: dict[str, Any] = answer.json()
    return body


async def create_product(
    client: httpx.AsyncClient, name: str, price: str, unit_cost: str
) -> dict[str, Any]:
    """A product of a new SKU, in EUR."""
    body = {
        "sku": f"E2E-{uuid.uuid4().hex[:8]}",
        "name": name,
        "price": price,
        "unit_cost": unit_cost,
        "currency": "EUR",
    }
    answer = await client.post("/api/v1/products", json=body)
    assert answer.status_code == 201, answer.text
    created: dict[str, Any] = answer.json()
    return created


async def update_contact(
    client: httpx.AsyncClient, contact_id: str, **changes: Any
) -> dict[str, Any]:
    answer = await client.patch(f"/api/v1/contacts/{contact_id}", json=changes)
    assert answer.status_code == 200, answer.text
    body: dict[str, Any] = answer.json()
    return body


async def create_many(
    client: httpx.AsyncClient, count: int, *, concurrency: int = 16
) -> list[httpx.Response]:
    """POSTs `count` new contacts, `concurrency` at a time; returns every answer in order."""
    limit = asyncio.Semaphore(concurrency)

    async def one(index: int) -> httpx.Response:
        async with limit:
            return await client.post("/api/v1/contacts", json=new_contact(first_name=f"N{index}"))

    return list(await asyncio.gather(*(one(i) for i in range(count))))


def created_ids(answers: list[httpx.Response]) -> list[str]:
    """The contact ids of POST answers, after checking every one of them was a 201."""
    statuses = [answer.status_code for answer in answers]
    assert statuses == [201] * len(answers), {
        status: statuses.count(status) for status in set(statuses)
    }
    return [str(answer.json()["id"]) for answer in answers]


async def analytics_customer(client: httpx.AsyncClient, contact_id: str) -> dict[str, Any] | None:
    """The read-model row through the API, or None while it has not arrived (404)."""
    answer = await client.get(f"/api/v1/analytics/customers/{contact_id}")
    if answer.status_code == 404:
        return None
    assert answer.status_code == 200, answer.text
    body: dict[str, Any] = answer.json()
    return body


async def wait_for_version(
    client: httpx.AsyncClient, contact_id: str, version: int, within: float = ARRIVAL_TIMEOUT
) -> dict[str, Any]:
    """Waits until analytics shows the contact at `version` or later, and returns the row."""

    async def arrived() -> dict[str, Any] | None:
        customer = await analytics_customer(client, contact_id)
        if customer is not None and customer["contact_version"] >= version:
            return customer
        return None

    return await wait_for(
        arrived, within, message=f"contact {contact_id} at version {version} in analytics"
    )


async def outbox_events(contacts_db: asyncpg.Pool, subjects: list[str]) -> list[asyncpg.Record]:
    """The contacts outbox rows of these subjects, in outbox (= relay) order."""
    rows: list[asyncpg.Record] = await contacts_db.fetch(
        "SELECT id, event_id, subject, event_type, source, occurred_at, data::text AS data,"
        " sent_at FROM outbox WHERE subject = ANY($1::text[]) ORDER BY id",
        subjects,
    )
    return rows


async def inbox_events(analytics_db: asyncpg.Pool, subjects: list[str]) -> list[asyncpg.Record]:
    """analytics' inbox rows of these subjects, in handling order."""
    rows: list[asyncpg.Record] = await analytics_db.fetch(
        'SELECT seq, event_id, subject, event_type, partition, "offset", handled_at'
        " FROM inbox WHERE subject = ANY($1::text[]) ORDER BY seq",
        subjects,
    )
    return rows


async def patch_many(client: httpx.AsyncClient, contact_id: str, updates: int) -> None:
    """PATCHes one contact `updates` times in a row, each answered 200 with the next version."""
    for number in range(1, updates + 1):
        updated = await update_contact(client, contact_id, first_name=f"Rename {number}")
        assert updated["version"] == number + 1


async def assert_handled_in_written_order(
    contacts_db: asyncpg.Pool, analytics_db: asyncpg.Pool, contact_id: str, events: int
) -> None:
    """analytics handled the contact's `events` events once each, in the outbox's order."""
    written = await outbox_events(contacts_db, [contact_id])
    handled = await inbox_events(analytics_db, [contact_id])
    assert len(written) == events
    assert [row["event_id"] for row in handled] == [row["event_id"] for row in written]
    assert [row["event_type"] for row in handled] == [CONTACT_CREATED] + [CONTACT_UPDATED] * (
        events - 1
    )
    # One key, one partition: the offsets grow with the handling order.
    assert len({row["partition"] for row in handled}) == 1
    offsets = [row["offset"] for row in handled]
    assert offsets == sorted(offsets)
    version = await analytics_db.fetchval(
        "SELECT contact_version FROM customers WHERE contact_id = $1::uuid", contact_id
    )
    assert version == events


async def count_customers(analytics_db: asyncpg.Pool, contact_ids: list[str]) -> int:
    count: int = await analytics_db.fetchval(
        "SELECT count(*) FROM customers WHERE contact_id = ANY($1::uuid[])", contact_ids
    )
    return count


async def all_in_analytics(analytics_db: asyncpg.Pool, contact_ids: list[str]) -> bool | NotYet:
    """A `wait_for` predicate: every one of these contacts is in the read model."""
    count = await count_customers(analytics_db, contact_ids)
    return count == len(contact_ids) or NotYet(f"{count} of {len(contact_ids)} arrived")


async def assert_exactly_once(
    contacts_db: asyncpg.Pool, analytics_db: asyncpg.Pool, contact_ids: list[str]
) -> None:
    """Every outbox event of these contacts is in analytics' inbox once, and nothing else is."""
    written = [row["event_id"] for row in await outbox_events(contacts_db, contact_ids)]
    handled = [row["event_id"] for row in await inbox_events(analytics_db, contact_ids)]
    assert len(written) == len(contact_ids), "one created event per contact in the outbox"
    assert len(handled) == len(set(handled)), "an event was handled twice"
    assert len(handled) == len(contact_ids), f"{len(handled)} inbox rows for {len(contact_ids)}"
    assert set(handled) == set(written), "the inbox holds other events than the outbox wrote"
    versions = await analytics_db.fetch(
        "SELECT contact_version, count(*) AS n FROM customers"
        " WHERE contact_id = ANY($1::uuid[]) GROUP BY contact_version",
        contact_ids,
    )
    assert {row["contact_version"]: row["n"] for row in versions} == {1: len(contact_ids)}


# --- Kafka ------------------------------------------------------------------------------


def cloudevent_headers(
    *, event_id: str, event_type: str, subject: str, source: str = "e2e-tests", time: str
) -> list[tuple[str, bytes]]:
    """CloudEvents 1.0 attributes in Kafka's binary content mode, as the relay writes them."""
    return [
        ("ce_specversion", b"1.0"),
        ("ce_id", event_id.encode()),
        ("ce_source", source.encode()),
        ("ce_type", event_type.encode()),
        ("ce_time", time.encode()),
        ("ce_subject", subject.encode()),
        ("content-type", b"application/json"),
    ]


async def produce(
    key: bytes | None, value: bytes | None, headers: list[tuple[str, bytes]]
) -> RecordMetadata:
    """Writes one record into the contacts topic and returns where it landed."""
    producer = AIOKafkaProducer(bootstrap_servers=KAFKA_BOOTSTRAP, enable_idempotence=True)
    await producer.start()
    try:
        metadata: RecordMetadata = await producer.send_and_wait(
            CONTACTS_TOPIC, value, key=key, headers=headers
        )
    finally:
        await producer.stop()
    return metadata


async def wait_until_consumed(position: RecordMetadata, within: float = ARRIVAL_TIMEOUT) -> int:
    """Waits until analytics' consumer group committed an offset past this record."""
    partition = TopicPartition(position.topic, position.partition)
    admin = AIOKafkaAdminClient(bootstrap_servers=KAFKA_BOOTSTRAP)
    await admin.start()
    try:

        async def committed_past() -> int | None:
            offsets = await admin.list_consumer_group_offsets(
                ANALYTICS_GROUP, partitions=[partition]
            )
            committed = offsets.get(partition)
            offset = committed.offset if committed is not None else -1
            return offset if offset > position.offset else None

        return await wait_for(
            committed_past,
            within,
            message=f"group {ANALYTICS_GROUP} committing past {partition}@{position.offset}",
        )
    finally:
        await admin.close()


async def find_dead_letter(
    client: httpx.AsyncClient, position: RecordMetadata
) -> dict[str, Any] | None:
    """analytics' dead letter of this record through the admin API, or None."""
    path = "/api/v1/admin/services/analytics/dead-letters"
    params: dict[str, Any] = {"limit": 500}
    while True:
        answer = await client.get(path, params=params)
        assert answer.status_code == 200, answer.text
        page = answer.json()
        for item in page["items"]:
            if (item["topic"], item["partition"], item["offset"]) == (
                position.topic,
                position.partition,
                position.offset,
            ):
                found: dict[str, Any] = item
                return found
        if page["next_cursor"] is None:
            return None
        params["cursor"] = page["next_cursor"]
