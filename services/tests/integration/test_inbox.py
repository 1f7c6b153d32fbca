"""The inbox against a real Postgres, and the consumer against a real Kafka broker."""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import uuid
from typing import Any

from aiokafka import AIOKafkaProducer, ConsumerRecord
from sqlalchemy import column, func, select, table
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from treue.events.envelope import CloudEvent
from treue.inbox import BatchHandler, EventConsumer, InboxProcessor, parse
from treue.settings import ServiceSettings
from treue.tables import BackboneTables
from treue.testing import eventually

EVENT_TYPE = "treue.test.something_happened.v1"
# The stand-in read model that conftest creates.
effects = table("effects", column("id"), column("subject"), column("value"))


def event(subject: str, value: str, event_id: uuid.UUID | None = None) -> CloudEvent:
    return CloudEvent(
        id=event_id or uuid.uuid4(),
        source="test",
        type=EVENT_TYPE,
        subject=subject,
        data={"value": value},
    )


def record(
    offset: int, value: bytes, headers: list[tuple[str, bytes]]
) -> ConsumerRecord[bytes, bytes]:
    return ConsumerRecord(
        topic="t",
        partition=0,
        offset=offset,
        timestamp=0,
        timestamp_type=0,
        key=b"k",
        value=value,
        checksum=None,
        serialized_key_size=1,
        serialized_value_size=len(value),
        headers=headers,
    )


def as_record(offset: int, cloud_event: CloudEvent) -> ConsumerRecord[bytes, bytes]:
    return record(offset, cloud_event.kafka_value(), cloud_event.kafka_headers())


async def record_effect(session: AsyncSession, cloud_event: CloudEvent) -> None:
    if cloud_event.data["value"] == "poison":
        raise ValueError("this event cannot be handled")
    await session.execute(
        effects.insert().values(subject=cloud_event.subject, value=cloud_event.data["value"])
    )


async def count(session_factory: async_sessionmaker[AsyncSession], table: Any) -> int:
    async with session_factory() as session:
        return int(await session.scalar(select(func.count()).select_from(table)) or 0)


async def values(session_factory: async_sessionmaker[AsyncSession]) -> list[str]:
    async with session_factory() as session:
        return list(await session.scalars(select(effects.c.value).order_by(effects.c.id)))


def processor(
    session_factory: async_sessionmaker[AsyncSession], tables: BackboneTables
) -> InboxProcessor:
    return InboxProcessor(session_factory, tables, {EVENT_TYPE: record_effect})


async def test_an_event_seen_before_changes_nothing(
    session_factory: async_sessionmaker[AsyncSession], tables: BackboneTables
) -> None:
    first, second = event("c1", "one"), event("c1", "two")
    inbox = processor(session_factory, tables)

    await inbox.process([parse(as_record(0, first)), parse(as_record(1, second))])
    await inbox.process([parse(as_record(0, first)), parse(as_record(1, second))])
    await inbox.process([parse(as_record(2, first)), parse(as_record(3, first))])

    assert await values(session_factory) == ["one", "two"]
    assert await count(session_factory, tables.inbox) == 2


async def test_a_malformed_record_is_dead_lettered_and_the_rest_of_the_batch_handled(
    session_factory: async_sessionmaker[AsyncSession], tables: BackboneTables
) -> None:
    before, after = event("c1", "before"), event("c1", "after")
    garbage = record(1, b"{not json", before.kafka_headers())

    await processor(session_factory, tables).process(
        [parse(as_record(0, before)), parse(garbage), parse(as_record(2, after))]
    )

    assert await values(session_factory) == ["before", "after"]
    async with session_factory() as session:
        letters = (await session.execute(select(tables.dead_letters))).all()
    assert [(row.offset, "not JSON" in row.error) for row in letters] == [(1, True)]


async def test_a_poison_event_is_dead_lettered_alone_and_skipped_when_replayed(
    session_factory: async_sessionmaker[AsyncSession], tables: BackboneTables
) -> None:
    events = [event("c1", "a"), event("c2", "poison"), event("c1", "b")]
    batch = [parse(as_record(i, e)) for i, e in enumerate(events)]
    inbox = processor(session_factory, tables)

    await inbox.process(batch)
    await inbox.process(batch)

    assert await values(session_factory) == ["a", "b"]
    async with session_factory() as session:
        letters = (await session.execute(select(tables.dead_letters))).all()
    assert len(letters) == 1
    assert letters[0].event_id == str(events[1].id)
    assert "this event cannot be handled" in letters[0].error


