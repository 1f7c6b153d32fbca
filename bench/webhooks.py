"""Webhook deliveries: latency from a Kafka event to the subscriber, and deliveries per second.

Runs the gateway's real code on a scratch database and scratch topics: the EventConsumer with
the webhook dispatcher (inbox handler), and the DeliveryWorker with its WebhookSender (pooled
aiohttp) posting signed requests to a local receiver (webhook_receiver.py, in its own
process, answering 200).

- Latency: nps.detractor events produced to Kafka at `--rate` per second for `--seconds`;
  the receiver measures, per request, its arrival time minus the event's time (the body's
  `timestamp`, set when the event was produced). Goal: p95 < 1 s.
- Throughput: `--deliveries` deliveries queued at once (a backlog), drained by the worker;
  deliveries per second from the first claim to the last recorded attempt. Goal: >= 500/s.

    .venv/bin/python bench/webhooks.py [--rate 50] [--seconds 20] [--deliveries 20000]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import aiohttp
import httpx
import orjson
from benchlib import (
    DEFAULT_KAFKA,
    DEFAULT_SERVER_URL,
    CpuSample,
    Progress,
    create_tables,
    run,
    scratch_database,
    scratch_topic,
    verdict,
)
from sqlalchemy import func, select, text

from gateway.adapters.orm import backbone, metadata, start_mappers, webhook_deliveries
from gateway.adapters.webhook_http import UrlGuard, WebhookSender
from gateway.adapters.webhook_repository import WebhookRepository
from gateway.domain.webhooks import Endpoint, generate_secret
from gateway.service_layer.delivery_worker import DeliveryWorker
from gateway.service_layer.webhooks import EVENT_HANDLERS
from gateway.settings import GatewaySettings
from treue.db import make_engine, make_session_factory
from treue.events.contracts import NpsDetractorV1
from treue.events.envelope import CloudEvent
from treue.inbox import EventConsumer, InboxProcessor
from treue.kafka import make_producer
from treue.testing import eventually, free_port

GOAL_P95_SECONDS = 1.0
GOAL_DELIVERIES_PER_SECOND = 500
DATABASE = "treue_bench_webhooks"


@dataclass(frozen=True)
class RunningReceiver:
    base: str
    pid: int
    server: str

    def cpu_seconds(self) -> float:
        """CPU the receiver's process has used so far (user + system)."""
        fields = Path(f"/proc/{self.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@contextlib.contextmanager
def receiver_process(port: int, server: str = "raw") -> Iterator[RunningReceiver]:
    """The receiver (webhook_receiver.py) in its own process, until the block ends."""
    command = [
        sys.executable,
        str(Path(__file__).with_name("webhook_receiver.py")),
        str(port),
        "--server",
        server,
    ]
    process = subprocess.Popen(command, env={**os.environ, "PYTHONUNBUFFERED": "1"})
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                httpx.get(f"http://127.0.0.1:{port}/reset", timeout=1)
                break
            except httpx.HTTPError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)
        yield RunningReceiver(f"http://127.0.0.1:{port}", process.pid, server)
    finally:
        process.terminate()
        process.wait(timeout=10)


async def stats(client: httpx.AsyncClient, base: str) -> list[float]:
    received: list[float] = (await client.get(f"{base}/stats")).json()["latencies"]
    return received


# --- the measurements ---------------------------------------------------------------------


async def subscribe(session_factory: Any, url: str) -> uuid.UUID:
    now = datetime.now(UTC)
    endpoint = Endpoint(
        id=uuid.uuid4(),
        url=url,
        event_types=["nps.detractor"],
        description="bench",
        enabled=True,
        secret=generate_secret(),
        created_by=None,
        created_at=now,
        updated_at=now,
    )
    async with session_factory() as session, session.begin():
        WebhookRepository(session).add(endpoint)
    return endpoint.id


def detractor() -> CloudEvent:
    contact_id = uuid.uuid4()
    contract = NpsDetractorV1(
        contact_id=contact_id,
        survey_id=uuid.uuid4(),
        response_id=uuid.uuid4(),
        score=3,
        comment="Die Lieferung kam zwei Wochen zu spät, und niemand hat sich gemeldet.",
        responded_at=datetime.now(UTC),
        feedback_case_id=uuid.uuid4(),
        due_at=datetime.now(UTC),
    )
    return CloudEvent(
        source="survey",
        type=contract.event_type,
        subject=str(contact_id),
        data=contract.model_dump(mode="json"),
    )


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(int(share * len(ordered)), len(ordered) - 1)]


