"""Recording orders: once per external id, with the lead who buys turned into a customer."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal

from contacts.domain.model import Contact
from contacts.domain.orders import LineRequest, Order
from contacts.domain.products import Product
from contacts.domain.rules import RuleViolated
from contacts.domain.tasks import Task, order_follow_up
from contacts.service_layer.errors import rule_problem
from contacts.service_layer.events import to_contract
from contacts.service_layer.unit_of_work import ContactsUnitOfWork
from treue.problems import Conflict, FieldError, Problem, not_found


@dataclass(frozen=True)
class OrderLineInput:
    product_id: uuid.UUID | None
    sku: str | None
    quantity: Decimal
    unit_price: Decimal | None
    unit_cost: Decimal | None


@dataclass(frozen=True)
class RecordOrder:
    contact_id: uuid.UUID
    external_id: str | None
    ordered_at: datetime
    currency: str
    lines: Sequence[OrderLineInput]
    # The follow-up task is due this many days after the order (the service's setting).
    follow_up_after_days: int = 14


@dataclass(frozen=True)
class Recorded:
    order: Order
    created: bool


async def record_order(command: RecordOrder, uow: ContactsUnitOfWork) -> Recorded:
    async with uow:
        if command.external_id is not None:
            existing = await uow.orders.by_external_id(command.external_id)
            if existing is not None:
                return Recorded(existing, created=False)
        order = await _record(command, uow)
        try:
            await uow.commit()
        except Conflict:
            # Lost a race against a concurrent post of the same external id: the unique
            # index refused ours, so the answer is the order that won.
            winner = await _recorded_meanwhile(uow, command.external_id)
            if winner is None:
                raise
            return Recorded(winner, created=False)
        return Recorded(order, created=True)


async def _record(command: RecordOrder, uow: ContactsUnitOfWork) -> Order:
    now = datetime.now(UTC)
    # Locked: the first order of a lead changes the contact, and its version must not race.
    contact = await uow.contacts.get(command.contact_id, for_update=True)
    if contact is None:
        raise not_found("contact_id", command.contact_id, "no contact with the id {id}")
    products = await _products_of(command.lines, uow)
    requests = [
        LineRequest(product, line.quantity, line.unit_price, line.unit_cost)
        for product, line in zip(products, command.lines, strict=True)
    ]
    try:
        order = Order.record(
            contact_id=contact.id,
            external_id=command.external_id,
            ordered_at=command.ordered_at,
            currency=command.currency,
            requests=requests,
            now=now,
        )
    except RuleViolated as error:
        raise rule_problem(error) from error
    contact.record_purchase(now)
    uow.orders.add(order)
    for event in order.pull_events():
        uow.publish(to_contract(event), subject=str(contact.id))
    for contact_event in contact.pull_events():
        uow.publish(to_contract(contact_event), subject=str(contact.id))
    plan_follow_up(uow, order, contact, command.follow_up_after_days, now)
    return order


def plan_follow_up(
    uow: ContactsUnitOfWork, order: Order, contact: Contact, after_days: int, now: datetime
) -> None:
    """The follow-up task, in the order's unit of work: both are recorded or neither."""
    task = follow_up_task(order, contact, after_days, now)
    if task is not None:
        uow.tasks.add(task)
        for event in task.pull_events():
            uow.publish(to_contract(event), subject=str(contact.id))


def follow_up_task(order: Order, contact: Contact, after_days: int, now: datetime) -> Task | None:
    """The task to call the customer after the order (none when follow-ups are off)."""
    return order_follow_up(
        now,
        contact_id=contact.id,
        assignee_id=contact.owner_id,
        language=contact.language,
        order_id=order.id,
        order_label=order.external_id or str(order.id)[:8],
        ordered_at=order.ordered_at,
        after_days=after_days,
    )


async def _products_of(lines: Sequence[OrderLineInput], uow: ContactsUnitOfWork) -> list[Product]:
    """The product of each line, found by id or SKU; every unknown one is named."""
    by_id = await uow.products.by_ids({line.product_id for line in lines if line.product_id})
    by_sku = await uow.products.by_skus({line.sku for line in lines if line.sku})
    found: list[Product] = []
    errors: list[FieldError] = []
    for index, line in enumerate(lines):
        where = f"lines[{index}]"
        product = by_id.get(line.product_id) if line.product_id else None
        named = by_sku.get(line.sku) if line.sku else None
        chosen = product or named
        if line.product_id and product is None:
            errors.append(FieldError(field=f"{where}.product_id", message="no such product"))
        elif line.sku and named is None:
            errors.append(FieldError(field=f"{where}.sku", message="no product with this SKU"))
        elif product and named and product.id != named.id:
            errors.append(FieldError(field=f"{where}.sku", message="is not the product_id's SKU"))
        elif chosen is None:
            errors.append(FieldError(field=f"{where}.sku", message="product_id or sku is required"))
        else:
            found.append(chosen)
    if errors:
        raise Problem(
            "; ".join(f"{error.field}: {error.message}" for error in errors[:5]),
            errors=errors,
            status=422,
            slug="validation",
            title="The request is not valid",
        )
    return found


async def _recorded_meanwhile(uow: ContactsUnitOfWork, external_id: str | None) -> Order | None:
    if external_id is None:
        return None
    await uow.rollback()
    return await uow.orders.by_external_id(external_id)
