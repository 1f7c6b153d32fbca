"""Consumer throughput: how many events per second go through Kafka, the inbox and a handler.

Produces N contact.created events (with --kind updates, each contact's first one and then
contact.updated events that name their changed fields; with --kind orders, N order.recorded
events of two lines each; with --kind interactions or responses, N interaction.logged or
nps.response_recorded events; the last three for contacts already in the read model) to a
fresh topic the way the relay
does (key = subject, CloudEvent ce_* headers), then runs the real EventConsumer +
InboxProcessor of a scratch database with analytics-service's real handler (the upsert
into its `customers` read model) until all N are handled. Then the duplicate path: the
same topic read again by a new consumer group, so every event is skipped by the inbox.

    .venv/bin/python bench/consumer.py [--events 100000] [--batch-sizes 500]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import cProfile
import functools
import json
import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import asyncpg
import orjson
from benchlib import (
    ANALYTICS_ALEMBIC_INI,
    CONTACT_CREATED,
    DEFAULT_KAFKA,
    DEFAULT_SERVER_URL,
    SOURCE,
    TAGS,
    CpuSample,
    OutboxEvent,
    Progress,
    contact_ids,
    make_events,
    make_interaction_events,
    make_order_events,
    make_response_events,
    make_update_events,
    migrate,
    print_profile,
    rate,
    run,
    scratch_database,
    scratch_topic,
    topic_records,
    verdict,
)
from sqlalchemy import func
from sqlalchemy.dialects.postgresql import Insert, insert
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from analytics.adapters.orm import backbone, customers
from analytics.entrypoints.events import _snapshot, event_handlers
from analytics.entrypoints.runtime_settings import settings_store
from analytics.settings import AnalyticsSettings
from treue.db import make_engine, make_session_factory
from treue.events.contracts import (
    ContactCreatedV1,
    InteractionLoggedV1,
    NpsResponseRecordedV1,
    OrderRecordedV1,
)
from treue.events.envelope import CloudEvent, kafka_headers
from treue.inbox import BatchHandler, Delivery, EventConsumer, Handler, InboxProcessor
from treue.kafka import make_producer
from treue.outbox import asyncpg_dsn
from treue.service import settle_garbage_collector
from treue.settings import ServiceSettings
from treue.tables import BackboneTables

GOAL_EVENTS_PER_SECOND = 10_000

# The event types of the intake goal, by --kind.
INTAKE_TYPES = {
    "orders": OrderRecordedV1.event_type,
    "interactions": InteractionLoggedV1.event_type,
    "responses": NpsResponseRecordedV1.event_type,
}


@functools.cache
def prebuilt_upsert(keys: tuple[str, ...]) -> Insert:
    """The upsert of CustomerRepository.upsert_newer for rows with these keys, built once
    (the repository builds it anew for every event). Only the upsert: the service's handler
    may do more (at the time of writing, `refresh_value` for a customer seen first)."""
    statement = insert(customers)
    changed: dict[str, Any] = {
        key: statement.excluded[key]
        for key in keys
        if key not in ("contact_id", "became_contact_at")
    }
    changed["updated_at"] = func.now()
    return statement.on_conflict_do_update(
        index_elements=[customers.c.contact_id],
        set_=changed,
        where=customers.c.contact_version < statement.excluded.contact_version,
    )


def customer_row(event: CloudEvent) -> dict[str, Any]:
    """What analytics' handler stores for a contact.created event."""
    contact = ContactCreatedV1.model_validate(event.data)
    return {**_snapshot(contact), "became_contact_at": contact.created_at}


async def on_contact_created_prebuilt(session: AsyncSession, event: CloudEvent) -> None:
    """The upsert per event, its statement built once (proposed fix 1, bench/README.md)."""
    row = customer_row(event)
    await session.execute(prebuilt_upsert(tuple(row)), row)


