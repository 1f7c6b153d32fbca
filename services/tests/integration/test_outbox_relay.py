"""The relay against a real Postgres and a real Kafka broker."""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections import defaultdict
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any, ClassVar

import asyncpg
import orjson
import pytest
from sqlalchemy import cast, func, literal, select
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from treue.events.contracts import EventContract
from treue.events.envelope import CloudEvent
from treue.outbox import NOTIFY_CHANNEL, OutboxRelay, OutboxStream, asyncpg_dsn
from treue.settings import ServiceSettings
from treue.tables import BackboneTables
from treue.testing import eventually, read_topic
from treue.uow import UnitOfWork


async def pending(session_factory: async_sessionmaker[AsyncSession], tables: BackboneTables) -> int:
    async with session_factory() as session:
        query = select(func.count()).where(tables.outbox.c.sent_at.is_(None))
        return int(await session.scalar(query) or 0)


@contextlib.asynccontextmanager
async def running(relay: OutboxRelay) -> AsyncIterator[asyncio.Task[None]]:
    task = asyncio.create_task(relay.run())
    try:
        yield task
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task


async def test_events_reach_kafka_in_the_order_written_per_subject_and_are_marked_sent(
    session_factory: async_sessionmaker[AsyncSession],
    tables: BackboneTables,
    settings: ServiceSettings,
    topic: str,
    write_events: Any,
) -> None:
    written = [(f"contact-{i % 7}", f"value-{i}") for i in range(350)]
    await write_events(topic, written)

    async with running(OutboxRelay(settings)):
        await eventually(lambda: _none_pending(session_factory, tables), message="all sent")

    records = await read_topic(settings.kafka_bootstrap_servers, topic, len(written))
    assert len(records) == len(written)
    received: dict[str, list[str]] = defaultdict(list)
    for record in records:
        event = CloudEvent.from_kafka(record.headers, record.value)
        assert record.key == (event.subject or "").encode()
        assert event.type == "treue.test.something_happened.v1"
        received[event.subject or ""].append(orjson.loads(record.value)["value"])
    expected: dict[str, list[str]] = defaultdict(list)
    for subject, value in written:
        expected[subject].append(value)
    assert received == expected


async def _none_pending(
    session_factory: async_sessionmaker[AsyncSession], tables: BackboneTables
) -> bool:
    return await pending(session_factory, tables) == 0


async def test_rows_stay_pending_while_kafka_is_unreachable_and_go_out_when_it_is_back(
    session_factory: async_sessionmaker[AsyncSession],
    tables: BackboneTables,
    settings: ServiceSettings,
    topic: str,
    write_events: Any,
) -> None:
    await write_events(topic, [("c1", "a"), ("c1", "b")])
    unreachable = settings.model_copy(update={"kafka_bootstrap_servers": "127.0.0.1:1"})

    async with running(OutboxRelay(unreachable)):
        await asyncio.sleep(3)
        assert await pending(session_factory, tables) == 2

    async with running(OutboxRelay(settings)):
        await eventually(lambda: _none_pending(session_factory, tables), message="sent later")
    assert len(await read_topic(settings.kafka_bootstrap_servers, topic, 2)) == 2


async def test_one_relay_leads_and_a_standby_takes_over_when_it_dies(
    session_factory: async_sessionmaker[AsyncSession],
    tables: BackboneTables,
    settings: ServiceSettings,
    topic: str,
    write_events: Any,
) -> None:
    first = OutboxRelay(settings, standby_poll_seconds=0.2)
    second = OutboxRelay(settings, standby_poll_seconds=0.2)
    first_task = asyncio.create_task(first.run())
    await eventually(lambda: _is(first), message="first leads")
    async with running(second):
        await asyncio.sleep(1)
        assert first.is_leader
        assert not second.is_leader

        first_task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await first_task
        await eventually(lambda: _is(second), timeout=10, message="standby takes over")

        await write_events(topic, [("c9", "after-takeover")])
        await eventually(lambda: _none_pending(session_factory, tables), message="sent")


