"""Real Postgres and Kafka for the backbone's integration tests (`make infra` starts them)."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import ClassVar

import asyncpg
import pytest
from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from sqlalchemy import Column, Integer, String, Table
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

from treue.db import make_metadata, make_session_factory
from treue.events.contracts import EventContract
from treue.outbox import asyncpg_dsn
from treue.settings import ServiceSettings
from treue.tables import BackboneTables, add_backbone_tables
from treue.testing import TEST_POSTGRES, test_database_url
from treue.uow import UnitOfWork

DATABASE = "treue_backbone_test"
metadata = make_metadata()
backbone = add_backbone_tables(metadata)
# A stand-in read model: what a handler writes, so tests can count its effects.
effects = Table(
    "effects",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("subject", String(100), nullable=False),
    Column("value", String(100), nullable=False),
)


@pytest.fixture(scope="session")
def database_url() -> str:
    return test_database_url(DATABASE)


@pytest.fixture(scope="session")
async def engine(database_url: str) -> AsyncIterator[AsyncEngine]:
    database = make_url(database_url).database
    conn = await asyncpg.connect(asyncpg_dsn(TEST_POSTGRES))
    await conn.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
    await conn.execute(f'CREATE DATABASE "{database}"')
    await conn.close()
    engine = create_async_engine(database_url, pool_pre_ping=True)
    async with engine.begin() as connection:
        await connection.run_sync(metadata.create_all)
    yield engine
    await engine.dispose()


@pytest.fixture
async def session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    async with engine.begin() as connection:
        await connection.exec_driver_sql(
            "TRUNCATE outbox, inbox, dead_letters, jobs, effects RESTART IDENTITY"
        )
    return make_session_factory(engine)


@pytest.fixture
def tables() -> BackboneTables:
    return backbone


@pytest.fixture
async def topic(settings: ServiceSettings) -> AsyncIterator[str]:
    name = settings.topic("contacts")
    admin = AIOKafkaAdminClient(bootstrap_servers=settings.kafka_bootstrap_servers)
    await admin.start()
    try:
        await admin.create_topics([NewTopic(name, num_partitions=12, replication_factor=1)])
        yield name
        await admin.delete_topics([name])
    finally:
        await admin.close()


@pytest.fixture
def settings(database_url: str) -> ServiceSettings:
    run = uuid.uuid4().hex[:10]
    return ServiceSettings(
        service_name=f"backbone-test-{run}",
        database_url=database_url,
        topic_prefix=f"test-{run}",
        outbox_batch_size=100,
        outbox_idle_poll_seconds=0.2,
        consumer_batch_size=100,
    )


class SomethingHappenedV1(EventContract):
    event_type: ClassVar[str] = "treue.test.something_happened.v1"
    value: str


WriteEvents = Callable[[str, list[tuple[str, str]]], Awaitable[None]]


@pytest.fixture
def write_events(
    session_factory: async_sessionmaker[AsyncSession], tables: BackboneTables
) -> WriteEvents:
    """Writes each (subject, value) through a unit of work of its own, in the order given."""

    async def write(topic: str, events: list[tuple[str, str]]) -> None:
        for subject, value in events:
            async with UnitOfWork(session_factory, tables, source="test", topic=topic) as uow:
                uow.publish(SomethingHappenedV1(value=value), subject=subject)
                await uow.commit()

    return write
