"""Webhook subscriptions, their delivery log and the operations on them.

Admins (or API keys with the webhooks:manage scope) manage them; the role policy guards
the whole /api/v1/webhooks prefix.
"""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Annotated

import orjson
from fastapi import APIRouter, Depends, Request, Response, status

from gateway.adapters.webhook_http import UrlGuard
from gateway.entrypoints.authentication import CurrentPrincipal
from gateway.entrypoints.dependencies import (
    RATE_LIMITED,
    TOO_LARGE,
    UowDep,
    problems,
)
from gateway.entrypoints.webhook_schemas import (
    AttemptRead,
    DeliveryQueued,
    DeliveryRead,
    RedeliveriesQueued,
    RedeliverSince,
    SecretRotated,
    WebhookCreate,
    WebhookCreated,
    WebhookRead,
    WebhookUpdate,
)
from gateway.service_layer import webhooks as handlers
from treue.pagination import Cursor, Limit, Page, decode_cursor
from treue.problems import NotFound

router = APIRouter(
    prefix="/api/v1/webhooks",
    tags=["webhooks"],
    responses=problems(
        s403="Only admins (or API keys with the webhooks:manage scope)", s429=RATE_LIMITED
    ),
)
NOT_FOUND = "No such webhook"
DISABLED = "The webhook is disabled; enable it first"


async def url_guard(request: Request) -> UrlGuard:
    return UrlGuard(request.app.state.settings.webhooks_allow_private_urls)


GuardDep = Annotated[UrlGuard, Depends(url_guard)]


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    response_model=WebhookCreated,
    summary="Subscribe an endpoint; its signing secret is shown only in this answer",
    description="Deliveries follow the Standard Webhooks specification (see the `webhooks` "
    "section of this document for each event type). URLs whose host resolves to loopback, "
    "link-local, private or reserved addresses are refused (422 naming `url`).",
    responses=problems(s413=TOO_LARGE),
)
async def create_webhook(
    body: WebhookCreate,
    uow: UowDep,
    guard: GuardDep,
    principal: CurrentPrincipal,
    response: Response,
) -> WebhookCreated:
    created_by = principal.id if principal.kind == "user" else None
    command = handlers.CreateEndpoint(
        body.url, [t.value for t in body.event_types], body.description, body.enabled, created_by
    )
    endpoint = await handlers.create_endpoint(command, uow, guard)
    response.headers["Location"] = f"{router.prefix}/{endpoint.id}"
    return WebhookCreated.model_validate(
        {**WebhookRead.model_validate(endpoint).model_dump(), "secret": endpoint.secret}
    )


@router.get("", response_model=Page[WebhookRead], summary="List webhooks, newest first")
async def list_webhooks(uow: UowDep, limit: Limit = 50, cursor: Cursor = None) -> Page[WebhookRead]:
    position = decode_cursor(cursor, 2) if cursor else None
    async with uow:
        rows = await uow.webhooks.page(limit + 1, position)
    return Page.of(
        rows,
        limit,
        key=lambda endpoint: [endpoint.created_at.isoformat(), str(endpoint.id)],
        item=WebhookRead.model_validate,
    )


@router.get(
    "/{webhook_id}",
    response_model=WebhookRead,
    summary="One webhook, with why it is disabled if it is",
    responses=problems(s404=NOT_FOUND),
)
async def get_webhook(webhook_id: uuid.UUID, uow: UowDep) -> WebhookRead:
    async with uow:
        endpoint = await uow.webhooks.get(webhook_id)
        if endpoint is None:
            raise NotFound(f"webhook {webhook_id} does not exist")
        return WebhookRead.model_validate(endpoint)


@router.patch(
    "/{webhook_id}",
    response_model=WebhookRead,
    summary="Change a webhook; `enabled: true` re-enables it",
    description="Disabling fails the deliveries still pending; after re-enabling, "
    "POST /redeliver with `since` sends what the endpoint missed.",
    responses=problems(s404=NOT_FOUND, s413=TOO_LARGE),
)
async def update_webhook(
    webhook_id: uuid.UUID, body: WebhookUpdate, uow: UowDep, guard: GuardDep
) -> WebhookRead:
    changes = body.model_dump(exclude_unset=True, mode="json")
    endpoint = await handlers.update_endpoint(
        handlers.UpdateEndpoint(webhook_id, changes), uow, guard
    )
    return WebhookRead.model_validate(endpoint)