class CountingProcessor(InboxProcessor):
    """The real processor; it only notes when batches start and finish."""

    def __init__(
        self,
        session_factory: async_sessionmaker[AsyncSession],
        tables: BackboneTables,
        handlers: dict[str, Handler],
    ) -> None:
        super().__init__(session_factory, tables, handlers)
        self.processed = 0
        self.batches = 0
        self.first_started: float | None = None
        self.last_finished = 0.0

    async def process(self, deliveries: Sequence[Delivery]) -> None:
        if self.first_started is None:
            self.first_started = time.perf_counter()
        await super().process(deliveries)
        self.processed += len(deliveries)
        self.batches += 1
        self.last_finished = time.perf_counter()


async def on_contacts_created_batch(session: AsyncSession, events: list[CloudEvent]) -> None:
    """The same upsert for a run of events in one executemany (asyncpg pipelines the rows;
    no multi-row VALUES, so one contact twice in a batch is fine)."""
    rows = [customer_row(event) for event in events]
    await session.execute(prebuilt_upsert(tuple(rows[0])), rows)


def make_processor(
    variant: str, session_factory: async_sessionmaker[AsyncSession]
) -> CountingProcessor:
    if variant == "analytics":
        settings = AnalyticsSettings()
        analytics = event_handlers(settings, backbone, settings_store(settings))
        return CountingProcessor(session_factory, backbone, analytics)
    if variant == "one-by-one":
        settings = AnalyticsSettings()
        one_by_one = event_handlers(settings, backbone, settings_store(settings))
        for event_type in INTAKE_TYPES.values():
            handler = one_by_one[event_type]
            if isinstance(handler, BatchHandler):
                one_by_one[event_type] = one_event_a_run(handler)
        return CountingProcessor(session_factory, backbone, one_by_one)
    if variant == "prebuilt":
        handlers: dict[str, Handler] = {CONTACT_CREATED: on_contact_created_prebuilt}
        return CountingProcessor(session_factory, backbone, handlers)
    if variant == "batched":
        batched: dict[str, Handler] = {CONTACT_CREATED: BatchHandler(on_contacts_created_batch)}
        return CountingProcessor(session_factory, backbone, batched)
    raise ValueError(f"unknown handler variant {variant}")


def one_event_a_run(handler: BatchHandler) -> Handler:
    """The batch handler called for each event alone, as before it took runs."""

    async def handle(session: AsyncSession, event: CloudEvent) -> None:
        await handler.handle(session, [event])

    return handle


VARIANTS = {
    "analytics": "analytics' real handler (today)",
    "one-by-one": "analytics' order, interaction and response handlers called per event,"
    " as before their BatchHandlers",
    "prebuilt": "the upsert only, its statement built once",
    "batched": "the upsert only, one executemany per run (an inbox BatchHandler)",
}


@dataclass
class ConsumeResult:
    label: str
    batch_size: int
    events: int
    batches: int
    seconds: float  # first batch handed to the inbox -> last batch committed in Postgres
    with_join_seconds: float  # consumer start (group join, first fetch) -> last batch
    complete: bool
    cpu: str

    @property
    def per_second(self) -> float:
        return self.events / self.seconds if self.seconds > 0 else 0.0


async def produce(settings: ServiceSettings, topic: str, events: list[OutboxEvent]) -> float:
    """Send the events as OutboxRelay.relay_batch does, 1000 at a time."""
    producer = make_producer(settings)
    await producer.start()
    progress = Progress("producing", len(events))
    started = time.perf_counter()
    try:
        for first in range(0, len(events), 1000):
            deliveries = []
            for event in events[first : first + 1000]:
                headers = kafka_headers(
                    event_id=str(event.event_id),
                    source=SOURCE,
                    event_type=event.event_type,
                    time=event.occurred_at,
                    subject=event.subject,
                )
                deliveries.append(
                    await producer.send(
                        topic, event.data, key=event.subject.encode(), headers=headers
                    )
                )
            await asyncio.gather(*deliveries)
            progress.update(first + len(deliveries))
    finally:
        progress.close()
        await producer.stop()
    return time.perf_counter() - started


