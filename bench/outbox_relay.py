"""Outbox relay throughput: how many events per second the relay moves from Postgres to Kafka.

Fills the outbox of a scratch database with N contact.created rows (one COPY), then drives
the real relay code path: a dedicated asyncpg connection holding the relay's advisory lock,
`make_producer`, and `OutboxRelay.relay_batch` + its housekeeping in a loop, exactly as
`OutboxRelay._relay_forever` does while there is a backlog. The clock runs from the first
batch to the last acknowledged-and-marked one; Kafka's end offsets are checked afterwards.

    .venv/bin/python bench/outbox_relay.py [--events 100000] [--batch-sizes 1000,500,5000]
"""

from __future__ import annotations

import argparse
import cProfile
import statistics
import time
from dataclasses import dataclass

import asyncpg
from benchlib import (
    CONTACT_CREATED,
    DEFAULT_KAFKA,
    DEFAULT_SERVER_URL,
    SOURCE,
    OutboxEvent,
    Progress,
    create_tables,
    make_events,
    print_profile,
    rate,
    run,
    scratch_database,
    scratch_topic,
    topic_records,
    verdict,
)

from treue.db import make_metadata
from treue.kafka import make_producer
from treue.outbox import OutboxRelay, asyncpg_dsn
from treue.settings import ServiceSettings
from treue.tables import add_backbone_tables

GOAL_EVENTS_PER_SECOND = 10_000
OUTBOX_COLUMNS = ["event_id", "topic", "event_type", "source", "subject", "occurred_at", "data"]


@dataclass
class RelayResult:
    batch_size: int
    events: int
    seconds: float
    batch_seconds: list[float]
    delivered: int

    @property
    def per_second(self) -> float:
        return self.events / self.seconds


async def fill_outbox(conn: asyncpg.Connection, topic: str, events: list[OutboxEvent]) -> float:
    """TRUNCATE and COPY the events in (ANALYZE too, as autovacuum would after a bulk load)."""
    started = time.perf_counter()
    await conn.execute("TRUNCATE outbox RESTART IDENTITY")
    await conn.copy_records_to_table(
        "outbox",
        columns=OUTBOX_COLUMNS,
        records=[
            (e.event_id, topic, CONTACT_CREATED, SOURCE, e.subject, e.occurred_at, e.data.decode())
            for e in events
        ],
    )
    await conn.execute("VACUUM ANALYZE outbox")
    return time.perf_counter() - started


async def relay_backlog(
    settings: ServiceSettings, topic: str, partitions: int, total: int, deadline_seconds: float
) -> RelayResult:
    relay = OutboxRelay(settings)
    conn = await asyncpg.connect(asyncpg_dsn(settings.database_url))
    producer = make_producer(settings)
    before = await topic_records(settings.kafka_bootstrap_servers, topic, partitions)
    progress = Progress(f"relay batch {settings.outbox_batch_size}", total)
    try:
        if not await conn.fetchval("SELECT pg_try_advisory_lock($1)", relay.lock_key):
            raise SystemExit("another relay holds the bench's advisory lock")
        await producer.start()
        # The first send of a topic waits for its metadata; fetch it before the clock runs.
        await producer.partitions_for(topic)
        batch_seconds = []
        sent_total = 0
        started = time.perf_counter()
        deadline = started + deadline_seconds
        while sent_total < total:
            batch_started = time.perf_counter()
            sent = await relay.relay_batch(conn, producer)
            await relay._housekeeping(conn)  # as _relay_forever does after every batch
            batch_seconds.append(time.perf_counter() - batch_started)
            if sent == 0:
                break
            sent_total += sent
            progress.update(sent_total)
            if time.perf_counter() > deadline:
                print(f"  deadline of {deadline_seconds:.0f} s reached; stopping early")
                break
        elapsed = time.perf_counter() - started
    finally:
        progress.close()
        await producer.stop()
        await conn.close()
    delivered = await topic_records(settings.kafka_bootstrap_servers, topic, partitions) - before
    return RelayResult(settings.outbox_batch_size, sent_total, elapsed, batch_seconds, delivered)


def report(result: RelayResult) -> None:
    batches = sorted(result.batch_seconds)
    p50 = statistics.median(batches) * 1000
    p99 = batches[min(len(batches) - 1, int(len(batches) * 0.99))] * 1000
    check = "" if result.delivered == result.events else f"  (!! Kafka got {result.delivered:,})"
    print(
        f"  batch {result.batch_size:>5}: {result.events:,} events in {result.seconds:.2f} s ="
        f" {rate(result.events, result.seconds)}; per batch p50 {p50:.1f} ms, p99 {p99:.1f} ms"
        f"{check}"
    )


async def main(args: argparse.Namespace) -> list[RelayResult]:
    print(f"generating {args.events:,} contact.created events over {args.subjects:,} contacts")
    events = make_events(args.events, args.subjects)
    average = sum(len(e.data) for e in events) / len(events)
    print(f"  average payload {average:.0f} bytes")
    metadata = make_metadata()
    add_backbone_tables(metadata)
    results = []
    async with (
        scratch_database(args.server_url, args.database, keep=args.keep) as database_url,
        scratch_topic(args.kafka, "outbox", args.partitions, keep=args.keep) as topic,
    ):
        await create_tables(database_url, metadata)
        print(f"scratch database {args.database}, topic {topic} ({args.partitions} partitions)")
        admin = await asyncpg.connect(asyncpg_dsn(database_url))
        try:
            for batch_size in args.batch_sizes:
                loaded = await fill_outbox(admin, topic, events)
                print(f"  outbox filled with {len(events):,} rows in {loaded:.1f} s")
                settings = ServiceSettings(
                    service_name="bench",
                    database_url=database_url,
                    kafka_bootstrap_servers=args.kafka,
                    outbox_batch_size=batch_size,
                )
                profile = cProfile.Profile() if args.profile else None
                if profile is not None:
                    profile.enable()
                result = await relay_backlog(
                    settings, topic, args.partitions, len(events), args.deadline
                )
                if profile is not None:
                    profile.disable()
                    print_profile(profile)
                report(result)
                results.append(result)
        finally:
            await admin.close()
    headline = results[0]
    print(
        f"\nOUTBOX RELAY: {headline.per_second:,.0f} events/s at batch size {headline.batch_size}"
        f" (goal >= {GOAL_EVENTS_PER_SECOND:,}/s: {verdict(headline.per_second, 10_000)})"
    )
    return results


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--subjects", type=int, default=10_000, help="distinct contact ids")
    parser.add_argument(
        "--batch-sizes",
        type=lambda text: [int(part) for part in text.split(",")],
        default=[1000, 500, 5000],
        help="comma-separated; the first is the headline figure (1000 is the default setting)",
    )
    parser.add_argument("--partitions", type=int, default=12)
    parser.add_argument("--server-url", default=DEFAULT_SERVER_URL)
    parser.add_argument("--database", default="treue_bench_outbox")
    parser.add_argument("--kafka", default=DEFAULT_KAFKA)
    parser.add_argument("--deadline", type=float, default=300, help="seconds per relay run")
    parser.add_argument("--profile", action="store_true", help="cProfile the relay runs")
    parser.add_argument("--keep", action="store_true", help="keep the database and topic")
    parser.add_argument("--loop", choices=["uvloop", "asyncio"], default="uvloop")
    return parser.parse_args()


if __name__ == "__main__":
    arguments = parse_args()
    run(main(arguments), loop=arguments.loop)