async def latency(
    settings: GatewaySettings,
    session_factory: Any,
    base: str,
    topic: str,
    rate: float,
    seconds: float,
) -> None:
    processor = InboxProcessor(session_factory, backbone, dict(EVENT_HANDLERS))
    consumer = EventConsumer(settings, processor, [topic], group_id=f"bench-{uuid.uuid4().hex}")
    async with make_sender(settings) as sender:
        worker = DeliveryWorker(settings, session_factory, sender)
        tasks = [asyncio.create_task(consumer.run()), asyncio.create_task(worker.run())]
        producer = make_producer(settings)
        await producer.start()
        try:
            # Warm-up: the consumer joins its group before the clock starts.
            await _produce(producer, topic, detractor())
            async with httpx.AsyncClient() as probe:

                async def warmed_up() -> bool:
                    return bool(await stats(probe, base))

                await eventually(warmed_up, timeout=60, message="the consumer joined its group")
                await probe.get(f"{base}/reset")
                total = int(rate * seconds)
                started = time.perf_counter()
                for i in range(total):
                    # Open loop: event i leaves at start + i / rate.
                    delay = started + i / rate - time.perf_counter()
                    if delay > 0:
                        await asyncio.sleep(delay)
                    await _produce(producer, topic, detractor())
                deadline = time.monotonic() + 30
                while len(received := await stats(probe, base)) < total:
                    if time.monotonic() > deadline:
                        break
                    await asyncio.sleep(0.2)
        finally:
            await producer.stop()
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
    p50, p95, p99 = (percentile(received, s) for s in (0.5, 0.95, 0.99))
    consumed, queued = await legs(session_factory)

    def ms(values: list[float]) -> str:
        p50, p95 = percentile(values, 0.5) * 1000, percentile(values, 0.95) * 1000
        return f"p50 {p50:.0f} ms, p95 {p95:.0f} ms"

    print(
        f"  legs: event -> message written (Kafka, consumer, inbox) {ms(consumed)}; "
        f"message written -> first attempt started (NOTIFY, claim) {ms(queued)}"
    )
    print(
        f"E2E WEBHOOK LATENCY (Kafka event -> signed POST received), {len(received)}/{total} "
        f"at {rate:g}/s: p50 {p50 * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms, "
        f"p99 {p99 * 1000:.0f} ms, max {max(received) * 1000:.0f} ms "
        f"({verdict(p95, GOAL_P95_SECONDS, higher_is_better=False)}: p95 < 1 s)"
    )


async def legs(session_factory: Any) -> tuple[list[float], list[float]]:
    """Per message: its event's time to the dispatcher's transaction, and that to the
    first attempt (clocks of one machine: Python's for the event, Postgres' for the rest)."""
    query = text(
        "SELECT extract(epoch FROM m.created_at - m.occurred_at) AS consumed, "
        "extract(epoch FROM min(a.attempted_at) - m.created_at) AS queued "
        "FROM webhook_messages m JOIN webhook_deliveries d ON d.message_id = m.id "
        "JOIN webhook_attempts a ON a.delivery_id = d.id GROUP BY m.id"
    )
    async with session_factory() as session:
        rows = (await session.execute(query)).all()
    return [float(r.consumed) for r in rows], [float(r.queued) for r in rows]


async def _produce(producer: Any, topic: str, event: CloudEvent) -> None:
    await producer.send_and_wait(
        topic, event.kafka_value(), key=event.kafka_key(), headers=event.kafka_headers()
    )


def make_sender(settings: GatewaySettings) -> WebhookSender:
    """The sender deliver_webhooks() makes, loopback allowed."""
    in_flight = settings.webhook_batch_size * settings.webhook_lanes
    return WebhookSender(UrlGuard(True), settings.webhook_timeout_seconds, 2048, in_flight)