async def consume(
    settings: ServiceSettings,
    processor: CountingProcessor,
    topic: str,
    total: int,
    label: str,
    deadline_seconds: float,
    database: str,
) -> ConsumeResult:
    """Run the real EventConsumer (new group) until `total` deliveries went through, with
    the garbage collector settled as a service settles it before its consumer starts."""
    settle_garbage_collector()
    consumer = EventConsumer(settings, processor, [topic], group_id=f"bench-{uuid.uuid4().hex}")
    cpu_before = CpuSample.now(database)
    progress = Progress(label.split(" (")[0], total)
    started = time.perf_counter()
    task = asyncio.create_task(consumer.run(), name="bench-consumer")
    complete = True
    try:
        deadline = started + deadline_seconds
        while processor.processed < total:
            if task.done():
                task.result()  # raises what stopped it
                raise RuntimeError("the consumer stopped")
            if time.perf_counter() > deadline:
                complete = False
                break
            progress.update(processor.processed)
            await asyncio.sleep(0.05)
    finally:
        progress.close()
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
    first = processor.first_started or started
    return ConsumeResult(
        label,
        settings.consumer_batch_size,
        processor.processed,
        processor.batches,
        processor.last_finished - first,
        processor.last_finished - started,
        complete,
        CpuSample.now(database).per_event_since(cpu_before, processor.processed),
    )


def report(result: ConsumeResult) -> None:
    average = result.events / result.batches if result.batches else 0
    partial = "" if result.complete else " [stopped at the deadline]"
    print(
        f"  {result.label}: {result.events:,} events in {result.seconds:.2f} s ="
        f" {rate(result.events, result.seconds)} ({result.batches:,} batches of"
        f" {average:,.0f} on average; {result.with_join_seconds:.2f} s with the group join)"
        f"{partial}"
    )
    print(f"    CPU: {result.cpu}")


async def check_rows(
    database_url: str,
    result: ConsumeResult,
    subjects: int,
    kind: str = "contacts",
    responses: int = 0,
) -> None:
    """Sanity: one inbox row per handled event, one customer per contact (one order per
    order event, one interaction per interaction event, one answer per response id), no
    dead letters."""
    conn = await asyncpg.connect(asyncpg_dsn(database_url))
    try:
        inbox = await conn.fetchval("SELECT count(*) FROM inbox")
        customers = await conn.fetchval("SELECT count(*) FROM customers")
        orders = await conn.fetchval("SELECT count(*) FROM orders")
        interactions = await conn.fetchval("SELECT count(*) FROM interactions")
        answers = await conn.fetchval("SELECT count(*) FROM nps_responses")
        dead = await conn.fetchval("SELECT count(*) FROM dead_letters")
    finally:
        await conn.close()
    problems = []
    if inbox != result.events:
        problems.append(f"inbox has {inbox:,} rows, want {result.events:,}")
    if result.complete and customers != subjects:
        problems.append(f"customers has {customers:,} rows, want {subjects:,}")
    if kind == "orders" and orders != result.events:
        problems.append(f"orders has {orders:,} rows, want {result.events:,}")
    if kind == "interactions" and interactions != result.events:
        problems.append(f"interactions has {interactions:,} rows, want {result.events:,}")
    if kind == "responses" and result.complete and answers != responses:
        problems.append(f"nps_responses has {answers:,} rows, want {responses:,}")
    if dead:
        problems.append(f"{dead:,} dead letters")
    if problems:
        print(f"  !! {'; '.join(problems)}")


async def reset(database_url: str, customer_ids: list[uuid.UUID] | None = None) -> None:
    """An empty read model; with customer_ids, those customers in it (for order events)."""
    conn = await asyncpg.connect(asyncpg_dsn(database_url))
    try:
        await conn.execute(
            "TRUNCATE inbox, customers, orders, order_lines, revenue_hours, customer_hours,"
            " customer_risks, customer_figures, dead_letters, segment_members, outbox,"
            " interactions, nps_responses"
            " RESTART IDENTITY"
        )
        if customer_ids:
            await conn.execute(
                "INSERT INTO customers (contact_id, contact_version, first_name, last_name,"
                " language, lifecycle_stage, became_contact_at)"
                " SELECT id, 1, 'Kundin', left(id::text, 8), 'de', 'customer', now()"
                " FROM unnest($1::uuid[]) AS id",
                customer_ids,
            )
        await conn.execute("VACUUM ANALYZE")
    finally:
        await conn.close()


