"""Webhook endpoints, their secrets, signatures and the retry rules (plain Python).

Signatures follow the Standard Webhooks specification: HMAC-SHA256 over
`{webhook-id}.{webhook-timestamp}.{body}` with the secret's base64 part decoded, sent as
`v1,<base64>`; several signatures are separated by a space.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import ipaddress
import random
import secrets
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any
from urllib.parse import urlsplit

SECRET_PREFIX = "whsec_"  # noqa: S105 - the prefix, not a secret
MESSAGE_PREFIX = "msg_"
SECRET_BYTES = 32


class EventType(StrEnum):
    """What a subscriber may subscribe to."""

    NPS_DETRACTOR = "nps.detractor"
    NPS_PROMOTER = "nps.promoter"
    CUSTOMER_CHURNED = "customer.churned"
    CUSTOMER_CHURN_RISK = "customer.churn_risk"
    CONTRACT_RENEWAL_DUE = "contract.renewal_due"
    SEGMENT_CHANGED = "segment.changed"
    CONTACT_CREATED = "contact.created"
    ORDER_RECORDED = "order.recorded"


# Sent by POST /webhooks/{id}/test to that endpoint alone, whatever it subscribed to.
TEST_EVENT_TYPE = "webhook.test"


class DeliveryStatus(StrEnum):
    PENDING = "pending"
    SUCCEEDED = "succeeded"
    FAILED = "failed"  # retries used up, or the endpoint was disabled meanwhile


def generate_secret() -> str:
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(SECRET_BYTES)).decode()


def message_id_for(event_id: uuid.UUID | None = None) -> str:
    """Derived from the Kafka event's id, so a replayed event names the same message."""
    return MESSAGE_PREFIX + (event_id or uuid.uuid4()).hex


