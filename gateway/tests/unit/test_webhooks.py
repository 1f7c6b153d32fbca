"""Signing, retries, endpoint health and the URL guard of the webhooks (no I/O)."""

from __future__ import annotations

import random
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from standardwebhooks import Webhook

from gateway.adapters.webhook_http import UrlGuard, retry_after_seconds
from gateway.domain.policy import Principal, permits
from gateway.domain.webhooks import (
    AttemptResult,
    DeliveryStatus,
    RetryPolicy,
    UnsafeUrl,
    check_address,
    check_url_form,
    generate_secret,
    health_after,
    message_id_for,
    next_step,
    signature_header,
    signing_secrets,
)
from gateway.settings import GatewaySettings

NOW = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)
BODY = b'{"type":"nps.detractor","timestamp":"2026-11-27T12:00:00+00:00","data":{}}'
DAY = timedelta(days=1)


def answer(status: int | None, retry_after: float | None = None) -> AttemptResult:
    return AttemptResult(status, 12, None, None if status else "timed out", retry_after)


def test_a_signature_verifies_with_the_reference_library() -> None:
    secret = generate_secret()
    timestamp = int(datetime.now(UTC).timestamp())
    headers = {
        "webhook-id": "msg_1",
        "webhook-timestamp": str(timestamp),
        "webhook-signature": signature_header([secret], "msg_1", timestamp, BODY),
    }

    assert Webhook(secret).verify(BODY, headers)["type"] == "nps.detractor"


def test_both_secrets_sign_during_a_rotation_and_each_verifies() -> None:
    new, old = generate_secret(), generate_secret()
    timestamp = int(datetime.now(UTC).timestamp())
    secrets = signing_secrets(new, old, NOW + timedelta(hours=1), NOW)
    header = signature_header(secrets, "msg_2", timestamp, BODY)
    headers = {"webhook-id": "msg_2", "webhook-timestamp": str(timestamp)}

    assert len(header.split(" ")) == 2
    for secret in (new, old):
        Webhook(secret).verify(BODY, {**headers, "webhook-signature": header})


def test_the_previous_secret_stops_signing_when_the_overlap_ends() -> None:
    assert signing_secrets("whsec_new", "whsec_old", NOW, NOW) == ["whsec_new"]
    assert signing_secrets("whsec_new", None, None, NOW) == ["whsec_new"]


def test_a_secret_carries_at_least_24_random_bytes() -> None:
    import base64

    secret = generate_secret()

    assert secret.startswith("whsec_")
    assert len(base64.b64decode(secret.removeprefix("whsec_"))) >= 24
    assert secret != generate_secret()


def test_a_replayed_event_names_the_same_message() -> None:
    event_id = uuid.uuid4()

    assert message_id_for(event_id) == message_id_for(event_id)
    assert message_id_for(event_id).startswith("msg_")


def test_retries_follow_the_schedule_with_jitter_and_then_stop() -> None:
    policy = RetryPolicy([5, 300, 1800])
    rng = random.Random(7)

    delays = [policy.next_delay(n, None, rng) for n in (1, 2, 3, 4)]

    assert delays[3] is None
    for delay, base in zip(delays[:3], [5, 300, 1800], strict=True):
        assert delay is not None
        assert base * 0.8 <= delay <= base * 1.2
    assert delays[:3] != [5, 300, 1800]


def test_retry_after_is_never_undercut_but_is_capped() -> None:
    policy = RetryPolicy([5], max_retry_after_seconds=3600)

    assert policy.next_delay(1, 120, random.Random(1)) == 120
    assert policy.next_delay(1, 10**9, random.Random(1)) == 3600
    assert retry_after_seconds("30", NOW) == 30
    assert retry_after_seconds("Fri, 27 Nov 2026 12:01:00 GMT", NOW) == 60
    assert retry_after_seconds("soon", NOW) is None


