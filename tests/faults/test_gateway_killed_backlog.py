"""The gateway killed (SIGKILL) in the middle of a webhook backlog loses nothing: started
again, it sends what was still queued, and what the killed process had claimed once its
lease is up.

The test restarts the gateway with webhook settings of its own (small batches to a slow
subscriber, so a backlog builds; a short timeout and lease, so the claimed deliveries are
due again within seconds) and afterwards starts it again as the stack runs it. Other
gateway replicas are stopped meanwhile, so the backlog waits for this one alone.
"""

from __future__ import annotations

import os
import signal
import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import asyncpg
import httpx
import pytest

from tests.support import (
    GATEWAY_URL,
    ROOT,
    NotYet,
    amake,
    create_many,
    created_ids,
    database_url,
    gone,
    wait_for,
)
from tests.webhooks import WebhookReceiver, assert_each_delivered, subscribe, unsubscribe

pytestmark = [pytest.mark.e2e, pytest.mark.faults]

CONTACTS = 300
RECEIVER_DELAY = 0.5  # seconds the subscriber takes for each delivery
KILL_AFTER = 60  # deliveries received before the kill
RECOVERY_TIMEOUT = 120.0
RUN = ROOT / ".run"
# 10 deliveries in flight at 0.5 s each: about 20 a second, the backlog lasts ~15 s.
DELIVERING = {
    "TREUE_GATEWAY_WEBHOOK_TIMEOUT_SECONDS": "2",
    "TREUE_GATEWAY_WEBHOOK_LEASE_SECONDS": "4",
    "TREUE_GATEWAY_WEBHOOK_BATCH_SIZE": "5",
    "TREUE_GATEWAY_WEBHOOK_LANES": "2",
    "TREUE_GATEWAY_WEBHOOK_RETRY_DELAYS_SECONDS": "[1, 1, 2, 4, 8]",
}
# While the contacts are created the dispatcher queues their deliveries and nothing sends
# them: the whole backlog is there when delivering starts, however fast this machine is.
QUEUEING = {**DELIVERING, "TREUE_GATEWAY_WEBHOOK_LANES": "0"}


def gateway_pid() -> int:
    """The uvicorn process of the first gateway, checked to be that and nothing else."""
    pid = int((RUN / "gateway.pid").read_text().strip())
    command = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    assert b"gateway.main:create_app" in command, f"pid {pid} is not the gateway: {command!r}"
    return pid


def other_gateways() -> list[int]:
    """The replica numbers of the running gateways besides the first."""
    return sorted(int(f.stem.rsplit("-", 1)[1]) for f in RUN.glob("gateway-*.pid"))


async def restart_gateway(env: dict[str, str]) -> None:
    await amake("gateway-stop")
    await amake("gateway-start", env=env)


@pytest.fixture
async def one_gateway() -> AsyncIterator[None]:
    """The first gateway alone; afterwards the stack as it was, with its own settings."""
    others = other_gateways()
    for replica in others:
        await amake("gateway-stop", env={"REPLICA": str(replica)})
    try:
        yield
    finally:
        # Idempotent: stops the test's gateway (or nothing, when it was left dead).
        await restart_gateway({})
        for replica in others:
            await amake("gateway-start", env={"REPLICA": str(replica)})


@pytest.fixture
def slow_receiver() -> Iterator[WebhookReceiver]:
    with WebhookReceiver(delay=RECEIVER_DELAY) as started:
        yield started


async def deliveries(gateway_db: asyncpg.Connection, webhook_id: str, status: str) -> int:
    count: int = await gateway_db.fetchval(
        "SELECT count(*) FROM webhook_deliveries WHERE endpoint_id = $1::uuid AND status = $2",
        webhook_id,
        status,
    )
    return count


async def test_the_gateway_killed_in_a_webhook_backlog_loses_nothing(
    one_gateway: None, admin_token: str, slow_receiver: WebhookReceiver
) -> None:
    await restart_gateway(QUEUEING)
    gateway_db = await asyncpg.connect(database_url("gateway"))
    auth = {"Authorization": f"Bearer {admin_token}"}
    async with httpx.AsyncClient(base_url=GATEWAY_URL, headers=auth, timeout=60) as client:
        webhook_id, secret = await subscribe(client, slow_receiver.url, "contact.created")
    try:
        async with httpx.AsyncClient(base_url=GATEWAY_URL, headers=auth, timeout=60) as client:
            contact_ids = created_ids(await create_many(client, CONTACTS, concurrency=8))

        async def queued() -> bool | NotYet:
            count = await deliveries(gateway_db, webhook_id, "pending")
            return count == CONTACTS or NotYet(f"{count} of {CONTACTS} queued")

        await wait_for(queued, message="the backlog queued by the dispatcher")
        assert slow_receiver.arrivals() == [], "delivered while no lane was running"

        await restart_gateway(DELIVERING)
        await wait_for(
            lambda: len(slow_receiver.arrivals()) >= KILL_AFTER, message="deliveries flowing"
        )
        pid = gateway_pid()
        os.kill(pid, signal.SIGKILL)
        killed_at = time.monotonic()
        await wait_for(lambda: gone(pid), message=f"the gateway (pid {pid}) gone after SIGKILL")
        pending_at_kill = await deliveries(gateway_db, webhook_id, "pending")
        assert pending_at_kill >= CONTACTS // 2, f"only {pending_at_kill} left: no backlog"

        await amake("gateway-start", env=DELIVERING)

        await wait_for(
            lambda: slow_receiver.all_arrived(contact_ids),
            RECOVERY_TIMEOUT,
            interval=1.0,
            message="the backlog after the restart",
        )
        await wait_for(
            lambda: _settled(gateway_db, webhook_id), message="every delivery recorded as sent"
        )
        repeats = assert_each_delivered(slow_receiver.arrivals(), contact_ids, secret, killed_at)
        # At-least-once allows these; how many is worth seeing (pytest -rP shows it).
        print(f"webhooks: {pending_at_kill} pending at the kill, {repeats} sent again")  # noqa: T201
    finally:
        # Idempotent: starts the gateway when the test left it dead.
        await amake("gateway-start", env=DELIVERING)
        async with httpx.AsyncClient(base_url=GATEWAY_URL, headers=auth, timeout=60) as client:
            await unsubscribe(client, webhook_id)
        await gateway_db.close()


async def _settled(gateway_db: asyncpg.Connection, webhook_id: str) -> bool | NotYet:
    succeeded = await deliveries(gateway_db, webhook_id, "succeeded")
    return succeeded == CONTACTS or NotYet(f"{succeeded} of {CONTACTS} succeeded")