@router.delete(
    "/{webhook_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Delete a webhook and its delivery log",
    responses=problems(s404=NOT_FOUND),
)
async def delete_webhook(webhook_id: uuid.UUID, uow: UowDep) -> Response:
    await handlers.delete_endpoint(webhook_id, uow)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post(
    "/{webhook_id}/rotate-secret",
    response_model=SecretRotated,
    summary="Replace the signing secret; the old one keeps signing for an overlap",
    description="During the overlap (24 h by default) every delivery carries two "
    "signatures in `webhook-signature`, separated by a space: the new secret's and the "
    "old one's, so the subscriber can switch without losing a message.",
    responses=problems(s404=NOT_FOUND),
)
async def rotate_secret(webhook_id: uuid.UUID, uow: UowDep, request: Request) -> SecretRotated:
    overlap = timedelta(seconds=request.app.state.settings.webhook_secret_overlap_seconds)
    endpoint = await handlers.rotate_secret(webhook_id, uow, overlap)
    assert endpoint.previous_secret_expires_at is not None
    return SecretRotated(
        secret=endpoint.secret, previous_secret_expires_at=endpoint.previous_secret_expires_at
    )


@router.get(
    "/{webhook_id}/deliveries",
    response_model=Page[DeliveryRead],
    summary="The delivery log: each message sent, its attempts, status codes and times",
    responses=problems(s404=NOT_FOUND),
)
async def list_deliveries(
    webhook_id: uuid.UUID, uow: UowDep, limit: Limit = 50, cursor: Cursor = None
) -> Page[DeliveryRead]:
    position = decode_cursor(cursor, 2) if cursor else None
    async with uow:
        if await uow.webhooks.get(webhook_id) is None:
            raise NotFound(f"webhook {webhook_id} does not exist")
        rows = await uow.webhooks.deliveries_page(webhook_id, limit + 1, position)
        attempts = await uow.webhooks.attempts_of([row.id for row in rows[:limit]])
    by_delivery: dict[uuid.UUID, list[AttemptRead]] = {}
    for attempt in attempts:
        by_delivery.setdefault(attempt.delivery_id, []).append(AttemptRead.model_validate(attempt))
    return Page.of(
        rows,
        limit,
        key=lambda row: [row.created_at.isoformat(), str(row.id)],
        item=lambda row: DeliveryRead(
            id=row.id,
            message_id=row.message_id,
            event_type=row.event_type,
            status=row.status,
            attempt_count=row.attempts,
            next_attempt_at=row.next_attempt_at,
            created_at=row.created_at,
            finished_at=row.finished_at,
            body=orjson.loads(row.body),
            attempts=by_delivery.get(row.id, []),
        ),
    )


@router.post(
    "/{webhook_id}/deliveries/{delivery_id}/redeliver",
    status_code=status.HTTP_202_ACCEPTED,
    response_model=DeliveryQueued,
    summary="Send one message again (same webhook-id), as a new delivery",
    responses=problems(s404="No such webhook or delivery", s409=DISABLED),
)
async def redeliver(webhook_id: uuid.UUID, delivery_id: uuid.UUID, uow: UowDep) -> DeliveryQueued:
    return DeliveryQueued(delivery_id=await handlers.redeliver(webhook_id, delivery_id, uow))


@router.post(
    "/{webhook_id}/redeliver",
    status_code=status.HTTP_202_ACCEPTED,
    response_model=RedeliveriesQueued,
    summary="Send again every message since a time that did not arrive",
    description="For an endpoint that was down or disabled: each message queued for it "
    "since `since` whose deliveries all failed is delivered anew (same webhook-id).",
    responses=problems(s404=NOT_FOUND, s409=DISABLED, s413=TOO_LARGE),
)
async def redeliver_since(
    webhook_id: uuid.UUID, body: RedeliverSince, uow: UowDep
) -> RedeliveriesQueued:
    return RedeliveriesQueued(queued=await handlers.redeliver_since(webhook_id, body.since, uow))


@router.post(
    "/{webhook_id}/test",
    status_code=status.HTTP_202_ACCEPTED,
    response_model=DeliveryQueued,
    summary="Send a `webhook.test` message to this endpoint",
    responses=problems(s404=NOT_FOUND, s409=DISABLED),
)
async def send_test(webhook_id: uuid.UUID, uow: UowDep) -> DeliveryQueued:
    return DeliveryQueued(delivery_id=await handlers.send_test(webhook_id, uow))
