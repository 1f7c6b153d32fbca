"""HTTP routes of orders: thin, they parse, call a handler and shape the answer."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Depends, Response, status

from contacts.entrypoints.dependencies import RulesDep, UowDep, problem_responses
from contacts.entrypoints.order_schemas import OrderCreate, OrderRead
from contacts.service_layer import order_handlers
from treue.identity import CurrentIdentity, current_identity
from treue.pagination import Cursor, Limit, Page, decode_cursor
from treue.problems import NotFound

router = APIRouter(
    prefix="/api/v1/orders", tags=["orders"], dependencies=[Depends(current_identity)]
)


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    response_model=OrderRead,
    responses={
        200: {"model": OrderRead, "description": "An order with this external_id existed: it"},
        **problem_responses(403),
    },
)
async def record_order(
    body: OrderCreate,
    response: Response,
    uow: UowDep,
    rules: RulesDep,
    identity: CurrentIdentity,
) -> OrderRead:
    """Records an order once per `external_id`: posting the same external id again answers
    200 with the order recorded first, and records and emits nothing. A new order gets a
    follow-up task due some days after `ordered_at` (`follow_up_after_days` of GET
    /api/v1/settings/contacts, 14 by default), unless that day passed."""
    identity.require_scope("contacts:write")
    command = order_handlers.RecordOrder(
        contact_id=body.contact_id,
        external_id=body.external_id,
        ordered_at=body.ordered_at,
        currency=body.currency,
        lines=[
            order_handlers.OrderLineInput(
                line.product_id, line.sku, line.quantity, line.unit_price, line.unit_cost
            )
            for line in body.lines
        ],
        follow_up_after_days=rules.follow_up_after_days,
    )
    recorded = await order_handlers.record_order(command, uow)
    if not recorded.created:
        response.status_code = status.HTTP_200_OK
    return OrderRead.model_validate(recorded.order)


@router.get("", response_model=Page[OrderRead])
async def list_orders(
    uow: UowDep,
    identity: CurrentIdentity,
    contact_id: uuid.UUID | None = None,
    limit: Limit = 50,
    cursor: Cursor = None,
) -> Page[OrderRead]:
    """Newest first."""
    identity.require_scope("contacts:read")
    position = decode_cursor(cursor, 2) if cursor else None
    async with uow:
        rows = await uow.orders.page(contact_id, limit + 1, position)
        return Page.of(
            rows,
            limit,
            key=lambda order: [order.ordered_at.isoformat(), str(order.id)],
            item=OrderRead.model_validate,
        )


@router.get("/{order_id}", response_model=OrderRead, responses=problem_responses(404))
async def get_order(order_id: uuid.UUID, uow: UowDep, identity: CurrentIdentity) -> OrderRead:
    identity.require_scope("contacts:read")
    async with uow:
        order = await uow.orders.get(order_id)
    if order is None:
        raise NotFound(f"order {order_id} does not exist")
    return OrderRead.model_validate(order)
