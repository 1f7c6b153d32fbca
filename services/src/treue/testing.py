"""Helpers for the services' own tests: a real, migrated Postgres database per test suite.

Shipped in the package so every service's tests set up the same way; nothing here runs in
a service process.
"""

from __future__ import annotations

import asyncio
import os
import socket
import threading
import time
from collections.abc import Awaitable, Callable, Sequence
from pathlib import Path

import asyncpg
from aiokafka import AIOKafkaConsumer, ConsumerRecord
from alembic import command
from alembic.config import Config
from sqlalchemy.engine import make_url

from treue.identity import INTERNAL_TOKEN_HEADER, Identity, issue_internal_token
from treue.outbox import asyncpg_dsn
from treue.settings import ServiceSettings

TEST_POSTGRES = os.environ.get(
    "TREUE_TEST_POSTGRES_URL", "postgresql+asyncpg://treue:treue@127.0.0.1:5433/postgres"
)
# Lets several checkouts (or engineers) run the suites at once on one Postgres.
TEST_DATABASE_SUFFIX = os.environ.get("TREUE_TEST_DB_SUFFIX", "")
ADMIN = Identity(subject="test-admin", kind="user", role="admin", name="Test Admin")


def free_port() -> int:
    """A TCP port on 127.0.0.1 that was free a moment ago (for a server a test starts)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_database_url(name: str) -> str:
    database = name + TEST_DATABASE_SUFFIX
    return make_url(TEST_POSTGRES).set(database=database).render_as_string(hide_password=False)


def _run_in_thread(work: Callable[[], None]) -> None:
    """Alembic's env.py calls asyncio.run, which must not run inside the test's event loop."""
    errors: list[BaseException] = []

    def target() -> None:
        try:
            work()
        except BaseException as error:
            errors.append(error)

    thread = threading.Thread(target=target)
    thread.start()
    thread.join()
    if errors:
        raise errors[0]


def create_migrated_database(name: str, alembic_ini: Path) -> str:
    """Drop and recreate database `name`, run the service's migrations, return its URL."""
    url = test_database_url(name)
    database = make_url(url).database

    async def recreate() -> None:
        conn = await asyncpg.connect(asyncpg_dsn(TEST_POSTGRES))
        try:
            await conn.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
            await conn.execute(f'CREATE DATABASE "{database}"')
        finally:
            await conn.close()

    def migrate() -> None:
        asyncio.run(recreate())
        config = Config(str(alembic_ini))
        config.set_main_option("sqlalchemy.url", url)
        command.upgrade(config, "head")

    _run_in_thread(migrate)
    return url


async def truncate(database_url: str, tables: Sequence[str]) -> None:
    conn = await asyncpg.connect(asyncpg_dsn(database_url))
    try:
        await conn.execute(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE")
    finally:
        await conn.close()


def identity_headers(identity: Identity = ADMIN, secret: str | None = None) -> dict[str, str]:
    # The services under test read the secret from the environment, as in production. The
    # gateway's tokens live a minute; a suite's session-long client on a loaded machine
    # runs longer than that, so test tokens live an hour.
    token = issue_internal_token(
        identity, secret or ServiceSettings().internal_token_secret, ttl=3600
    )
    return {INTERNAL_TOKEN_HEADER: token}


async def eventually(
    check: Callable[[], Awaitable[bool]],
    timeout: float = 30.0,
    message: str = "",
) -> None:
    """Poll `check` until it holds; fail after `timeout` seconds (never a fixed sleep)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if await check():
            return
        await asyncio.sleep(0.1)
    raise AssertionError(f"not reached within {timeout} s: {message}")


async def read_topic(
    bootstrap: str,
    topic: str,
    expected: int,
    timeout: float = 30.0,
) -> list[ConsumerRecord[bytes, bytes]]:
    """Every record of `topic` from the start, until `expected` arrived or time ran out."""
    consumer = AIOKafkaConsumer(
        topic, bootstrap_servers=bootstrap, auto_offset_reset="earliest", group_id=None
    )
    await consumer.start()
    records: list[ConsumerRecord[bytes, bytes]] = []
    deadline = time.monotonic() + timeout
    try:
        while len(records) < expected and time.monotonic() < deadline:
            batch = await consumer.getmany(timeout_ms=500)
            for partition_records in batch.values():
                records.extend(partition_records)
    finally:
        await consumer.stop()
    return records
