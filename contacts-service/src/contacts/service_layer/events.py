"""Domain events of contacts-service turned into the public event contracts."""

from __future__ import annotations

from decimal import Decimal

from contacts.domain.contracts import (
    Contract,
    ContractCancelled,
    ContractCreated,
    ContractEvent,
    ContractRenewalDue,
    ContractRenewed,
    ContractUpdated,
)
from contacts.domain.interactions import InteractionLogged
from contacts.domain.model import (
    Contact,
    ContactCreated,
    ContactErased,
    ContactMerged,
    ContactUpdated,
    CustomerChurned,
    CustomerWonBack,
    DomainEvent,
)
from contacts.domain.orders import Order, OrderRecorded
from contacts.domain.products import Product, ProductCreated, ProductEvent, ProductUpdated
from contacts.domain.tasks import Task, TaskCompleted, TaskCreated, TaskEvent, TaskUpdated
from treue.events.contracts import (
    ContactCreatedV1,
    ContactErasedV1,
    ContactMergedV1,
    ContactUpdatedV1,
    ContractCancelledV1,
    ContractCreatedV1,
    ContractRenewalDueV1,
    ContractRenewedV1,
    ContractUpdatedV1,
    CustomerChurnedV1,
    CustomerWonBackV1,
    EventContract,
    InteractionLoggedV1,
    OrderLineV1,
    OrderRecordedV1,
    ProductCreatedV1,
    ProductUpdatedV1,
    TaskCompletedV1,
    TaskCreatedV1,
    TaskUpdatedV1,
)

AnyDomainEvent = (
    DomainEvent | InteractionLogged | ProductEvent | OrderRecorded | ContractEvent | TaskEvent
)


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


def _contract(contract: Contract) -> dict[str, object]:
    return {
        "contract_id": contract.id,
        "contact_id": contract.contact_id,
        "product_id": contract.product_id,
        "version": contract.version,
        "start_date": contract.start_date,
        "end_date": contract.end_date,
        "notice_period_days": contract.notice_period_days,
        "auto_renew": contract.auto_renew,
        "monthly_value": str(contract.monthly_value),
        "currency": contract.currency,
        "status": contract.status,
    }


def _task(task: Task) -> dict[str, object]:
    return {
        "task_id": task.id,
        "contact_id": task.contact_id,
        "version": task.version,
        "title": task.title,
        "title_code": task.title_code,
        "title_params": task.title_params,
        "due_at": task.due_at,
        "assignee_id": task.assignee_id,
        "status": task.status,
        "origin": task.origin,
        "completed_at": task.completed_at,
    }


def _contract_event(event: ContractEvent) -> EventContract:
    match event:
        case ContractCreated(contract=contract):
            return ContractCreatedV1(**_contract(contract), created_at=contract.created_at)
        case ContractUpdated(contract=contract, changed_fields=changed):
            return ContractUpdatedV1(
                **_contract(contract), updated_at=contract.updated_at, changed_fields=list(changed)
            )
        case ContractRenewed(contract=contract, previous_end_date=previous_end):
            return ContractRenewedV1(
                **_contract(contract),
                previous_end_date=previous_end,
                renewed_at=contract.updated_at,
            )
        case ContractCancelled(contract=contract, reason=reason):
            return ContractCancelledV1(
                **_contract(contract), reason=reason, cancelled_at=contract.updated_at
            )
        case ContractRenewalDue(contract, notice_date, task_id, detected_at):
            return ContractRenewalDueV1(
                **_contract(contract),
                notice_date=notice_date,
                task_id=task_id,
                detected_at=detected_at,
            )


def _task_event(event: TaskEvent) -> EventContract:
    match event:
        case TaskCreated(task=task):
            return TaskCreatedV1(**_task(task), created_at=task.created_at)
        case TaskUpdated(task=task, changed_fields=changed):
            return TaskUpdatedV1(
                **_task(task), updated_at=task.updated_at, changed_fields=list(changed)
            )
        case TaskCompleted(task=task):
            return TaskCompletedV1(**_task(task))


def to_contract(event: AnyDomainEvent) -> EventContract:
    if isinstance(
        event,
        ContractCreated
        | ContractUpdated
        | ContractRenewed
        | ContractCancelled
        | ContractRenewalDue,
    ):
        return _contract_event(event)
    if isinstance(event, TaskCreated | TaskUpdated | TaskCompleted):
        return _task_event(event)
    return _contact_and_sales_event(event)


def _contact_and_sales_event(
    event: DomainEvent | InteractionLogged | ProductEvent | OrderRecorded,
) -> EventContract:
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
        case ContactErased(contact=contact, erased_at=erased_at):
            return ContactErasedV1(contact_id=contact.id, erased_at=erased_at)
        case ContactMerged(contact=contact, duplicate_id=duplicate_id, merged_at=merged_at):
            return ContactMergedV1(
                contact_id=contact.id, duplicate_id=duplicate_id, merged_at=merged_at
            )
        case CustomerChurned(contact, reason, note, churned_at):
            return CustomerChurnedV1(
                contact_id=contact.id, reason=reason, note=note, churned_at=churned_at
            )
        case CustomerWonBack(contact, reason, churned_at, won_back_at):
            return CustomerWonBackV1(
                contact_id=contact.id,
                reason=reason,
                churned_at=churned_at,
                won_back_at=won_back_at,
            )