async def add_segments(database_url: str, count: int) -> None:
    """Saved segments over the events' tags and stages: each contact run re-evaluates its
    customers against every one (a statement per segment), and their moves go to the
    outbox."""
    conn = await asyncpg.connect(asyncpg_dsn(database_url))
    try:
        for i in range(count):
            filters = {"tags": [TAGS[i % len(TAGS)]], "lifecycle_stage": ["customer"]}
            await conn.execute(
                "INSERT INTO segments (id, name, filters, created_at, updated_at)"
                " VALUES ($1, $2, $3::jsonb, now(), now())",
                uuid.uuid4(),
                f"bench segment {i}",
                json.dumps(filters),
            )
    finally:
        await conn.close()


async def record_all_as_seen(database_url: str, topic: str, events: list[OutboxEvent]) -> None:
    """Complete the inbox (a run stopped at its deadline left some out) for the replay."""
    conn = await asyncpg.connect(asyncpg_dsn(database_url))
    try:
        await conn.execute(
            'INSERT INTO inbox (event_id, event_type, subject, topic, partition, "offset")'
            " SELECT id, $2, subject, $3, -1, -1 FROM unnest($1::uuid[], $4::text[])"
            " AS e(id, subject) ON CONFLICT (event_id) DO NOTHING",
            [e.event_id for e in events],
            events[0].event_type,
            topic,
            [e.subject for e in events],
        )
        await conn.execute("VACUUM ANALYZE inbox")
    finally:
        await conn.close()