async def _is(relay: OutboxRelay) -> bool:
    return relay.is_leader


async def test_the_leader_forgets_old_idempotency_answers_and_keeps_recent_ones(
    session_factory: async_sessionmaker[AsyncSession],
    tables: BackboneTables,
    settings: ServiceSettings,
) -> None:
    keys = tables.idempotency_keys
    now = datetime.now(UTC)
    async with session_factory() as session, session.begin():
        await session.execute(
            keys.insert(),
            [
                {
                    "scope": "u:/contacts:old",
                    "request_hash": "h",
                    "status_code": 201,
                    "body": b'{"email": "erased@example.com"}',
                    "created_at": now - timedelta(hours=25),
                },
                {
                    "scope": "u:/contacts:recent",
                    "request_hash": "h",
                    "status_code": 201,
                    "body": b"{}",
                    "created_at": now - timedelta(hours=23),
                },
            ],
        )

    async def scopes() -> list[str]:
        async with session_factory() as session:
            return sorted(await session.scalars(select(keys.c.scope)))

    async def old_key_gone() -> bool:
        return await scopes() == ["u:/contacts:recent"]

    async with running(OutboxRelay(settings)):
        await eventually(old_key_gone, message="the day-old idempotency answer deleted")


class NoteTakenV1(EventContract):
    event_type: ClassVar[str] = "treue.test.note_taken.v1"
    value: str


@pytest.mark.parametrize("count", [1, 2, 500])
async def test_a_commit_with_events_writes_them_and_wakes_the_relay_once(
    database_url: str,
    session_factory: async_sessionmaker[AsyncSession],
    tables: BackboneTables,
    count: int,
) -> None:
    listener = await asyncpg.connect(asyncpg_dsn(database_url))
    woken: asyncio.Queue[str] = asyncio.Queue()
    await listener.add_listener(NOTIFY_CHANNEL, lambda *args: woken.put_nowait(args[2]))
    try:
        async with UnitOfWork(session_factory, tables, source="test", topic="t") as uow:
            for number in range(count):
                uow.publish(NoteTakenV1(value=f"note {number}"), subject=f"s{number}")
            await uow.commit()

        await asyncio.wait_for(woken.get(), timeout=5)
        await asyncio.sleep(0.2)
        assert woken.empty()
    finally:
        await listener.close()
    async with session_factory() as session:
        rows = (
            await session.execute(
                select(tables.outbox.c.subject, tables.outbox.c.data).order_by(tables.outbox.c.id)
            )
        ).all()
    # In the order they were published: the relay sends by id.
    assert [(subject, data["value"]) for subject, data in rows] == [
        (f"s{number}", f"note {number}") for number in range(count)
    ]


async def test_event_ids_are_uuid7_in_the_order_written(
    session_factory: async_sessionmaker[AsyncSession], tables: BackboneTables
) -> None:
    """Time-ordered ids (RFC 9562), made in Python by a unit of work and in SQL by a
    set-based write, so the unique index on event_id grows at its right edge."""
    started = time.time()
    async with UnitOfWork(session_factory, tables, source="test", topic="t") as uow:
        uow.publish(NoteTakenV1(value="one by one"), subject="s1")
        await uow.commit()
    async with session_factory() as session, session.begin():
        rows = select(
            literal("s2").label("subject"),
            cast(literal('{"value": "set-based"}'), JSONB).label("data"),
        ).subquery()
        await OutboxStream(tables.outbox, "test", "t").publish_from(session, NoteTakenV1, rows)
    async with session_factory() as session:
        ids = list(
            await session.scalars(select(tables.outbox.c.event_id).order_by(tables.outbox.c.id))
        )
    assert [event_id.version for event_id in ids] == [7, 7]
    # The first 48 bits are the time in milliseconds (Postgres' clock or Python's: the same
    # machine here), so a later write never sorts before an earlier one's millisecond.
    written = [int.from_bytes(event_id.bytes[:6], "big") / 1000 for event_id in ids]
    assert started - 1 <= written[0] <= written[1] <= time.time() + 1
