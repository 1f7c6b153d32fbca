"""Domain events of contacts-service turned into the public event contracts."""

from __future__ import annotations

from decimal import Decimal

from contacts.domain.interactions import InteractionLogged
from contacts.domain.model import Contact, ContactCreated, ContactUpdated, DomainEvent
from contacts.domain.orders import Order, OrderRecorded
from contacts.domain.products import Product, ProductCreated, ProductEvent, ProductUpdated
from treue.events.contracts import (
    ContactCreatedV1,
    ContactUpdatedV1,
    EventContract,
    InteractionLoggedV1,
    OrderLineV1,
    OrderRecordedV1,
    ProductCreatedV1,
    ProductUpdatedV1,
)

AnyDomainEvent = DomainEvent | InteractionLogged | ProductEvent | OrderRecorded


def _decimal(amount: Decimal | None) -> str | None:
    return str(amount) if amount is not None else None


def _snapshot(contact: Contact) -> dict[str, object]:
    return {
        "contact_id": contact.id,
        "version": contact.version,
        "first_name": contact.first_name,
        "last_name": contact.last_name,
        "email": contact.email,
        "company": contact.company,
        "language": contact.language,
        "lifecycle_stage": contact.lifecycle_stage,
        "tags": list(contact.tags),
        "acquisition_channel": contact.acquisition_channel,
        "acquisition_cost": _decimal(contact.acquisition_cost),
    }


def _product(product: Product) -> dict[str, object]:
    return {
        "product_id": product.id,
        "version": product.version,
        "sku": product.sku,
        "name": product.name,
        "price": str(product.price),
        "unit_cost": str(product.unit_cost),
        "currency": product.currency,
        "active": product.active,
    }


def _order(order: Order) -> OrderRecordedV1:
    lines = [
        OrderLineV1(
            line_no=line.line_no,
            product_id=line.product_id,
            sku=line.sku,
            quantity=str(line.quantity),
            unit_price=str(line.unit_price),
            unit_cost=str(line.unit_cost),
            revenue=str(line.revenue),
            cost=str(line.cost),
        )
        for line in order.lines
    ]
    return OrderRecordedV1(
        order_id=order.id,
        contact_id=order.contact_id,
        external_id=order.external_id,
        ordered_at=order.ordered_at,
        currency=order.currency,
        revenue=str(order.revenue),
        cost=str(order.cost),
        lines=lines,
        recorded_at=order.created_at,
    )


def to_contract(event: AnyDomainEvent) -> EventContract:
    match event:
        case ContactCreated(contact=contact):
            return ContactCreatedV1(**_snapshot(contact), created_at=contact.created_at)
        case ContactUpdated(contact=contact, changed_fields=changed):
            return ContactUpdatedV1(
                **_snapshot(contact), updated_at=contact.updated_at, changed_fields=list(changed)
            )
        case InteractionLogged(interaction=interaction):
            return InteractionLoggedV1(
                interaction_id=interaction.id,
                contact_id=interaction.contact_id,
                kind=interaction.kind,
                direction=interaction.direction,
                channel=interaction.channel,
                occurred_at=interaction.occurred_at,
                sentiment=interaction.sentiment,
                cost=_decimal(interaction.cost),
                currency=interaction.currency,
                logged_at=interaction.created_at,
            )
        case ProductCreated(product=product):
            return ProductCreatedV1(**_product(product), created_at=product.created_at)
        case ProductUpdated(product=product, changed_fields=changed):
            return ProductUpdatedV1(
                **_product(product), updated_at=product.updated_at, changed_fields=list(changed)
            )
        case OrderRecorded(order=order):
            return _order(order)
