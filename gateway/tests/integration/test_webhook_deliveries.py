"""Deliveries to a real HTTP subscriber: signed per Standard Webhooks (verified with the
reference library), retried, logged, redelivered; and the Kafka dispatcher."""

from __future__ import annotations

import asyncio
import uuid
from collections import Counter
from datetime import UTC, datetime, timedelta
from typing import Any

import asyncpg
import orjson
import pytest
from aiokafka import AIOKafkaProducer
from standardwebhooks import Webhook, WebhookVerificationError

from gateway.adapters.webhook_http import UrlGuard, WebhookSender
from gateway.adapters.webhook_repository import DeliveryQueue, WebhookRepository
from gateway.domain.webhooks import AttemptResult
from gateway.service_layer.delivery_worker import DeliveryWorker
from treue.events.contracts import ContactErasedV1, NpsDetractorV1, OrderLineV1, OrderRecordedV1
from treue.events.envelope import CloudEvent
from treue.outbox import asyncpg_dsn
from treue.testing import eventually

from .conftest import ADMIN, Live, Receiver, login

NOW = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)


async def subscribe(
    live: Live, headers: dict[str, str], url: str, event_types: list[str] | None = None
) -> dict[str, Any]:
    body = {"url": url, "event_types": event_types or ["nps.detractor"]}
    answer = await live.client.post("/api/v1/webhooks", json=body, headers=headers)
    assert answer.status_code == 201, answer.text
    created: dict[str, Any] = answer.json()
    return created


@pytest.fixture
async def admin_live(live: Live) -> dict[str, str]:
    return await login(live.client, ADMIN)


async def deliveries(live: Live, headers: dict[str, str], webhook_id: str) -> list[dict[str, Any]]:
    answer = await live.client.get(
        f"/api/v1/webhooks/{webhook_id}/deliveries", params={"limit": 500}, headers=headers
    )
    assert answer.status_code == 200, answer.text
    items: list[dict[str, Any]] = answer.json()["items"]
    return items


async def settled(live: Live, headers: dict[str, str], webhook_id: str, count: int = 1) -> None:
    async def check() -> bool:
        items = await deliveries(live, headers, webhook_id)
        return len(items) >= count and all(d["status"] != "pending" for d in items)

    await eventually(check, timeout=20, message=f"deliveries of {webhook_id} settled")


async def deliver_test_message(
    live: Live, headers: dict[str, str], webhook_id: str
) -> dict[str, Any]:
    """Sends the endpoint a test message and answers its one delivery, once settled."""
    answer = await live.client.post(f"/api/v1/webhooks/{webhook_id}/test", headers=headers)
    assert answer.status_code == 202, answer.text
    await settled(live, headers, webhook_id)
    [delivery] = await deliveries(live, headers, webhook_id)
    return delivery


async def test_a_subscriber_failing_three_times_gets_one_success_with_one_webhook_id(
    live: Live, admin_live: dict[str, str], receiver: Receiver
) -> None:
    name = f"flaky-{uuid.uuid4().hex[:6]}"
    receiver.script[name] = [500, 500, 500]
    webhook = await subscribe(live, admin_live, receiver.url(name))

    sent = await live.client.post(f"/api/v1/webhooks/{webhook['id']}/test", headers=admin_live)
    await settled(live, admin_live, webhook["id"])
    [delivery] = await deliveries(live, admin_live, webhook["id"])
    requests = receiver.at(name)

    assert sent.status_code == 202
    assert delivery["id"] == sent.json()["delivery_id"]
    assert delivery["status"] == "succeeded"
    assert [a["status_code"] for a in delivery["attempts"]] == [500, 500, 500, 200]
    assert all(a["duration_ms"] >= 0 for a in delivery["attempts"])
    assert delivery["attempts"][0]["response_body"] == "answered 500"
    assert len(requests) == 4
    assert {r.headers["webhook-id"] for r in requests} == {delivery["message_id"]}
    assert delivery["message_id"].startswith("msg_")
    for request in requests:
        payload = Webhook(webhook["secret"]).verify(request.body, request.headers)
        assert payload["type"] == "webhook.test"
        assert payload["data"]["endpoint_id"] == webhook["id"]
    assert delivery["body"] == orjson.loads(requests[0].body)
    metrics = (await live.client.get("/metrics")).text
    assert 'treue_webhook_attempts_total{outcome="retry"}' in metrics
    assert 'treue_webhook_attempts_total{outcome="succeeded"}' in metrics


