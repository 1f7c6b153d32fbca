"""Kafka chores for the local stack: create Treue's topics, or prove a produce/consume round trip.

usage: kafka_admin.py topics | check   (broker from TREUE_KAFKA_BOOTSTRAP_SERVERS)
"""

import asyncio
import os
import sys
import time
import uuid

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.errors import KafkaError

BOOTSTRAP = os.environ.get("TREUE_KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:9092")
PREFIX = os.environ.get("TREUE_TOPIC_PREFIX", "treue")
TOPICS = [f"{PREFIX}.contacts", f"{PREFIX}.surveys", f"{PREFIX}.analytics"]
PARTITIONS = int(os.environ.get("TREUE_KAFKA_PARTITIONS", "12"))
REPLICATION = int(os.environ.get("TREUE_KAFKA_REPLICATION", "1"))
CHECK_TOPIC = "treue.local-check"  # never read by a service, so the check leaves no trace there
TOPIC_ALREADY_EXISTS = 36


async def connect_admin(deadline: float) -> AIOKafkaAdminClient:
    # The port opens before the broker has joined its own quorum: retry until it answers.
    while True:
        admin = AIOKafkaAdminClient(bootstrap_servers=BOOTSTRAP, request_timeout_ms=10_000)
        try:
            await admin.start()
            await admin.list_topics()
            return admin
        except KafkaError:
            await admin.close()
            if time.monotonic() > deadline:
                raise
            await asyncio.sleep(1)


async def ensure_topics(names: list[str], partitions: int) -> None:
    admin = await connect_admin(time.monotonic() + 60)
    try:
        missing = [n for n in names if n not in await admin.list_topics()]
        if missing:
            response = await admin.create_topics(
                [NewTopic(n, partitions, REPLICATION) for n in missing], timeout_ms=30_000
            )
            for name, code, *message in response.topic_errors:
                if code not in (0, TOPIC_ALREADY_EXISTS):
                    raise SystemExit(f"creating topic {name} failed: error {code} {message}")
        created = f" (created {len(missing)})" if missing else ""
        print(f"  topics ready: {', '.join(names)}{created}")
    finally:
        await admin.close()


async def round_trip() -> None:
    await ensure_topics([CHECK_TOPIC], 1)
    token = uuid.uuid4().hex.encode()
    # Same settings as the services' producers and consumers (notes/kafka-local.md).
    producer = AIOKafkaProducer(bootstrap_servers=BOOTSTRAP, enable_idempotence=True)
    await producer.start()
    try:
        sent = await producer.send_and_wait(CHECK_TOPIC, token, key=b"check")
    finally:
        await producer.stop()
    consumer = AIOKafkaConsumer(
        CHECK_TOPIC,
        bootstrap_servers=BOOTSTRAP,
        group_id="treue-local-check",
        enable_auto_commit=False,
        auto_offset_reset="earliest",
    )
    await consumer.start()
    try:
        async with asyncio.timeout(30):
            async for record in consumer:
                if record.value == token:
                    await consumer.commit()
                    break
    finally:
        await consumer.stop()
    print(f"  round trip ok: produced and consumed {CHECK_TOPIC}[{sent.partition}]@{sent.offset}")


def main() -> None:
    command = sys.argv[1] if len(sys.argv) > 1 else ""
    if command == "topics":
        asyncio.run(ensure_topics(TOPICS, PARTITIONS))
    elif command == "check":
        asyncio.run(round_trip())
    else:
        raise SystemExit(__doc__)


if __name__ == "__main__":
    main()