def sign(secret: str, message_id: str, timestamp: int, body: bytes) -> str:
    key = base64.b64decode(secret.removeprefix(SECRET_PREFIX))
    signed = f"{message_id}.{timestamp}.".encode() + body
    digest = hmac.new(key, signed, hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode()


def signature_header(secrets_: Sequence[str], message_id: str, timestamp: int, body: bytes) -> str:
    return " ".join(sign(secret, message_id, timestamp, body) for secret in secrets_)


class UnsafeUrl(ValueError):
    """A webhook URL Treue will not call: wrong scheme, or a host in a private range."""


def check_url_form(url: str) -> str:
    """The host of an http(s) URL without credentials; raises UnsafeUrl otherwise."""
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError on a port that is not a number
    except ValueError as error:
        raise UnsafeUrl(f"not a URL: {error}") from error
    if parts.scheme not in ("http", "https"):
        raise UnsafeUrl("only http and https URLs can receive webhooks")
    if not parts.hostname:
        raise UnsafeUrl("the URL has no host")
    if parts.username or parts.password:
        raise UnsafeUrl("credentials in the URL are not allowed; use the signature instead")
    return parts.hostname


def check_address(address: str) -> None:
    """Refuse addresses inside the network Treue runs in (SSRF): loopback, link-local (cloud
    metadata lives there), private, shared, multicast, reserved and unspecified ranges."""
    ip = ipaddress.ip_address(address.split("%")[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    if not ip.is_global or ip.is_multicast or ip.is_reserved or ip.is_unspecified:
        raise UnsafeUrl(f"the host resolves to {ip}, a private or reserved address")


@dataclass(frozen=True)
class RetryPolicy:
    """Delays before each retry; after the last one the delivery has failed."""

    delays_seconds: Sequence[float]
    jitter: float = 0.2  # each delay varies by up to ±20%, so retries of a burst spread out
    max_retry_after_seconds: float = 24 * 3600

    def next_delay(
        self, attempts_made: int, retry_after: float | None, rng: random.Random | None = None
    ) -> float | None:
        """Seconds until the next attempt after `attempts_made` attempts, or None if done."""
        if attempts_made > len(self.delays_seconds):
            return None
        base = self.delays_seconds[attempts_made - 1]
        delay = base * (1 + (rng or random).uniform(-self.jitter, self.jitter))
        if retry_after is not None:
            # The subscriber asked for a pause: never earlier than it said.
            delay = max(delay, min(retry_after, self.max_retry_after_seconds))
        return delay


@dataclass(frozen=True)
class AttemptResult:
    status_code: int | None
    duration_ms: int
    response_body: str | None
    error: str | None
    retry_after: float | None = None

    @property
    def succeeded(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300

    @property
    def gone(self) -> bool:
        return self.status_code == 410


@dataclass
class Endpoint:
    id: uuid.UUID
    url: str
    event_types: list[str]
    description: str
    enabled: bool
    secret: str
    created_by: uuid.UUID | None
    created_at: datetime
    updated_at: datetime
    previous_secret: str | None = None
    previous_secret_expires_at: datetime | None = None
    disabled_reason: str | None = None
    disabled_at: datetime | None = None
    failing_since: datetime | None = None

    def change(self, changes: dict[str, Any], now: datetime) -> None:
        for name in ("url", "event_types", "description"):
            if name in changes:
                setattr(self, name, changes[name])
        if "enabled" in changes:
            if changes["enabled"]:
                self.enable()
            else:
                self.disable("disabled by an admin", now)
        self.updated_at = now

    def enable(self) -> None:
        self.enabled = True
        self.disabled_reason = None
        self.disabled_at = None
        self.failing_since = None

    def disable(self, reason: str, now: datetime) -> None:
        self.enabled = False
        self.disabled_reason = reason
        self.disabled_at = now

    def rotate_secret(self, new_secret: str, now: datetime, overlap: timedelta) -> None:
        self.previous_secret = self.secret
        self.previous_secret_expires_at = now + overlap
        self.secret = new_secret
        self.updated_at = now


def signing_secrets(
    secret: str, previous: str | None, previous_expires_at: datetime | None, now: datetime
) -> list[str]:
    """The current secret, and the previous one while its overlap lasts."""
    if previous and previous_expires_at and previous_expires_at > now:
        return [secret, previous]
    return [secret]


@dataclass(frozen=True)
class EndpointHealth:
    """What one attempt's outcome does to its endpoint."""

    failing_since: datetime | None
    disabled_reason: str | None = None


def health_after(
    result: AttemptResult, failing_since: datetime | None, now: datetime, disable_after: timedelta
) -> EndpointHealth:
    if result.succeeded:
        return EndpointHealth(failing_since=None)
    if result.gone:
        return EndpointHealth(failing_since or now, "the endpoint answered 410 Gone")
    since = failing_since or now
    if now - since >= disable_after:
        last = f"HTTP {result.status_code}" if result.status_code else result.error or "no answer"
        return EndpointHealth(
            since,
            f"every delivery failed since {since.isoformat(timespec='seconds')} (last: {last})",
        )
    return EndpointHealth(since)


@dataclass(frozen=True)
class NextStep:
    status: DeliveryStatus
    next_attempt_at: datetime | None


def next_step(
    result: AttemptResult,
    attempts_made: int,
    policy: RetryPolicy,
    now: datetime,
    rng: random.Random | None = None,
) -> NextStep:
    if result.succeeded:
        return NextStep(DeliveryStatus.SUCCEEDED, None)
    if result.gone:
        return NextStep(DeliveryStatus.FAILED, None)
    delay = policy.next_delay(attempts_made, result.retry_after, rng)
    if delay is None:
        return NextStep(DeliveryStatus.FAILED, None)
    return NextStep(DeliveryStatus.PENDING, now + timedelta(seconds=delay))


@dataclass(frozen=True)
class Message:
    """One event as subscribers receive it; its id is the webhook-id of every attempt."""

    id: str
    event_type: str
    timestamp: datetime
    data: dict[str, Any] = field(default_factory=dict)
    event_id: uuid.UUID | None = None

    def payload(self) -> dict[str, Any]:
        return {"type": self.event_type, "timestamp": self.timestamp.isoformat(), "data": self.data}
