"""Creating and changing products."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from contacts.domain.products import Product
from contacts.domain.rules import RuleViolated
from contacts.service_layer.errors import rule_problem
from contacts.service_layer.events import to_contract
from contacts.service_layer.unit_of_work import ContactsUnitOfWork
from treue.problems import ALREADY_USED, Conflict, FieldError, NotFound


@dataclass(frozen=True)
class CreateProduct:
    details: dict[str, Any]


@dataclass(frozen=True)
class UpdateProduct:
    product_id: uuid.UUID
    changes: dict[str, Any]


async def create_product(command: CreateProduct, uow: ContactsUnitOfWork) -> Product:
    async with uow:
        await _check_sku_free(uow, command.details["sku"])
        try:
            product = Product.create(datetime.now(UTC), **command.details)
        except RuleViolated as error:
            raise rule_problem(error) from error
        uow.products.add(product)
        _publish(uow, product)
        await uow.commit()
        return product


async def update_product(command: UpdateProduct, uow: ContactsUnitOfWork) -> Product:
    async with uow:
        product = await uow.products.get(command.product_id, for_update=True)
        if product is None:
            raise NotFound(f"product {command.product_id} does not exist")
        new_sku = command.changes.get("sku")
        if new_sku is not None and new_sku != product.sku:
            await _check_sku_free(uow, new_sku)
        try:
            product.update(datetime.now(UTC), command.changes)
        except RuleViolated as error:
            raise rule_problem(error) from error
        _publish(uow, product)
        await uow.commit()
        return product


def _publish(uow: ContactsUnitOfWork, product: Product) -> None:
    for event in product.pull_events():
        uow.publish(to_contract(event), subject=str(product.id))


async def _check_sku_free(uow: ContactsUnitOfWork, sku: str) -> None:
    # The unique index decides a race; this check gives the common case a clear message.
    if await uow.products.sku_taken(sku):
        raise Conflict(
            f"a product with the SKU {sku} exists already",
            errors=[
                FieldError(
                    field="sku", message="already used by another product", code=ALREADY_USED
                )
            ],
        )
