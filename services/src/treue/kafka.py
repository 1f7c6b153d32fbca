"""Kafka clients with the settings Treue relies on (aiokafka's defaults are not safe)."""

from __future__ import annotations

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer

from treue.settings import ServiceSettings


def make_producer(settings: ServiceSettings) -> AIOKafkaProducer:
    # Idempotence forces acks=all and lets the broker drop duplicates of a retried batch,
    # so per-partition order survives retries.
    return AIOKafkaProducer(
        bootstrap_servers=settings.kafka_bootstrap_servers,
        client_id=f"{settings.service_name}-outbox-relay",
        enable_idempotence=True,
        acks="all",
        linger_ms=5,
        max_batch_size=1024 * 1024,
        request_timeout_ms=15_000,
    )


def make_consumer(settings: ServiceSettings, topics: list[str], group_id: str) -> AIOKafkaConsumer:
    # Offsets are committed by hand, after the inbox transaction committed.
    return AIOKafkaConsumer(
        *topics,
        bootstrap_servers=settings.kafka_bootstrap_servers,
        client_id=f"{settings.service_name}-consumer",
        group_id=group_id,
        enable_auto_commit=False,
        auto_offset_reset="earliest",
        max_poll_records=settings.consumer_batch_size,
        fetch_min_bytes=settings.consumer_fetch_min_bytes,
        fetch_max_wait_ms=settings.consumer_fetch_wait_ms,
        isolation_level="read_committed",
    )
