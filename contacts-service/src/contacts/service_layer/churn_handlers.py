"""Churn and win-back: a customer lost, with the reason why, and won again."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime

from contacts.domain.lifecycle import lifecycle_change
from contacts.domain.model import Contact
from contacts.service_layer.errors import domain_errors
from contacts.service_layer.events import to_contract
from contacts.service_layer.unit_of_work import ContactsUnitOfWork
from treue.problems import NotFound


@dataclass(frozen=True)
class ChurnCustomer:
    contact_id: uuid.UUID
    reason: str
    note: str
    churned_at: datetime | None = None


@dataclass(frozen=True)
class WinBackCustomer:
    contact_id: uuid.UUID


async def churn_customer(command: ChurnCustomer, uow: ContactsUnitOfWork) -> Contact:
    async with uow:
        contact = await _locked(uow, command.contact_id)
        with domain_errors():
            contact.churn(datetime.now(UTC), command.reason, command.note, command.churned_at)
        return await _commit(uow, contact)


async def win_back_customer(command: WinBackCustomer, uow: ContactsUnitOfWork) -> Contact:
    async with uow:
        contact = await _locked(uow, command.contact_id)
        with domain_errors():
            contact.win_back(datetime.now(UTC))
        return await _commit(uow, contact)


async def _locked(uow: ContactsUnitOfWork, contact_id: uuid.UUID) -> Contact:
    contact = await uow.contacts.get(contact_id, for_update=True)
    if contact is None:
        raise NotFound(f"contact {contact_id} does not exist")
    return contact


async def _commit(uow: ContactsUnitOfWork, contact: Contact) -> Contact:
    """Publishes the contact's events and keeps each churn and win-back in its history,
    in the transaction that changes the contact."""
    for event in contact.pull_events():
        uow.publish(to_contract(event), subject=str(contact.id))
        change = lifecycle_change(event)
        if change is not None:
            await uow.lifecycle.add(change)
    await uow.commit()
    return contact
