"""analytics-service killed (SIGKILL) while events flow: after a restart, none lost or doubled."""

from __future__ import annotations

import asyncio
import os
import signal
import time
from collections.abc import AsyncIterator
from pathlib import Path

import asyncpg
import httpx
import pytest

from tests.support import (
    CONTACT_CREATED,
    ROOT,
    all_in_analytics,
    amake,
    assert_exactly_once,
    create_many,
    created_ids,
    gone,
    wait_for,
)

pytestmark = [pytest.mark.e2e, pytest.mark.faults]

CONTACTS = 300
RECOVERY_TIMEOUT = 120
PID_FILE = ROOT / ".run" / "analytics.pid"
BATCH_TRANSACTION_OPEN = """
    SELECT count(*) > 0 FROM pg_stat_activity
    WHERE datname = current_database() AND pid <> pg_backend_pid()
      AND state IN ('active', 'idle in transaction') AND xact_start IS NOT NULL
      AND (query ILIKE 'INSERT INTO inbox%' OR query ILIKE 'INSERT INTO customers%')
"""


def analytics_pid() -> int:
    """The uvicorn process of analytics-service, checked to be that and nothing else."""
    pid = int(PID_FILE.read_text().strip())
    command = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    assert b"analytics.main:create_app" in command, f"pid {pid} is not analytics: {command!r}"
    return pid


async def handled_since(analytics_db: asyncpg.Pool, since_seq: int) -> int:
    count: int = await analytics_db.fetchval(
        "SELECT count(*) FROM inbox WHERE seq > $1 AND event_type = $2", since_seq, CONTACT_CREATED
    )
    return count


async def in_a_batch_transaction(analytics_db: asyncpg.Pool, within: float = 10.0) -> bool:
    """Returns as soon as a consumer has an inbox transaction open (or False after `within`).

    A kill then hits the worst moment: handlers applied, nothing committed yet.
    """
    deadline = time.monotonic() + within
    async with analytics_db.acquire() as conn:
        while time.monotonic() < deadline:
            if await conn.fetchval(BATCH_TRANSACTION_OPEN):
                return True
    return False


@pytest.fixture
async def analytics_restarted() -> AsyncIterator[None]:
    try:
        yield
    finally:
        # Idempotent: starts analytics when the test left it dead, else does nothing.
        await amake("analytics-start")


async def test_a_consumer_killed_mid_stream_loses_and_doubles_nothing(
    client: httpx.AsyncClient,
    contacts_db: asyncpg.Pool,
    analytics_db: asyncpg.Pool,
    analytics_restarted: None,
) -> None:
    pid = analytics_pid()
    last_seq: int = await analytics_db.fetchval("SELECT coalesce(max(seq), 0) FROM inbox")
    creating = asyncio.create_task(create_many(client, CONTACTS, concurrency=8))

    async def flowing() -> bool:
        return creating.done() or await handled_since(analytics_db, last_seq) >= 20

    try:
        await wait_for(flowing, message="analytics handling the new contacts")
        await in_a_batch_transaction(analytics_db)
        os.kill(pid, signal.SIGKILL)
        handled_at_kill = await handled_since(analytics_db, last_seq)
        answers = await creating
    finally:
        creating.cancel()  # only matters when the test failed before the stream ended
    contact_ids = created_ids(answers)
    assert handled_at_kill < CONTACTS, "the kill came after the stream: it proves nothing"
    await wait_for(lambda: gone(pid), message=f"analytics (pid {pid}) gone after SIGKILL")

    await amake("analytics-start")
    assert analytics_pid() != pid

    await wait_for(
        lambda: all_in_analytics(analytics_db, contact_ids),
        RECOVERY_TIMEOUT,
        interval=1.0,
        message=f"all {CONTACTS} contacts in analytics after the restart",
    )
    await assert_exactly_once(contacts_db, analytics_db, contact_ids)