async def throughput(
    settings: GatewaySettings, session_factory: Any, receiver: RunningReceiver, count: int
) -> None:
    base = receiver.base
    endpoint_id = await subscribe(session_factory, f"{base}/hooks/throughput")
    body = orjson.dumps(
        {"type": "nps.detractor", "timestamp": datetime.now(UTC).isoformat(), "data": {}}
    ).decode()
    async with session_factory() as session, session.begin():
        repository = WebhookRepository(session)
        now = datetime.now(UTC)
        for n in range(count):
            message_id = f"msg_bench{n}"
            await repository.add_message(message_id, "nps.detractor", None, now, body)
            await repository.add_deliveries(message_id, [endpoint_id], now)
    progress = Progress("deliveries", count)
    database = settings.database_url.rsplit("/", 1)[-1]
    async with make_sender(settings) as sender:
        worker = DeliveryWorker(settings, session_factory, sender)
        cpu, receiver_cpu = CpuSample.now(database), receiver.cpu_seconds()
        started = time.perf_counter()
        task = asyncio.create_task(worker.run())
        done = 0
        try:
            while done < count:
                await asyncio.sleep(0.2)
                done = await succeeded(session_factory, endpoint_id)
                progress.update(done)
        finally:
            task.cancel()
            await asyncio.gather(task, return_exceptions=True)
        elapsed = time.perf_counter() - started
        used = CpuSample.now(database).per_event_since(cpu, done)
        received = (receiver.cpu_seconds() - receiver_cpu) / max(done, 1) * 1e6
    progress.close()
    per_second = done / elapsed
    concurrency = settings.webhook_batch_size * settings.webhook_lanes
    ceiling = await plain_posts(base, concurrency, min(count, 5000), body)
    print(f"  CPU per delivery: {used}; the receiver {received:,.0f} µs")
    print(
        f"WEBHOOK THROUGHPUT (backlog of {count:,} to a local receiver, one worker with "
        f"{settings.webhook_lanes} lanes of {settings.webhook_batch_size}): "
        f"{per_second:,.0f} deliveries/s "
        f"({verdict(per_second, GOAL_DELIVERIES_PER_SECOND)}: >= 500/s); bare aiohttp POSTs "
        f"to the same receiver at the same concurrency: {ceiling:,.0f}/s "
        f"(load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs)"
    )


async def succeeded(session_factory: Any, endpoint_id: uuid.UUID) -> int:
    async with session_factory() as session:
        query = select(func.count()).where(
            webhook_deliveries.c.endpoint_id == endpoint_id,
            webhook_deliveries.c.status == "succeeded",
        )
        return int(await session.scalar(query) or 0)


async def plain_posts(base: str, concurrency: int, count: int, body: str) -> float:
    """The ceiling of the HTTP side alone: unsigned POSTs of a bare aiohttp session, no
    database (bench/webhook_http.py compares the clients)."""
    connector = aiohttp.TCPConnector(limit=concurrency)
    async with aiohttp.ClientSession(connector=connector) as session:

        async def post() -> None:
            async with session.post(f"{base}/hooks/plain", data=body) as answer:
                await answer.read()

        started = time.perf_counter()
        for _ in range(count // concurrency):
            await asyncio.gather(*(post() for _ in range(concurrency)))
        return (count // concurrency) * concurrency / (time.perf_counter() - started)


async def main(args: argparse.Namespace) -> None:
    start_mappers()
    port = free_port()
    async with (
        scratch_database(args.server_url, DATABASE, keep=args.keep) as database_url,
        scratch_topic(args.kafka, "webhooks", keep=args.keep) as topic,
    ):
        await create_tables(database_url, metadata)
        settings = GatewaySettings(
            database_url=database_url,
            kafka_bootstrap_servers=args.kafka,
            webhooks_allow_private_urls=True,
            webhook_batch_size=args.batch_size,
            webhook_lanes=args.lanes,
        )
        engine = make_engine(settings)
        session_factory = make_session_factory(engine)
        try:
            with receiver_process(port, args.receiver) as receiver:
                base = receiver.base
                await subscribe(session_factory, f"{base}/hooks/latency")
                await latency(settings, session_factory, base, topic, args.rate, args.seconds)
                await throughput(settings, session_factory, receiver, args.deliveries)
        finally:
            await engine.dispose()


def parse() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rate", type=float, default=50, help="events per second (latency)")
    parser.add_argument("--seconds", type=float, default=20, help="how long events are sent")
    parser.add_argument("--deliveries", type=int, default=20_000, help="backlog (throughput)")
    parser.add_argument("--batch-size", type=int, default=100, help="deliveries per claim")
    parser.add_argument("--lanes", type=int, default=4, help="batches in flight at once")
    parser.add_argument(
        "--server-url", default=os.environ.get("TREUE_TEST_POSTGRES_URL", DEFAULT_SERVER_URL)
    )
    parser.add_argument(
        "--kafka", default=os.environ.get("TREUE_KAFKA_BOOTSTRAP_SERVERS", DEFAULT_KAFKA)
    )
    parser.add_argument(
        "--receiver", default="raw", choices=["raw", "uvicorn"], help="webhook_receiver.py's server"
    )
    parser.add_argument("--keep", action="store_true", help="keep the scratch database and topic")
    parser.add_argument("--loop", default="uvloop", choices=["uvloop", "asyncio"])
    return parser.parse_args()


if __name__ == "__main__":
    arguments = parse()
    run(main(arguments), loop=arguments.loop)