async def test_a_large_batch_isolates_its_poison_events_in_few_transactions(
    session_factory: async_sessionmaker[AsyncSession], tables: BackboneTables
) -> None:
    values_sent = ["poison" if i in (137, 801) else f"v{i}" for i in range(1000)]
    batch = [parse(as_record(i, event(f"c{i % 7}", value))) for i, value in enumerate(values_sent)]
    transactions = 0

    def counting_factory() -> AsyncSession:
        nonlocal transactions
        transactions += 1
        return session_factory()

    await InboxProcessor(counting_factory, tables, {EVENT_TYPE: record_effect}).process(batch)  # type: ignore[arg-type]

    assert await values(session_factory) == [v for v in values_sent if v != "poison"]
    assert await count(session_factory, tables.dead_letters) == 2
    # Halving finds two poison events among 1000 in O(log n) transactions; one by one took 1000.
    assert transactions < 80


async def test_the_consumer_handles_every_event_once_even_when_killed_mid_batch(
    session_factory: async_sessionmaker[AsyncSession],
    tables: BackboneTables,
    settings: ServiceSettings,
    topic: str,
) -> None:
    produced = [event(f"c{i % 5}", f"v{i}") for i in range(400)]
    producer = AIOKafkaProducer(
        bootstrap_servers=settings.kafka_bootstrap_servers, enable_idempotence=True
    )
    await producer.start()
    try:
        for e in produced:
            await producer.send(
                topic, e.kafka_value(), key=e.kafka_key(), headers=e.kafka_headers()
            )
        await producer.flush()
    finally:
        await producer.stop()

    halfway = asyncio.Event()
    handled = 0

    async def slow_handler(session: AsyncSession, cloud_event: CloudEvent) -> None:
        nonlocal handled
        handled += 1
        if handled == 150:
            halfway.set()
            await asyncio.sleep(3600)  # killed here, inside an open batch transaction
        await record_effect(session, cloud_event)

    killed = EventConsumer(
        settings,
        InboxProcessor(session_factory, tables, {EVENT_TYPE: slow_handler}),
        [topic],
        group_id=settings.consumer_group,
    )
    task = asyncio.create_task(killed.run())
    await asyncio.wait_for(halfway.wait(), timeout=60)
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await task

    restarted = EventConsumer(
        settings, processor(session_factory, tables), [topic], settings.service_name
    )
    task = asyncio.create_task(restarted.run())
    try:
        await eventually(
            lambda: _has(session_factory, len(produced)), timeout=60, message="all handled"
        )
        await asyncio.sleep(1)  # nothing more may arrive
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task

    stored = await values(session_factory)
    assert sorted(stored) == sorted(e.data["value"] for e in produced)
    for subject in {e.subject for e in produced}:
        in_order = [e.data["value"] for e in produced if e.subject == subject]
        assert [v for v in stored if v in set(in_order)] == in_order


async def _has(session_factory: async_sessionmaker[AsyncSession], expected: int) -> bool:
    return await count(session_factory, effects) >= expected


async def test_a_batch_handler_gets_each_run_of_new_events_in_order(
    session_factory: async_sessionmaker[AsyncSession], tables: BackboneTables
) -> None:
    runs: list[list[str]] = []
    other: list[str] = []

    async def take_run(session: AsyncSession, events: list[CloudEvent]) -> None:
        runs.append([e.data["value"] for e in events])

    async def take_one(session: AsyncSession, cloud_event: CloudEvent) -> None:
        other.append(cloud_event.data["value"])

    seen = event("c1", "seen")
    other_type = dataclasses.replace(event("c1", "x"), type="treue.test.other.v1")
    inbox = InboxProcessor(
        session_factory,
        tables,
        {EVENT_TYPE: BatchHandler(take_run), "treue.test.other.v1": take_one},
    )
    await inbox.process([parse(as_record(0, seen))])
    runs.clear()

    batch = [event("c1", "a"), seen, event("c2", "b"), other_type, event("c1", "c")]
    await inbox.process([parse(as_record(i + 1, e)) for i, e in enumerate(batch)])

    assert runs == [["a", "b"], ["c"]]
    assert other == ["x"]


async def test_a_batch_handler_of_several_types_gets_them_mixed_in_one_run(
    session_factory: async_sessionmaker[AsyncSession], tables: BackboneTables
) -> None:
    """Created and updated events of one handler alternate in a real batch: a run per type
    would be a run per event."""
    runs: list[list[str]] = []

    async def take_run(session: AsyncSession, events: list[CloudEvent]) -> None:
        runs.append([e.data["value"] for e in events])

    changed = "treue.test.changed.v1"
    both = BatchHandler(take_run)
    inbox = InboxProcessor(session_factory, tables, {EVENT_TYPE: both, changed: both})

    batch = [
        event("c1", "a"),
        dataclasses.replace(event("c1", "b"), type=changed),
        event("c2", "c"),
        dataclasses.replace(event("c2", "d"), type=changed),
    ]
    await inbox.process([parse(as_record(i, e)) for i, e in enumerate(batch)])

    assert runs == [["a", "b", "c", "d"]]