async def test_a_410_disables_the_endpoint_and_says_why(
    live: Live, admin_live: dict[str, str], receiver: Receiver
) -> None:
    name = f"gone-{uuid.uuid4().hex[:6]}"
    receiver.script[name] = [410]
    webhook = await subscribe(live, admin_live, receiver.url(name))

    delivery = await deliver_test_message(live, admin_live, webhook["id"])
    fetched = (
        await live.client.get(f"/api/v1/webhooks/{webhook['id']}", headers=admin_live)
    ).json()
    again = await live.client.post(f"/api/v1/webhooks/{webhook['id']}/test", headers=admin_live)

    assert delivery["status"] == "failed"
    assert len(delivery["attempts"]) == 1
    assert fetched["enabled"] is False
    assert fetched["disabled_reason"] == "the endpoint answered 410 Gone"
    assert again.status_code == 409


async def test_after_a_rotation_both_signatures_are_sent_and_each_verifies(
    live: Live, admin_live: dict[str, str], receiver: Receiver
) -> None:
    name = f"rotated-{uuid.uuid4().hex[:6]}"
    webhook = await subscribe(live, admin_live, receiver.url(name))
    rotated = await live.client.post(
        f"/api/v1/webhooks/{webhook['id']}/rotate-secret", headers=admin_live
    )

    await deliver_test_message(live, admin_live, webhook["id"])
    [request] = receiver.at(name)
    signatures = request.headers["webhook-signature"].split(" ")

    assert len(signatures) == 2
    for secret in (rotated.json()["secret"], webhook["secret"]):
        Webhook(secret).verify(request.body, request.headers)
    with pytest.raises(WebhookVerificationError):
        Webhook("whsec_" + "QUJD" * 8).verify(request.body, request.headers)


async def test_redelivery_sends_the_same_message_again(
    live: Live, admin_live: dict[str, str], receiver: Receiver
) -> None:
    name = f"again-{uuid.uuid4().hex[:6]}"
    webhook = await subscribe(live, admin_live, receiver.url(name))
    first = await deliver_test_message(live, admin_live, webhook["id"])

    answer = await live.client.post(
        f"/api/v1/webhooks/{webhook['id']}/deliveries/{first['id']}/redeliver", headers=admin_live
    )
    await settled(live, admin_live, webhook["id"], count=2)
    requests = receiver.at(name)

    assert answer.status_code == 202
    assert answer.json()["delivery_id"] != first["id"]
    assert len(requests) == 2
    assert requests[0].headers["webhook-id"] == requests[1].headers["webhook-id"]
    assert requests[0].body == requests[1].body


async def test_redeliver_since_sends_what_a_failing_endpoint_missed(
    live: Live, admin_live: dict[str, str], receiver: Receiver
) -> None:
    name = f"down-{uuid.uuid4().hex[:6]}"
    receiver.script[name] = [503] * 6
    webhook = await subscribe(live, admin_live, receiver.url(name))
    url = f"/api/v1/webhooks/{webhook['id']}"
    since = {"since": (datetime.now(UTC) - timedelta(seconds=1)).isoformat()}
    await live.client.post(f"{url}/test", headers=admin_live)
    await settled(live, admin_live, webhook["id"])
    [failed] = await deliveries(live, admin_live, webhook["id"])

    await live.client.patch(url, json={"enabled": False}, headers=admin_live)
    while_disabled = await live.client.post(f"{url}/redeliver", json=since, headers=admin_live)
    await live.client.patch(url, json={"enabled": True}, headers=admin_live)
    queued = await live.client.post(f"{url}/redeliver", json=since, headers=admin_live)
    await settled(live, admin_live, webhook["id"], count=2)
    again = await live.client.post(f"{url}/redeliver", json=since, headers=admin_live)
    latest = (await deliveries(live, admin_live, webhook["id"]))[0]

    assert failed["status"] == "failed"
    assert len(failed["attempts"]) == 6
    assert while_disabled.status_code == 409
    assert queued.json() == {"queued": 1}
    assert latest["status"] == "succeeded"
    assert latest["message_id"] == failed["message_id"]
    assert again.json() == {"queued": 0}
    assert len(receiver.at(name)) == 7


