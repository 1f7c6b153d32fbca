"""Contracts: creating, changing, renewing and cancelling them."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from contacts.domain.contracts import Contract
from contacts.service_layer.errors import domain_errors
from contacts.service_layer.events import to_contract
from contacts.service_layer.unit_of_work import ContactsUnitOfWork
from treue.problems import NotFound, ValidationFailed, not_found


@dataclass(frozen=True)
class CreateContract:
    details: dict[str, Any]


@dataclass(frozen=True)
class UpdateContract:
    contract_id: uuid.UUID
    changes: dict[str, Any]


@dataclass(frozen=True)
class RenewContract:
    contract_id: uuid.UUID


@dataclass(frozen=True)
class CancelContract:
    contract_id: uuid.UUID
    reason: str


async def create_contract(command: CreateContract, uow: ContactsUnitOfWork) -> Contract:
    async with uow:
        details = command.details
        if await uow.contacts.get(details["contact_id"]) is None:
            contact_id = details["contact_id"]
            raise not_found("contact_id", contact_id, "no contact with the id {id}")
        await _require_product(uow, details["product_id"])
        with domain_errors():
            contract = Contract.create(datetime.now(UTC), **details)
        uow.contracts.add(contract)
        publish(uow, contract)
        await uow.commit()
        return contract


async def update_contract(command: UpdateContract, uow: ContactsUnitOfWork) -> Contract:
    async with uow:
        contract = await _locked(uow, command.contract_id)
        if command.changes.get("product_id") is not None:
            await _require_product(uow, command.changes["product_id"])
        with domain_errors():
            contract.update(datetime.now(UTC), command.changes)
        return await _commit(uow, contract)


async def renew_contract(command: RenewContract, uow: ContactsUnitOfWork) -> Contract:
    return await _act(uow, command.contract_id, lambda c, now: c.renew(now))


async def cancel_contract(command: CancelContract, uow: ContactsUnitOfWork) -> Contract:
    return await _act(uow, command.contract_id, lambda c, now: c.cancel(now, command.reason))


async def _act(
    uow: ContactsUnitOfWork,
    contract_id: uuid.UUID,
    action: Callable[[Contract, datetime], None],
) -> Contract:
    async with uow:
        contract = await _locked(uow, contract_id)
        with domain_errors():
            action(contract, datetime.now(UTC))
        return await _commit(uow, contract)


async def _locked(uow: ContactsUnitOfWork, contract_id: uuid.UUID) -> Contract:
    contract = await uow.contracts.get(contract_id, for_update=True)
    if contract is None:
        raise NotFound(f"contract {contract_id} does not exist")
    return contract


async def _commit(uow: ContactsUnitOfWork, contract: Contract) -> Contract:
    publish(uow, contract)
    await uow.commit()
    return contract


async def _require_product(uow: ContactsUnitOfWork, product_id: uuid.UUID) -> None:
    if await uow.products.get(product_id) is None:
        raise ValidationFailed("product_id", f"no product with the id {product_id}")


def publish(uow: ContactsUnitOfWork, contract: Contract) -> None:
    for event in contract.pull_events():
        uow.publish(to_contract(event), subject=str(contract.contact_id))