@pytest.mark.parametrize(
    ("status", "attempts", "expected"),
    [
        (200, 1, DeliveryStatus.SUCCEEDED),
        (204, 5, DeliveryStatus.SUCCEEDED),
        (500, 1, DeliveryStatus.PENDING),
        (None, 1, DeliveryStatus.PENDING),
        (301, 1, DeliveryStatus.PENDING),
        (410, 1, DeliveryStatus.FAILED),
        (500, 4, DeliveryStatus.FAILED),
    ],
)
def test_what_follows_an_attempt(
    status: int | None, attempts: int, expected: DeliveryStatus
) -> None:
    step = next_step(answer(status), attempts, RetryPolicy([1, 2, 3]), NOW)

    assert step.status == expected
    assert (step.next_attempt_at is not None) == (expected == DeliveryStatus.PENDING)


def test_an_endpoint_failing_for_a_day_is_disabled_with_the_reason() -> None:
    fresh = health_after(answer(500), None, NOW, DAY)
    still = health_after(answer(500), NOW - timedelta(hours=23), NOW, DAY)
    over = health_after(answer(503), NOW - DAY, NOW, DAY)
    healed = health_after(answer(200), NOW - DAY, NOW, DAY)
    gone = health_after(answer(410), None, NOW, DAY)

    assert (fresh.failing_since, fresh.disabled_reason) == (NOW, None)
    assert still.disabled_reason is None
    assert "HTTP 503" in str(over.disabled_reason)
    assert (healed.failing_since, healed.disabled_reason) == (None, None)
    assert gone.disabled_reason == "the endpoint answered 410 Gone"


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1",
        "10.1.2.3",
        "172.16.0.1",
        "192.168.1.10",
        "169.254.169.254",
        "100.64.0.1",
        "0.0.0.0",  # noqa: S104
        "224.0.0.1",
        "240.0.0.1",
        "::1",
        "fe80::1",
        "fc00::1",
        "::ffff:127.0.0.1",
    ],
)
def test_private_and_reserved_addresses_are_refused(address: str) -> None:
    with pytest.raises(UnsafeUrl):
        check_address(address)


@pytest.mark.parametrize("address", ["93.184.215.14", "2a00:1450:4001:82b::200e"])
def test_public_addresses_pass(address: str) -> None:
    check_address(address)


@pytest.mark.parametrize(
    "url",
    [
        "ftp://example.de/hook",
        "file:///etc/passwd",
        "https://",
        "https://user:pw@example.de/hook",
        "https://example.de:port/hook",
        "not a url",
    ],
)
def test_malformed_urls_are_refused(url: str) -> None:
    with pytest.raises(UnsafeUrl):
        check_url_form(url)


async def test_the_guard_resolves_names_and_allows_private_hosts_only_when_told() -> None:
    with pytest.raises(UnsafeUrl):
        await UrlGuard(allow_private=False).check("http://localhost:9000/hook")
    with pytest.raises(UnsafeUrl):
        await UrlGuard(allow_private=False).check("http://[::1]/hook")

    await UrlGuard(allow_private=True).check("http://localhost:9000/hook")


def test_webhooks_are_managed_by_admins_and_keys_with_the_scope() -> None:
    def user(role: str) -> Principal:
        return Principal(kind="user", id=uuid.uuid4(), name="Jonas", role=role)

    def key(*scopes: str) -> Principal:
        return Principal(kind="api_key", id=uuid.uuid4(), name="Shop", scopes=scopes)

    assert permits(user("admin"), "POST", "/api/v1/webhooks")
    assert not permits(user("manager"), "GET", "/api/v1/webhooks")
    assert permits(key("webhooks:manage"), "POST", "/api/v1/webhooks/1/test")
    assert not permits(key("contacts:write"), "GET", "/api/v1/webhooks")
    assert not permits(key("webhooks:manage"), "GET", "/api/v1/users")


def test_the_lease_outlasts_twice_the_timeout_unless_set() -> None:
    assert GatewaySettings(webhook_timeout_seconds=10).webhook_lease() == timedelta(seconds=50)
    configured = GatewaySettings(webhook_timeout_seconds=3, webhook_lease_seconds=8)
    assert configured.webhook_lease() == timedelta(seconds=8)


def test_a_lease_no_longer_than_an_attempt_is_refused() -> None:
    with pytest.raises(ValueError, match="WEBHOOK_LEASE_SECONDS"):
        GatewaySettings(webhook_timeout_seconds=10, webhook_lease_seconds=10)