async def publish(live: Live, topic: str, events: list[CloudEvent]) -> None:
    producer = AIOKafkaProducer(bootstrap_servers=live.settings.kafka_bootstrap_servers)
    await producer.start()
    try:
        for event in events:
            await producer.send_and_wait(
                live.settings.topic(topic),
                event.kafka_value(),
                key=event.kafka_key(),
                headers=event.kafka_headers(),
            )
    finally:
        await producer.stop()


def detractor_event() -> CloudEvent:
    contact_id = uuid.uuid4()
    contract = NpsDetractorV1(
        contact_id=contact_id,
        survey_id=uuid.uuid4(),
        response_id=uuid.uuid4(),
        score=2,
        comment="Niemand ruft zurück.",
        responded_at=datetime(2026, 11, 27, 9, 0, tzinfo=UTC),
        feedback_case_id=uuid.uuid4(),
        due_at=datetime(2026, 11, 28, 9, 0, tzinfo=UTC),
    )
    return CloudEvent(
        source="survey",
        type=contract.event_type,
        subject=str(contact_id),
        data=contract.model_dump(mode="json"),
    )


async def test_a_kafka_event_reaches_each_subscriber_once_even_when_replayed(
    live: Live, admin_live: dict[str, str], receiver: Receiver
) -> None:
    names = [f"kafka-{uuid.uuid4().hex[:6]}" for _ in range(2)]
    subscribed = [await subscribe(live, admin_live, receiver.url(n)) for n in names]
    other = await subscribe(live, admin_live, receiver.url(f"other-{names[0]}"), ["order.recorded"])
    event = detractor_event()

    await publish(live, "surveys", [event, event])
    for webhook in subscribed:
        await settled(live, admin_live, webhook["id"])
    conn = await asyncpg.connect(asyncpg_dsn(live.settings.database_url))
    try:
        messages = await conn.fetchval(
            "SELECT count(*) FROM webhook_messages WHERE event_id = $1", event.id
        )
    finally:
        await conn.close()
    requests = [receiver.at(name) for name in names]

    assert messages == 1
    assert [len(r) for r in requests] == [1, 1]
    payload = Webhook(subscribed[0]["secret"]).verify(requests[0][0].body, requests[0][0].headers)
    assert payload["type"] == "nps.detractor"
    assert payload["data"] == {
        "contact_id": event.data["contact_id"],
        "survey_id": event.data["survey_id"],
        "response_id": event.data["response_id"],
        "score": 2,
        "comment": "Niemand ruft zurück.",
        "responded_at": "2026-11-27T09:00:00Z",
        "feedback_case_id": event.data["feedback_case_id"],
    }
    assert requests[0][0].headers["webhook-id"] == requests[1][0].headers["webhook-id"]
    assert await deliveries(live, admin_live, other["id"]) == []


async def test_an_order_event_carries_the_public_order_fields(
    live: Live, admin_live: dict[str, str], receiver: Receiver
) -> None:
    name = f"orders-{uuid.uuid4().hex[:6]}"
    webhook = await subscribe(live, admin_live, receiver.url(name), ["order.recorded"])
    contact_id = uuid.uuid4()
    line = OrderLineV1(
        line_no=1,
        product_id=uuid.uuid4(),
        sku="FLT-200",
        quantity="2",
        unit_price="59.90",
        unit_cost="31.00",
        revenue="119.80",
        cost="62.00",
    )
    order = OrderRecordedV1(
        order_id=uuid.uuid4(),
        contact_id=contact_id,
        external_id="SHOP-1",
        ordered_at=datetime(2026, 11, 27, 7, 45, tzinfo=UTC),
        currency="EUR",
        revenue="119.80",
        cost="62.00",
        lines=[line],
        recorded_at=datetime(2026, 11, 27, 7, 46, tzinfo=UTC),
    )
    event = CloudEvent(
        source="contacts",
        type=order.event_type,
        subject=str(contact_id),
        data=order.model_dump(mode="json"),
    )

    await publish(live, "contacts", [event])
    await settled(live, admin_live, webhook["id"])
    [request] = receiver.at(name)
    data = orjson.loads(request.body)["data"]

    assert data["order_id"] == str(order.order_id)
    assert data["revenue"] == "119.80"
    assert "cost" not in data
    assert data["lines"][0] == {
        "line_no": 1,
        "product_id": str(line.product_id),
        "sku": "FLT-200",
        "quantity": "2",
        "unit_price": "59.90",
        "revenue": "119.80",
    }


