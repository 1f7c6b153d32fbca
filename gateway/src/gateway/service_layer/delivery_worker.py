"""The delivery worker: a background loop of every gateway replica.

It claims due deliveries (SKIP LOCKED, so replicas never send one at the same time), posts
them signed, and records each attempt with what it decides: done, retry later, or failed.
Woken by NOTIFY when deliveries are queued; otherwise it looks for due retries each poll.
"""

from __future__ import annotations

import asyncio
import random
import time
from datetime import UTC, datetime, timedelta

import structlog
from prometheus_client import Counter, Histogram
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from gateway.adapters.webhook_http import UrlGuard, WebhookSender
from gateway.adapters.webhook_repository import (
    ClaimedDelivery,
    DeliveryQueue,
    DeliveryWakeup,
    Outcome,
)
from gateway.domain.webhooks import (
    DeliveryStatus,
    RetryPolicy,
    health_after,
    next_step,
    signature_header,
    signing_secrets,
)
from gateway.settings import GatewaySettings
from treue.service import ServiceRuntime

log = structlog.get_logger("gateway.webhooks")
ATTEMPTS = Counter(
    "treue_webhook_attempts_total",
    "Webhook delivery attempts by what followed: succeeded, retry or failed",
    ["outcome"],
)
ATTEMPT_SECONDS = Histogram(
    "treue_webhook_attempt_seconds",
    "Duration of webhook delivery attempts, to the answer or the error",
    buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30),
)
OUTCOME_LABELS = {
    DeliveryStatus.SUCCEEDED: "succeeded",
    DeliveryStatus.PENDING: "retry",
    DeliveryStatus.FAILED: "failed",
}
PURGE_EVERY_SECONDS = 3600
PURGE_CHUNK = 5000


class DeliveryWorker:
    def __init__(
        self,
        settings: GatewaySettings,
        session_factory: async_sessionmaker[AsyncSession],
        sender: WebhookSender,
    ) -> None:
        self.settings = settings
        self.session_factory = session_factory
        self.sender = sender
        self.policy = RetryPolicy(settings.webhook_retry_delays_seconds)
        self.disable_after = timedelta(seconds=settings.webhook_disable_after_seconds)
        # Past the attempt's timeout, so a delivery is claimed again only if its worker died.
        self.lease = settings.webhook_lease()
        self.rng = random.Random()

    async def run(self) -> None:
        async with DeliveryWakeup(self.settings.database_url) as wakeup:
            # Several lanes, each claiming its own batch: a subscriber that answers slowly
            # holds up one lane's batch, not every delivery of this replica.
            lanes = [self._lane(wakeup) for _ in range(self.settings.webhook_lanes)]
            await asyncio.gather(*lanes, self._purge_old())

    async def _lane(self, wakeup: DeliveryWakeup) -> None:
        while True:
            try:
                sent = await self.run_once()
            except asyncio.CancelledError:
                raise
            except Exception as error:
                log.warning("webhook delivery round failed", error=str(error))
                sent = 0
                await asyncio.sleep(1.0)
            if sent < self.settings.webhook_batch_size:
                await wakeup.wait(self.settings.webhook_poll_seconds)

    async def _purge_old(self) -> None:
        while True:
            try:
                await self.purge(datetime.now(UTC))
            except asyncio.CancelledError:
                raise
            except Exception as error:
                log.warning("purging old webhook deliveries failed", error=str(error))
            await asyncio.sleep(PURGE_EVERY_SECONDS)

    async def purge(self, now: datetime) -> int:
        """Deletes what is older than the retention, in chunks; how many deliveries."""
        before = now - timedelta(days=self.settings.webhook_retention_days)
        total = 0
        while True:
            async with self.session_factory() as session, session.begin():
                deleted = await DeliveryQueue(session).purge(before, PURGE_CHUNK)
            total += deleted
            if deleted < PURGE_CHUNK:
                return total

    async def run_once(self, now: datetime | None = None) -> int:
        """Claims one batch (what is due at `now`), sends it and records the outcomes; how
        many were sent."""
        async with self.session_factory() as session, session.begin():
            claimed = await DeliveryQueue(session).claim(
                self.settings.webhook_batch_size,
                now or datetime.now(UTC),
                self.lease,
                self.settings.webhook_endpoint_concurrency,
            )
        if not claimed:
            return 0
        outcomes = await asyncio.gather(*(self._attempt(delivery) for delivery in claimed))
        async with self.session_factory() as session, session.begin():
            await DeliveryQueue(session).record(outcomes)
        for outcome in outcomes:
            ATTEMPTS.labels(OUTCOME_LABELS[outcome.step.status]).inc()
            ATTEMPT_SECONDS.observe(outcome.result.duration_ms / 1000)
        return len(claimed)

    async def _attempt(self, delivery: ClaimedDelivery) -> Outcome:
        attempted_at = datetime.now(UTC)
        timestamp = int(time.time())
        body = delivery.body.encode()
        secrets = signing_secrets(
            delivery.secret,
            delivery.previous_secret,
            delivery.previous_secret_expires_at,
            attempted_at,
        )
        headers = {
            "webhook-id": delivery.message_id,
            "webhook-timestamp": str(timestamp),
            "webhook-signature": signature_header(secrets, delivery.message_id, timestamp, body),
        }
        result = await self.sender.send(delivery.url, headers, body)
        now = datetime.now(UTC)
        return Outcome(
            delivery=delivery,
            attempted_at=attempted_at,
            result=result,
            step=next_step(result, delivery.attempts + 1, self.policy, now, self.rng),
            health=health_after(result, delivery.failing_since, now, self.disable_after),
        )


async def deliver_webhooks(runtime: ServiceRuntime) -> None:
    """The background loop the gateway runs (ServiceDefinition.background)."""
    settings = runtime.settings
    assert isinstance(settings, GatewaySettings)
    in_flight = settings.webhook_batch_size * settings.webhook_lanes
    guard = UrlGuard(settings.webhooks_allow_private_urls)
    async with WebhookSender(
        guard,
        settings.webhook_timeout_seconds,
        settings.webhook_response_body_limit_bytes,
        connections=in_flight,
    ) as sender:
        await DeliveryWorker(settings, runtime.session_factory, sender).run()
