"""Command handlers of the webhooks, and the dispatcher that turns Kafka events into
messages and deliveries; only the unit of work (or the inbox transaction) commits."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import orjson
from sqlalchemy.ext.asyncio import AsyncSession

from gateway.adapters.webhook_http import UrlGuard
from gateway.adapters.webhook_repository import WebhookRepository
from gateway.domain.webhooks import (
    TEST_EVENT_TYPE,
    Endpoint,
    Message,
    UnsafeUrl,
    generate_secret,
    message_id_for,
)
from gateway.service_layer.unit_of_work import GatewayUnitOfWork
from gateway.service_layer.webhook_catalogue import BY_SOURCE, WebhookTestData
from treue.events.contracts import ContactErasedV1
from treue.events.envelope import CloudEvent
from treue.inbox import BatchHandler, Handler
from treue.problems import Conflict, NotFound, ValidationFailed


@dataclass(frozen=True)
class CreateEndpoint:
    url: str
    event_types: list[str]
    description: str
    enabled: bool
    created_by: uuid.UUID | None


@dataclass(frozen=True)
class UpdateEndpoint:
    endpoint_id: uuid.UUID
    changes: dict[str, Any] = field(default_factory=dict)


async def check_url(guard: UrlGuard, url: str) -> None:
    try:
        await guard.check(url)
    except UnsafeUrl as error:
        raise ValidationFailed("url", str(error)) from error


async def create_endpoint(
    command: CreateEndpoint, uow: GatewayUnitOfWork, guard: UrlGuard
) -> Endpoint:
    await check_url(guard, command.url)
    now = datetime.now(UTC)
    endpoint = Endpoint(
        id=uuid.uuid4(),
        url=command.url,
        event_types=list(dict.fromkeys(command.event_types)),
        description=command.description,
        enabled=command.enabled,
        secret=generate_secret(),
        created_by=command.created_by,
        created_at=now,
        updated_at=now,
    )
    async with uow:
        uow.webhooks.add(endpoint)
        await uow.commit()
    return endpoint


async def _existing(uow: GatewayUnitOfWork, endpoint_id: uuid.UUID) -> Endpoint:
    endpoint = await uow.webhooks.get(endpoint_id, for_update=True)
    if endpoint is None:
        raise NotFound(f"webhook {endpoint_id} does not exist")
    return endpoint


async def update_endpoint(
    command: UpdateEndpoint, uow: GatewayUnitOfWork, guard: UrlGuard
) -> Endpoint:
    changes = dict(command.changes)
    if "url" in changes:
        await check_url(guard, changes["url"])
    if "event_types" in changes:
        changes["event_types"] = list(dict.fromkeys(changes["event_types"]))
    now = datetime.now(UTC)
    async with uow:
        endpoint = await _existing(uow, command.endpoint_id)
        endpoint.change(changes, now)
        if not endpoint.enabled:
            await uow.webhooks.fail_pending(endpoint.id, now)
        await uow.commit()
        return endpoint


async def delete_endpoint(endpoint_id: uuid.UUID, uow: GatewayUnitOfWork) -> None:
    async with uow:
        await uow.webhooks.delete(await _existing(uow, endpoint_id))
        await uow.commit()


async def rotate_secret(
    endpoint_id: uuid.UUID, uow: GatewayUnitOfWork, overlap: timedelta
) -> Endpoint:
    async with uow:
        endpoint = await _existing(uow, endpoint_id)
        endpoint.rotate_secret(generate_secret(), datetime.now(UTC), overlap)
        await uow.commit()
        return endpoint


def _require_enabled(endpoint: Endpoint) -> None:
    if not endpoint.enabled:
        raise Conflict(
            "the webhook is disabled; enable it first (PATCH enabled: true)",
            slug="webhook-disabled",
            title="Webhook disabled",
        )


async def redeliver(
    endpoint_id: uuid.UUID, delivery_id: uuid.UUID, uow: GatewayUnitOfWork
) -> uuid.UUID:
    """A new delivery of the same message (same webhook-id), due now."""
    async with uow:
        endpoint = await _existing(uow, endpoint_id)
        delivery = await uow.webhooks.delivery(endpoint_id, delivery_id)
        if delivery is None:
            raise NotFound(f"delivery {delivery_id} of webhook {endpoint_id} does not exist")
        _require_enabled(endpoint)
        [created] = await uow.webhooks.add_deliveries(
            delivery.message_id, [endpoint_id], datetime.now(UTC)
        )
        await uow.commit()
        return created


async def redeliver_since(endpoint_id: uuid.UUID, since: datetime, uow: GatewayUnitOfWork) -> int:
    """Every message since `since` that this endpoint has not received, e.g. after it was
    disabled or down; how many were queued."""
    async with uow:
        endpoint = await _existing(uow, endpoint_id)
        _require_enabled(endpoint)
        message_ids = await uow.webhooks.unsuccessful_messages_since(endpoint_id, since)
        now = datetime.now(UTC)
        for message_id in message_ids:
            await uow.webhooks.add_deliveries(message_id, [endpoint_id], now)
        await uow.commit()
        return len(message_ids)


async def send_test(endpoint_id: uuid.UUID, uow: GatewayUnitOfWork) -> uuid.UUID:
    now = datetime.now(UTC)
    data = WebhookTestData(endpoint_id=endpoint_id, message="a test from Treue")
    message = Message(message_id_for(), TEST_EVENT_TYPE, now, data.model_dump(mode="json"))
    async with uow:
        _require_enabled(await _existing(uow, endpoint_id))
        await uow.webhooks.add_message(message.id, message.event_type, None, now, _body(message))
        [created] = await uow.webhooks.add_deliveries(message.id, [endpoint_id], now)
        await uow.commit()
        return created


def _body(message: Message) -> str:
    return orjson.dumps(message.payload()).decode()


async def dispatch(session: AsyncSession, events: list[CloudEvent]) -> None:
    """Inbox handler of a run of events: one message per event and one delivery per
    subscribed endpoint, in the inbox transaction, so a crash between Kafka and the
    subscribers loses nothing. The subscribers of a type are read once per run: most events
    (every contact created) have none, and a query per event was most of their cost."""
    webhooks = WebhookRepository(session)
    subscribers_of: dict[str, list[uuid.UUID]] = {}
    for event in events:
        entry = BY_SOURCE[event.type]
        data = entry.data.model_validate(event.data).model_dump(mode="json")
        if entry.event_type not in subscribers_of:
            subscribers_of[entry.event_type] = await webhooks.subscribers(entry.event_type)
        subscribers = subscribers_of[entry.event_type]
        if not subscribers:
            continue
        message = Message(message_id_for(event.id), entry.event_type, event.time, data, event.id)
        contact_id = data.get("contact_id")
        if await webhooks.add_message(
            message.id,
            message.event_type,
            event.id,
            message.timestamp,
            _body(message),
            uuid.UUID(contact_id) if contact_id else None,
        ):
            await webhooks.add_deliveries(message.id, subscribers, datetime.now(UTC))


async def on_contact_erased(session: AsyncSession, event: CloudEvent) -> None:
    """GDPR erasure: no message about the person stays in the log or is still sent."""
    erasure = ContactErasedV1.model_validate(event.data)
    await WebhookRepository(session).erase_contact(erasure.contact_id)


EVENT_HANDLERS: dict[str, Handler] = dict.fromkeys(BY_SOURCE, BatchHandler(dispatch))
EVENT_HANDLERS[ContactErasedV1.event_type] = on_contact_erased