async def test_the_delivery_log_pages_with_a_cursor(
    live: Live, admin_live: dict[str, str], receiver: Receiver
) -> None:
    webhook = await subscribe(live, admin_live, receiver.url(f"paged-{uuid.uuid4().hex[:6]}"))
    for _ in range(3):
        await live.client.post(f"/api/v1/webhooks/{webhook['id']}/test", headers=admin_live)
    url = f"/api/v1/webhooks/{webhook['id']}/deliveries"

    first = (await live.client.get(url, params={"limit": 2}, headers=admin_live)).json()
    second = (
        await live.client.get(
            url, params={"limit": 2, "cursor": first["next_cursor"]}, headers=admin_live
        )
    ).json()

    assert len(first["items"]) == 2
    assert len(second["items"]) == 1
    assert second["next_cursor"] is None
    ids = [d["id"] for d in first["items"] + second["items"]]
    assert len(set(ids)) == 3


async def test_an_unreachable_subscriber_records_the_error(
    live: Live, admin_live: dict[str, str]
) -> None:
    webhook = await subscribe(live, admin_live, "http://127.0.0.1:1/hooks/closed")

    delivery = await deliver_test_message(live, admin_live, webhook["id"])

    assert delivery["status"] == "failed"
    assert len(delivery["attempts"]) == 6
    assert all(a["status_code"] is None for a in delivery["attempts"])
    assert delivery["attempts"][0]["error"].startswith("ClientConnectorError")


async def test_redirects_are_not_followed(
    live: Live, admin_live: dict[str, str], receiver: Receiver
) -> None:
    name = f"moved-{uuid.uuid4().hex[:6]}"
    receiver.script[name] = [307] * 6
    webhook = await subscribe(live, admin_live, receiver.url(name))

    delivery = await deliver_test_message(live, admin_live, webhook["id"])

    assert delivery["status"] == "failed"
    assert [a["status_code"] for a in delivery["attempts"]] == [307] * 6
    assert len(receiver.at(name)) == 6


async def execute(live: Live, sql: str, *args: Any) -> Any:
    conn = await asyncpg.connect(asyncpg_dsn(live.settings.database_url))
    try:
        return await conn.fetchval(sql, *args)
    finally:
        await conn.close()


async def test_an_endpoint_failing_for_a_day_is_disabled_with_the_reason(
    live: Live, admin_live: dict[str, str], receiver: Receiver
) -> None:
    name = f"failing-{uuid.uuid4().hex[:6]}"
    receiver.script[name] = [500] * 6
    webhook = await subscribe(live, admin_live, receiver.url(name))
    # As if every attempt had failed since yesterday.
    await execute(
        live,
        "UPDATE webhook_endpoints SET failing_since = now() - interval '25 hours' WHERE id = $1",
        uuid.UUID(webhook["id"]),
    )

    await deliver_test_message(live, admin_live, webhook["id"])
    fetched = (
        await live.client.get(f"/api/v1/webhooks/{webhook['id']}", headers=admin_live)
    ).json()
    [delivery] = await deliveries(live, admin_live, webhook["id"])

    assert fetched["enabled"] is False
    assert fetched["disabled_reason"].startswith("every delivery failed since")
    assert "HTTP 500" in fetched["disabled_reason"]
    assert delivery["status"] == "failed"
    assert len(delivery["attempts"]) == 1


async def test_a_delivery_claimed_by_a_replica_that_died_is_sent_after_its_lease(
    live: Live, admin_live: dict[str, str], receiver: Receiver
) -> None:
    name = f"orphaned-{uuid.uuid4().hex[:6]}"
    webhook = await subscribe(live, admin_live, receiver.url(name))
    sent = await deliver_test_message(live, admin_live, webhook["id"])

    # A replica claimed a delivery of the message (lease: 2 s) and was killed mid-attempt.
    leased_until = await execute(
        live,
        "INSERT INTO webhook_deliveries (id, endpoint_id, message_id, next_attempt_at) "
        "VALUES ($1, $2, $3, now() + interval '2 seconds') RETURNING next_attempt_at",
        uuid.uuid4(),
        uuid.UUID(webhook["id"]),
        sent["message_id"],
    )
    await settled(live, admin_live, webhook["id"], count=2)
    latest = (await deliveries(live, admin_live, webhook["id"]))[0]

    assert latest["status"] == "succeeded"
    assert datetime.fromisoformat(latest["attempts"][0]["attempted_at"]) >= leased_until
    assert len(receiver.at(name)) == 2


