"""Kafka consumer with an idempotent inbox and a dead-letter table.

A polled batch is handled in one transaction: its event ids go into the inbox in bulk
(ON CONFLICT DO NOTHING RETURNING tells which are new), the handlers of the new ones run
in partition order, and offsets are committed only after the transaction committed: at
most once a `consumer_commit_seconds` while events flow, and at once when they pause or the
consumer stops. A crash between the two re-reads a few batches, which the inbox skips. When
the batch fails, it is split in halves until the poison event stands alone, which is
retried once and then dead-lettered: one bad event among thousands costs a few dozen
transactions, not one per event. When the database itself is unreachable, nothing is
dead-lettered and the batch is read again.
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import itertools
import time
import uuid
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any

import structlog
from aiokafka import AIOKafkaConsumer, ConsumerRecord, TopicPartition
from aiokafka.errors import CommitFailedError, KafkaError
from sqlalchemy import ARRAY, Table, bindparam, func, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlalchemy.sql.dml import ReturningInsert

from treue.events.envelope import CloudEvent, MalformedEvent
from treue.kafka import make_consumer
from treue.observability import CONSUMER_LAG, EVENTS_DUPLICATE, EVENTS_FAILED, EVENTS_HANDLED
from treue.settings import ServiceSettings
from treue.tables import BackboneTables

EventHandler = Callable[[AsyncSession, CloudEvent], Awaitable[None]]


@dataclass(frozen=True)
class BatchHandler:
    """Takes each run of consecutive new events it handles (of any of the types it is
    registered for) in one call, so a handler can write a polled batch in a few statements
    instead of one round trip per event. Runs keep partition order; a handler must apply a
    run as if its events came one by one."""

    handle: Callable[[AsyncSession, list[CloudEvent]], Awaitable[None]]


Handler = EventHandler | BatchHandler
Batches = dict[TopicPartition, list[ConsumerRecord[bytes, bytes]]]
log = structlog.get_logger("treue.inbox")


@dataclass(frozen=True)
class Delivery:
    record: ConsumerRecord[bytes, bytes]
    event: CloudEvent | None
    problem: str | None


def parse(record: ConsumerRecord[bytes, bytes]) -> Delivery:
    try:
        return Delivery(record, CloudEvent.from_kafka(record.headers, record.value), None)
    except MalformedEvent as error:
        return Delivery(record, None, str(error))


def _record_in_inbox_statement(inbox: Table) -> ReturningInsert[tuple[uuid.UUID]]:
    """One INSERT … SELECT FROM unnest(arrays) for a whole batch: one parameter per column
    instead of one per value, so the cost per event is Postgres' work, not the driver's.
    ON CONFLICT … RETURNING tells which events are new."""
    columns = ["event_id", "event_type", "subject", "topic", "partition", "offset"]
    arrays = (
        func.unnest(*(bindparam(name, type_=ARRAY(inbox.c[name].type)) for name in columns))
        .table_valued(*columns)
        .render_derived("batch")
    )
    return (
        insert(inbox)
        .from_select(columns, select(*(arrays.c[name] for name in columns)))
        .on_conflict_do_nothing(index_elements=[inbox.c.event_id])
        .returning(inbox.c.event_id)
    )


class InboxProcessor:
    """Applies batches of deliveries to the database exactly once in effect."""

    def __init__(
        self,
        session_factory: async_sessionmaker[AsyncSession],
        tables: BackboneTables,
        handlers: dict[str, Handler],
    ) -> None:
        self.session_factory = session_factory
        self.tables = tables
        self.handlers = handlers
        self._record_statement = _record_in_inbox_statement(tables.inbox)

    async def process(self, deliveries: Sequence[Delivery]) -> None:
        try:
            async with self.session_factory() as session, session.begin():
                await self._apply(session, deliveries)
        except Exception:
            if not await self._database_reachable():
                raise
            if len(deliveries) == 1:
                await self._process_alone(deliveries[0])
                return
            log.warning(
                "batch failed; splitting it to isolate the failing events", size=len(deliveries)
            )
            # The halves run in order, so every partition still sees its events in order.
            middle = len(deliveries) // 2
            await self.process(deliveries[:middle])
            await self.process(deliveries[middle:])

    async def _process_alone(self, delivery: Delivery) -> None:
        try:
            async with self.session_factory() as session, session.begin():
                await self._apply(session, [delivery])
        except Exception as error:
            if not await self._database_reachable():
                raise
            await self._dead_letter(delivery, f"{type(error).__name__}: {error}")

    async def _apply(self, session: AsyncSession, deliveries: Sequence[Delivery]) -> None:
        relevant = [d for d in deliveries if d.event is not None and d.event.type in self.handlers]
        for delivery in deliveries:
            if delivery.problem is not None:
                await self._insert_dead_letter(session, delivery, delivery.problem)
        if not relevant:
            return
        new_ids = await self._record_in_inbox(session, relevant)
        fresh: list[CloudEvent] = []
        for delivery in relevant:
            event = delivery.event
            assert event is not None
            if event.id in new_ids:
                new_ids.discard(event.id)
                fresh.append(event)
            else:
                EVENTS_DUPLICATE.labels(event.type).inc()
        # Runs by handler, not by type: a handler of several types (contact created and
        # updated) takes a batch that mixes them in one run instead of a run per switch.
        for handler, run in itertools.groupby(fresh, key=lambda event: self.handlers[event.type]):
            events = list(run)
            if isinstance(handler, BatchHandler):
                await handler.handle(session, events)
            else:
                for event in events:
                    await handler(session, event)
            for event_type, handled in collections.Counter(e.type for e in events).items():
                EVENTS_HANDLED.labels(event_type).inc(handled)

    async def _record_in_inbox(
        self, session: AsyncSession, deliveries: Sequence[Delivery]
    ) -> set[uuid.UUID]:
        events = [(d.record, d.event) for d in deliveries if d.event is not None]
        connection = await session.connection()
        result = await connection.execute(
            self._record_statement,
            {
                "event_id": [event.id for _, event in events],
                "event_type": [event.type for _, event in events],
                "subject": [event.subject for _, event in events],
                "topic": [record.topic for record, _ in events],
                "partition": [record.partition for record, _ in events],
                "offset": [record.offset for record, _ in events],
            },
        )
        return {row.event_id for row in result}

    async def _dead_letter(self, delivery: Delivery, error: str) -> None:
        async with self.session_factory() as session, session.begin():
            await self._insert_dead_letter(session, delivery, error)
            if delivery.event is not None:
                # Recorded as seen, so a replay skips it instead of failing again.
                await self._record_in_inbox(session, [delivery])
        EVENTS_FAILED.labels(delivery.event.type if delivery.event else "malformed").inc()
        log.error(
            "event dead-lettered",
            topic=delivery.record.topic,
            partition=delivery.record.partition,
            offset=delivery.record.offset,
            error=error,
        )

    async def _insert_dead_letter(
        self, session: AsyncSession, delivery: Delivery, error: str
    ) -> None:
        record = delivery.record
        attributes = {name: raw.decode("utf-8", "replace") for name, raw in record.headers}
        row: dict[str, Any] = {
            "topic": record.topic,
            "partition": record.partition,
            "offset": record.offset,
            "event_id": attributes.get("ce_id"),
            "event_type": attributes.get("ce_type"),
            "key": record.key,
            "headers": attributes,
            "value": record.value,
            "error": error[:4000],
        }
        await session.execute(insert(self.tables.dead_letters).values(row).on_conflict_do_nothing())

    async def _database_reachable(self) -> bool:
        try:
            async with self.session_factory() as session:
                await session.execute(select(1))
        except Exception:
            return False
        return True


class PendingOffsets:
    """The next offset of each partition whose batches are applied but not yet committed.

    Committing after every batch cost a broker round trip per batch, which at the rates of
    user writes (a batch of one or two events) was as much as the rest of the event's
    handling; the inbox makes a re-read after a crash harmless, so commits can wait."""

    def __init__(self, interval_seconds: float, clock: Callable[[], float] = time.monotonic):
        self.interval_seconds = interval_seconds
        self.clock = clock
        self.offsets: dict[TopicPartition, int] = {}
        self.committed_at = clock()

    def add(self, batches: Batches) -> None:
        for tp, records in batches.items():
            self.offsets[tp] = max(self.offsets.get(tp, 0), records[-1].offset + 1)

    def due(self, *, idle: bool) -> bool:
        """Something to commit, and the stream paused or the interval has passed."""
        return bool(self.offsets) and (
            idle or self.clock() - self.committed_at >= self.interval_seconds
        )

    def take(self) -> dict[TopicPartition, int]:
        taken, self.offsets = self.offsets, {}
        self.committed_at = self.clock()
        return taken


class EventConsumer:
    """Polls Kafka in batches and hands them to the inbox; runs until cancelled."""

    def __init__(
        self,
        settings: ServiceSettings,
        processor: InboxProcessor,
        topics: list[str],
        group_id: str,
    ) -> None:
        self.settings = settings
        self.processor = processor
        self.topics = topics
        self.group_id = group_id

    async def run(self) -> None:
        while True:
            consumer = make_consumer(self.settings, self.topics, self.group_id)
            try:
                await consumer.start()
                await self._consume(consumer)
            except asyncio.CancelledError:
                raise
            except Exception as error:
                log.warning("consumer failed; restarting", error=str(error))
                await asyncio.sleep(1.0)
            finally:
                with contextlib.suppress(Exception):
                    await asyncio.shield(consumer.stop())

    async def _consume(self, consumer: AIOKafkaConsumer) -> None:
        """Fetches and parses the next batch while the previous one is in the database, so
        the Python work of one overlaps the Postgres work of the other; batches are still
        applied and committed strictly one after the other, in order."""
        pending = PendingOffsets(self.settings.consumer_commit_seconds)
        in_flight: asyncio.Task[bool] | None = None
        in_flight_batches: Batches = {}
        try:
            while True:
                batches = await consumer.getmany(
                    timeout_ms=500, max_records=self.settings.consumer_batch_size
                )
                deliveries = [parse(record) for records in batches.values() for record in records]
                if in_flight is not None:
                    applied = await in_flight
                    in_flight = None
                    if not applied:
                        # The database was unreachable: read both batches again, from where
                        # each partition's unapplied records start.
                        _rewind(consumer, {**batches, **in_flight_batches})
                        await asyncio.sleep(1.0)
                        continue
                if batches:
                    in_flight_batches = batches
                    in_flight = asyncio.create_task(
                        self._apply_and_commit(consumer, batches, deliveries, pending)
                    )
                elif pending.due(idle=True):
                    await self._commit(consumer, pending.take())
        finally:
            if in_flight is not None:
                in_flight.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await in_flight
            if pending.offsets:
                # A clean stop commits what was applied, so the next owner starts after it.
                with contextlib.suppress(Exception):
                    await asyncio.wait_for(self._commit(consumer, pending.take()), timeout=5)

    async def _apply_and_commit(
        self,
        consumer: AIOKafkaConsumer,
        batches: Batches,
        deliveries: list[Delivery],
        pending: PendingOffsets,
    ) -> bool:
        try:
            await self.processor.process(deliveries)
        except Exception as error:
            log.warning("database unavailable; reading the batch again", error=str(error))
            return False
        pending.add(batches)
        if pending.due(idle=False):
            await self._commit(consumer, pending.take())
        return True

    async def _commit(self, consumer: AIOKafkaConsumer, offsets: dict[TopicPartition, int]) -> None:
        try:
            await consumer.commit(offsets)
        except (CommitFailedError, KafkaError) as error:
            # The partitions moved to another replica; it re-reads them and the inbox
            # skips what this one already handled.
            log.warning("offset commit failed", error=str(error))
        for tp, offset in offsets.items():
            highwater = consumer.highwater(tp)
            if highwater is not None:
                CONSUMER_LAG.labels(tp.topic, str(tp.partition)).set(max(highwater - offset, 0))


def _rewind(consumer: AIOKafkaConsumer, batches: Batches) -> None:
    for tp, records in batches.items():
        consumer.seek(tp, records[0].offset)