async def main(args: argparse.Namespace) -> list[ConsumeResult]:
    if args.kind in INTAKE_TYPES:
        print(
            f"generating {args.events:,} {INTAKE_TYPES[args.kind]} events over"
            f" {args.subjects:,} contacts"
        )
        makers = {
            "orders": make_order_events,
            "interactions": make_interaction_events,
            "responses": make_response_events,
        }
        events = makers[args.kind](args.events, args.subjects)
        customer_ids: list[uuid.UUID] | None = contact_ids(args.subjects)
        subjects = args.subjects
        if args.handlers == list(VARIANTS):
            # Before and after the BatchHandler, in one run.
            args.handlers = ["one-by-one", "analytics"]
    elif args.kind == "updates":
        print(
            f"generating {args.events:,} contact events over {args.subjects:,} contacts:"
            f" created, then updated ({args.tag_share:.0%} of the updates change the tags)"
        )
        events = make_update_events(args.events, args.subjects, tag_share=args.tag_share)
        if args.handlers == list(VARIANTS):
            args.handlers = ["analytics"]  # the bench-only variants handle contact.created
        customer_ids = None
        subjects = len({e.subject for e in events})
    else:
        print(f"generating {args.events:,} contact.created events over {args.subjects:,} contacts")
        events = make_events(args.events, args.subjects)
        customer_ids = None
        subjects = len({e.subject for e in events})
    responses = (
        len({orjson.loads(e.data)["response_id"] for e in events})
        if args.kind == "responses"
        else 0
    )
    results: list[ConsumeResult] = []
    async with (
        scratch_database(args.server_url, args.database, keep=args.keep) as database_url,
        scratch_topic(args.kafka, "consumer", args.partitions, keep=args.keep) as topic,
    ):
        await migrate(database_url, ANALYTICS_ALEMBIC_INI)
        if args.segments:
            await add_segments(database_url, args.segments)
            print(f"{args.segments} saved segments (tag and lifecycle stage filters)")
        print(f"scratch database {args.database}, topic {topic} ({args.partitions} partitions)")
        settings = ServiceSettings(
            service_name="bench",
            database_url=database_url,
            kafka_bootstrap_servers=args.kafka,
            consumer_batch_size=args.batch_size,
        )
        seconds = await produce(settings, topic, events)
        in_topic = await topic_records(args.kafka, topic, args.partitions)
        print(f"  produced {in_topic:,} records in {seconds:.1f} s ({rate(in_topic, seconds)})")
        print(f"consuming with consumer_batch_size {args.batch_size}")
        engine = make_engine(settings)
        session_factory = make_session_factory(engine)
        try:
            for variant in args.handlers:
                await reset(database_url, customer_ids)
                processor = make_processor(variant, session_factory)
                profile = cProfile.Profile() if args.profile else None
                if profile is not None:
                    profile.enable()
                label = f"{variant} ({VARIANTS[variant]})"
                result = await consume(
                    settings, processor, topic, len(events), label, args.deadline, args.database
                )
                if profile is not None:
                    profile.disable()
                    print_profile(profile)
                report(result)
                await check_rows(database_url, result, subjects, args.kind, responses)
                results.append(result)
            if not args.skip_duplicates:
                await record_all_as_seen(database_url, topic, events)
                processor = make_processor("analytics", session_factory)
                label = "duplicates (every event already in the inbox; new consumer group)"
                duplicates = await consume(
                    settings, processor, topic, len(events), label, args.deadline, args.database
                )
                report(duplicates)
                results.append(duplicates)
        finally:
            await engine.dispose()
    print()
    for result in results:
        name = result.label.split(" (")[0]
        if name == "duplicates":
            print(f"CONSUMER duplicate path: {result.per_second:,.0f} events/s (all skipped)")
            print(f"    {result.cpu}")
        else:
            print(
                f"CONSUMER {name}: {result.per_second:,.0f} events/s through inbox + handler"
                f" (goal >= {GOAL_EVENTS_PER_SECOND:,}/s:"
                f" {verdict(result.per_second, GOAL_EVENTS_PER_SECOND)})"
            )
            print(f"    {result.cpu}")
    return results


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--subjects", type=int, default=10_000, help="distinct contact ids")
    parser.add_argument(
        "--kind",
        choices=["contacts", "updates", *INTAKE_TYPES],
        default="contacts",
        help="contact.created events; each contact's first contact.created and then"
        " contact.updated events (analytics' real handler only); or order.recorded,"
        " interaction.logged or nps.response_recorded events (analytics' real handler and"
        " one-by-one)",
    )
    parser.add_argument(
        "--tag-share",
        type=float,
        default=0.1,
        help="with --kind updates: the share of updates that change the tags (the others"
        " change the e-mail and company, which no saved segment reads)",
    )
    parser.add_argument(
        "--handlers",
        type=lambda text: [part for part in text.split(",") if part],
        default=list(VARIANTS),
        help="comma-separated, each a fresh run: "
        + "; ".join(f"{name}: {what}" for name, what in VARIANTS.items()),
    )
    parser.add_argument(
        "--batch-size",
        type=int,
        default=ServiceSettings.model_fields["consumer_batch_size"].default,
        help="consumer_batch_size (default: the settings' default)",
    )
    parser.add_argument("--partitions", type=int, default=12)
    parser.add_argument("--server-url", default=DEFAULT_SERVER_URL)
    parser.add_argument("--database", default="treue_bench_consumer")
    parser.add_argument("--kafka", default=DEFAULT_KAFKA)
    parser.add_argument(
        "--deadline",
        type=float,
        default=90,
        help="seconds per run; a slower run stops there and reports its rate so far",
    )
    parser.add_argument(
        "--segments", type=int, default=0, help="saved segments the contact runs re-evaluate"
    )
    parser.add_argument("--skip-duplicates", action="store_true")
    parser.add_argument("--profile", action="store_true", help="cProfile each run")
    parser.add_argument("--keep", action="store_true", help="keep the database and topic")
    parser.add_argument("--loop", choices=["uvloop", "asyncio"], default="uvloop")
    return parser.parse_args()


if __name__ == "__main__":
    arguments = parse_args()
    if unknown := set(arguments.handlers) - set(VARIANTS):
        raise SystemExit(f"unknown handlers: {', '.join(sorted(unknown))}")
    run(main(arguments), loop=arguments.loop)