async def test_replicas_on_one_backlog_send_each_message_once(
    live: Live, admin_live: dict[str, str], receiver: Receiver
) -> None:
    """The live gateway's worker (two lanes of 100) and two more (batches of 7) drain one
    backlog of 400 at the same time."""
    name = f"backlog-{uuid.uuid4().hex[:6]}"
    webhook = await subscribe(live, admin_live, receiver.url(name))
    session_factory = live.app.state.runtime.session_factory
    settings = live.settings.model_copy(update={"webhook_batch_size": 7})
    async with WebhookSender(UrlGuard(True), live.settings.webhook_timeout_seconds, 2048) as sender:
        others = [DeliveryWorker(settings, session_factory, sender) for _ in range(2)]
        async with session_factory() as session, session.begin():
            repository = WebhookRepository(session)
            now = datetime.now(UTC)
            for n in range(400):
                message_id = f"msg_backlog{n}_{uuid.uuid4().hex[:8]}"
                await repository.add_message(message_id, "webhook.test", None, now, "{}")
                await repository.add_deliveries(message_id, [uuid.UUID(webhook["id"])], now)

        async def drain(worker: DeliveryWorker) -> int:
            sent = 0
            while claimed := await worker.run_once():
                sent += claimed
            return sent

        by_others = await asyncio.gather(*(drain(worker) for worker in others))
        await settled(live, admin_live, webhook["id"], count=400)

    ids = [r.headers["webhook-id"] for r in receiver.at(name)]
    assert len(ids) == 400
    assert len(set(ids)) == 400
    assert sum(by_others) > 0


async def test_finished_deliveries_and_their_messages_are_purged_after_the_retention(
    live: Live, admin_live: dict[str, str], receiver: Receiver
) -> None:
    webhook = await subscribe(live, admin_live, receiver.url(f"purged-{uuid.uuid4().hex[:6]}"))
    for _ in range(2):
        await live.client.post(f"/api/v1/webhooks/{webhook['id']}/test", headers=admin_live)
    await settled(live, admin_live, webhook["id"], count=2)
    aged, fresh = await deliveries(live, admin_live, webhook["id"])
    pending_id = uuid.uuid4()
    # One delivery and one still pending (e.g. a retry far out) queued 31 days ago.
    await execute(
        live,
        "UPDATE webhook_deliveries SET created_at = now() - interval '31 days' WHERE id = $1",
        uuid.UUID(aged["id"]),
    )
    await execute(
        live,
        "UPDATE webhook_messages SET created_at = now() - interval '31 days' WHERE id = $1",
        aged["message_id"],
    )
    await execute(
        live,
        "INSERT INTO webhook_deliveries (id, endpoint_id, message_id, next_attempt_at, "
        "created_at) VALUES ($1, $2, $3, now() + interval '1 day', now() - interval '31 days')",
        pending_id,
        uuid.UUID(webhook["id"]),
        fresh["message_id"],
    )
    worker = DeliveryWorker(live.settings, live.app.state.runtime.session_factory, None)  # type: ignore[arg-type]

    purged = await worker.purge(datetime.now(UTC))
    left = await deliveries(live, admin_live, webhook["id"])
    aged_message = await execute(
        live, "SELECT count(*) FROM webhook_messages WHERE id = $1", aged["message_id"]
    )
    aged_attempts = await execute(
        live, "SELECT count(*) FROM webhook_attempts WHERE delivery_id = $1", uuid.UUID(aged["id"])
    )

    assert purged >= 1
    assert {d["id"] for d in left} == {fresh["id"], str(pending_id)}
    assert (aged_message, aged_attempts) == (0, 0)


async def test_an_erased_contact_leaves_no_message_in_the_log_and_gets_none_sent(
    live: Live, admin_live: dict[str, str], receiver: Receiver
) -> None:
    sent = await subscribe(live, admin_live, receiver.url(f"erased-{uuid.uuid4().hex[:6]}"))
    event, other = detractor_event(), detractor_event()
    await publish(live, "surveys", [event, other])
    await settled(live, admin_live, sent["id"], count=2)
    erasure = ContactErasedV1(contact_id=uuid.UUID(event.data["contact_id"]), erased_at=NOW)

    await publish(
        live,
        "contacts",
        [
            CloudEvent(
                source="contacts",
                type=erasure.event_type,
                subject=event.subject,
                data=erasure.model_dump(mode="json"),
            )
        ],
    )

    async def erased() -> bool:
        left = await deliveries(live, admin_live, sent["id"])
        return [d["body"]["data"]["contact_id"] for d in left] == [other.data["contact_id"]]

    await eventually(erased, timeout=20, message="the erased contact's deliveries are gone")
    messages = await execute(
        live,
        "SELECT count(*) FROM webhook_messages WHERE contact_id = $1",
        erasure.contact_id,
    )
    assert messages == 0


