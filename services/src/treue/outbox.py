"""The transactional outbox: rows written with the business change, relayed to Kafka.

One relay is active per service: it holds a Postgres session advisory lock on a dedicated
connection and does all its reads and writes on that connection, so a relay that lost its
connection (and with it the lock) can never mark a row. Rows are sent in id order, in
batches, and marked sent only after Kafka acknowledged every message of the batch.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import time
import uuid
import zlib
from dataclasses import dataclass, field
from datetime import UTC, datetime

import asyncpg
import structlog
from aiokafka import AIOKafkaProducer
from aiokafka.errors import KafkaError
from sqlalchemy import (
    ColumnElement,
    FromClause,
    Table,
    TextClause,
    func,
    insert,
    literal,
    literal_column,
    select,
    text,
)
from sqlalchemy.dialects.postgresql import UUID
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncSession
from uuid_utils.compat import uuid7

from treue.events.contracts import EventContract
from treue.events.envelope import kafka_headers
from treue.kafka import make_producer
from treue.observability import EVENTS_PUBLISHED, OUTBOX_BACKLOG
from treue.settings import ServiceSettings
from treue.tables import BackboneTables

NOTIFY_CHANNEL = "treue_outbox"
log = structlog.get_logger("treue.outbox")


@dataclass(frozen=True)
class PendingEvent:
    contract: EventContract
    subject: str | None
    topic: str


def _event_id_sql() -> ColumnElement[uuid.UUID]:
    """A UUIDv7 (RFC 9562) made by Postgres, one per row; Postgres 15 has no `uuidv7()`.
    Event ids are time-ordered so that `uq_outbox_event_id` (and the consumers' inbox)
    grow at their right edge: a random UUIDv4 key sends every insert to a random page, with
    its cache misses and page splits (at 1M entries ~9-10 µs per row against ~4 µs,
    bench/README.md). It is a random UUID whose first 48 bits become the statement's time
    in milliseconds and whose version digit becomes 7, keeping 74 random bits. The time is
    an uncorrelated subquery, computed once per statement."""
    return literal_column(
        "CAST(overlay(CAST(gen_random_uuid() AS text) PLACING ("
        "SELECT overlay(lpad(to_hex(floor(date_part('epoch', statement_timestamp()) * 1000)"
        "::bigint), 12, '0') PLACING '-' FROM 9 FOR 0) || '-7') FROM 1 FOR 15) AS uuid)",
        UUID(),
    )


@functools.cache
def _write_statement(outbox: Table) -> TextClause:
    """A unit of work's events and the relay's wake-up in one round trip, as one statement
    whatever their number: the columns go as arrays, so SQLAlchemy compiles it once. (A
    multi-row INSERT … VALUES could not be cached at all and was compiled on every write.)
    The rows are inserted in the order given, so their ids keep the events' order."""
    return text(
        f"""
        WITH inserted AS (
            INSERT INTO {outbox.fullname}
                (event_id, topic, event_type, source, subject, occurred_at, data)
            SELECT event_id, topic, event_type, source, subject, occurred_at, CAST(data AS jsonb)
            FROM unnest(CAST(:event_ids AS uuid[]), CAST(:topics AS text[]),
                        CAST(:event_types AS text[]), CAST(:sources AS text[]),
                        CAST(:subjects AS text[]), CAST(:occurred_at AS timestamptz[]),
                        CAST(:data AS text[]))
                 WITH ORDINALITY AS e(event_id, topic, event_type, source, subject,
                                      occurred_at, data, position)
            ORDER BY position
            RETURNING 1
        )
        SELECT pg_notify('{NOTIFY_CHANNEL}', '') FROM inserted LIMIT 1
        """  # noqa: S608
    )


@dataclass
class OutboxWriter:
    """Collects a unit of work's events and writes them into the outbox in its transaction."""

    tables: BackboneTables
    source: str
    pending: list[PendingEvent] = field(default_factory=list)

    def add(self, contract: EventContract, subject: str | None, topic: str) -> None:
        self.pending.append(PendingEvent(contract, subject, topic))

    async def flush(self, session: AsyncSession) -> None:
        if not self.pending:
            return
        now = datetime.now(UTC)
        events = self.pending
        await session.execute(
            _write_statement(self.tables.outbox),
            {
                "event_ids": [uuid7() for _ in events],
                "topics": [event.topic for event in events],
                "event_types": [event.contract.event_type for event in events],
                "sources": [self.source] * len(events),
                "subjects": [event.subject for event in events],
                "occurred_at": [now] * len(events),
                "data": [event.contract.model_dump_json() for event in events],
            },
        )
        self.pending.clear()


@dataclass(frozen=True)
class OutboxStream:
    """Set-based publishing: one outbox row per row of a query, in the caller's transaction,
    so a recompute over a million customers writes its events in one statement instead of
    one Python object each. The query's rows carry `subject` (text) and `data` (jsonb in
    the shape of the contract; tests validate it against the contract)."""

    outbox: Table
    source: str
    topic: str

    async def publish_from(
        self, session: AsyncSession, contract: type[EventContract], rows: FromClause
    ) -> None:
        columns = ("event_id", "topic", "event_type", "source", "subject", "occurred_at", "data")
        events = select(
            _event_id_sql(),
            literal(self.topic),
            literal(contract.event_type),
            literal(self.source),
            rows.c.subject,
            func.now(),
            rows.c.data,
        )
        await session.execute(insert(self.outbox).from_select(columns, events))
        await session.execute(func.pg_notify(NOTIFY_CHANNEL, "").select())


def advisory_lock_key(name: str) -> int:
    """A stable 32-bit key per lock name, the same in every replica."""
    return zlib.crc32(name.encode())


def asyncpg_dsn(database_url: str) -> str:
    """The plain libpq URL of a SQLAlchemy one, for connections outside the pool. The
    dialect's `ssl` option is libpq's `sslmode`."""
    url = make_url(database_url).set(drivername="postgresql")
    if "ssl" in url.query:
        url = url.difference_update_query(["ssl"]).update_query_dict({"sslmode": url.query["ssl"]})
    return url.render_as_string(hide_password=False)


class OutboxRelay:
    def __init__(self, settings: ServiceSettings, *, standby_poll_seconds: float = 2.0) -> None:
        self.settings = settings
        self.lock_key = advisory_lock_key(f"{settings.service_name}:outbox-relay")
        self.standby_poll_seconds = standby_poll_seconds
        self.is_leader = False
        self._wakeup = asyncio.Event()
        self._last_retention = 0.0
        self._last_backlog = 0.0

    async def run(self) -> None:
        """Stand by until this replica holds the lock, then relay until cancelled."""
        while True:
            try:
                await self._run_once()
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("outbox relay failed; retrying")
                await asyncio.sleep(1.0)

    async def _run_once(self) -> None:
        conn = await asyncpg.connect(asyncpg_dsn(self.settings.database_url))
        try:
            if not await conn.fetchval("SELECT pg_try_advisory_lock($1)", self.lock_key):
                await asyncio.sleep(self.standby_poll_seconds)
                return
            self.is_leader = True
            log.info("outbox relay is the leader")
            await conn.add_listener(NOTIFY_CHANNEL, lambda *_: self._wakeup.set())
            await self._lead(conn)
        finally:
            self.is_leader = False
            with contextlib.suppress(Exception):
                await asyncio.shield(conn.close(timeout=2))

    async def _lead(self, conn: asyncpg.Connection) -> None:
        """Relay while this connection lives; a broker outage only pauses, with backoff.

        Database errors propagate: the connection and with it the lock may be gone, so
        `run` reconnects and competes for leadership again.
        """
        backoff = 0.5
        while True:
            producer = make_producer(self.settings)
            try:
                await producer.start()
                backoff = 0.5
                await self._relay_forever(conn, producer)
            except KafkaError as error:
                log.warning("kafka unavailable for the outbox relay", error=str(error))
                await asyncio.sleep(backoff)
                backoff = min(backoff * 2, 10.0)
            finally:
                with contextlib.suppress(Exception):
                    await asyncio.shield(producer.stop())

    async def _relay_forever(self, conn: asyncpg.Connection, producer: AIOKafkaProducer) -> None:
        while True:
            # Cleared before the batch's SELECT, not after it: a NOTIFY that arrives while a
            # batch is in flight may be for a row that SELECT did not see, and must not be lost
            # (it would wait for the idle poll, outbox_idle_poll_seconds, instead).
            self._wakeup.clear()
            sent = await self.relay_batch(conn, producer)
            await self._housekeeping(conn)
            if sent < self.settings.outbox_batch_size:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(
                        self._wakeup.wait(), timeout=self.settings.outbox_idle_poll_seconds
                    )

    async def relay_batch(self, conn: asyncpg.Connection, producer: AIOKafkaProducer) -> int:
        rows = await conn.fetch(
            "SELECT id, event_id, topic, event_type, source, subject, occurred_at,"
            " data::text AS data FROM outbox WHERE sent_at IS NULL ORDER BY id LIMIT $1",
            self.settings.outbox_batch_size,
        )
        if not rows:
            return 0
        deliveries = []
        for row in rows:
            headers = kafka_headers(
                event_id=str(row["event_id"]),
                source=row["source"],
                event_type=row["event_type"],
                time=row["occurred_at"],
                subject=row["subject"],
            )
            key = row["subject"].encode() if row["subject"] is not None else None
            deliveries.append(
                await producer.send(row["topic"], row["data"].encode(), key=key, headers=headers)
            )
        await asyncio.gather(*deliveries)
        await conn.execute(
            "UPDATE outbox SET sent_at = now() WHERE id = ANY($1::bigint[])",
            [row["id"] for row in rows],
        )
        for row in rows:
            EVENTS_PUBLISHED.labels(row["event_type"]).inc()
        return len(rows)

    async def _housekeeping(self, conn: asyncpg.Connection) -> None:
        now = time.monotonic()
        if now - self._last_backlog > 5:
            self._last_backlog = now
            OUTBOX_BACKLOG.set(
                await conn.fetchval("SELECT count(*) FROM outbox WHERE sent_at IS NULL")
            )
        if now - self._last_retention > 300:
            self._last_retention = now
            await conn.execute(
                "DELETE FROM outbox WHERE sent_at < now() - make_interval(hours => $1)",
                self.settings.outbox_retention_hours,
            )
            await conn.execute(
                "DELETE FROM idempotency_keys WHERE created_at < now() - make_interval(hours => $1)"
                " AND (locked_until IS NULL OR locked_until < now())",
                self.settings.idempotency_retention_hours,
            )