async def test_an_endpoint_deleted_during_an_attempt_does_not_lose_the_rest_of_the_batch(
    live: Live, admin_live: dict[str, str], receiver: Receiver
) -> None:
    deleted = await subscribe(live, admin_live, receiver.url(f"deleted-{uuid.uuid4().hex[:6]}"))
    kept = await subscribe(live, admin_live, receiver.url(f"kept-{uuid.uuid4().hex[:6]}"))
    session_factory = live.app.state.runtime.session_factory
    # Due in an hour, so only the worker below (its clock two hours ahead) claims them.
    later = datetime.now(UTC) + timedelta(hours=1)
    async with session_factory() as session, session.begin():
        repository = WebhookRepository(session)
        message_id = f"msg_deleted{uuid.uuid4().hex[:12]}"
        await repository.add_message(message_id, "webhook.test", None, later, "{}")
        endpoint_ids = [uuid.UUID(deleted["id"]), uuid.UUID(kept["id"])]
        await repository.add_deliveries(message_id, endpoint_ids, later)

    class DeletingSender(WebhookSender):
        async def send(self, url: str, headers: dict[str, str], body: bytes) -> AttemptResult:
            if "/deleted-" in url:
                answer = await live.client.delete(
                    f"/api/v1/webhooks/{deleted['id']}", headers=admin_live
                )
                assert answer.status_code == 204
            return await super().send(url, headers, body)

    async with DeletingSender(UrlGuard(True), 2.0, 2048) as sender:
        worker = DeliveryWorker(live.settings, session_factory, sender)
        sent = await worker.run_once(later + timedelta(hours=1))
    [delivery] = await deliveries(live, admin_live, kept["id"])

    assert sent >= 2  # and whatever else of other tests is due by then
    assert delivery["status"] == "succeeded"
    assert len(delivery["attempts"]) == 1


async def test_retry_after_delays_the_next_attempt(
    live: Live, admin_live: dict[str, str], receiver: Receiver
) -> None:
    name = f"busy-{uuid.uuid4().hex[:6]}"
    receiver.script[name] = [(503, {"retry-after": "2"})]
    webhook = await subscribe(live, admin_live, receiver.url(name))

    delivery = await deliver_test_message(live, admin_live, webhook["id"])
    first, second = (datetime.fromisoformat(a["attempted_at"]) for a in delivery["attempts"])

    assert [a["status_code"] for a in delivery["attempts"]] == [503, 200]
    # The schedule alone would retry after 0.2 s.
    assert second - first >= timedelta(seconds=2)


async def test_a_batch_takes_at_most_its_share_of_one_endpoints_backlog(
    live: Live, admin_live: dict[str, str], receiver: Receiver
) -> None:
    """A backlog of 30 for one endpoint and 5 for another: a batch takes 8 of the first
    (webhook_endpoint_concurrency) and all 5 of the other. Due an hour from now, so the
    live worker leaves them alone; rolled back afterwards."""
    busy = await subscribe(live, admin_live, receiver.url(f"busy-{uuid.uuid4().hex[:6]}"))
    quiet = await subscribe(live, admin_live, receiver.url(f"quiet-{uuid.uuid4().hex[:6]}"))
    later = datetime.now(UTC) + timedelta(hours=1)
    session_factory = live.app.state.runtime.session_factory
    async with session_factory() as session, session.begin():
        repository = WebhookRepository(session)
        for endpoint, count in ((busy, 30), (quiet, 5)):
            for n in range(count):
                message_id = f"msg_share{n}_{uuid.uuid4().hex[:8]}"
                await repository.add_message(message_id, "webhook.test", None, later, "{}")
                await repository.add_deliveries(message_id, [uuid.UUID(endpoint["id"])], later)
        claimed = await DeliveryQueue(session).claim(
            200, later + timedelta(minutes=1), timedelta(seconds=60), per_endpoint=8
        )
        by_endpoint = Counter(str(delivery.endpoint_id) for delivery in claimed)
        await session.rollback()

    assert by_endpoint[busy["id"]] == 8
    assert by_endpoint[quiet["id"]] == 5
