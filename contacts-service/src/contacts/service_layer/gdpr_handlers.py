"""GDPR (DSGVO): export everything contacts-service holds about a contact, and erase it."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime

from contacts.adapters.personal_data_repository import ContactHistory
from contacts.domain.model import Contact
from contacts.service_layer.events import to_contract
from contacts.service_layer.unit_of_work import ContactsUnitOfWork
from treue.problems import NotFound


@dataclass(frozen=True)
class EraseContact:
    contact_id: uuid.UUID


@dataclass(frozen=True)
class ContactData:
    contact: Contact
    history: ContactHistory


async def erase_contact(command: EraseContact, uow: ContactsUnitOfWork) -> datetime:
    """Erases the contact's personal data here and emits contact.erased, on which the other
    services erase theirs. Erasing an erased contact again changes and emits nothing."""
    async with uow:
        contact = await uow.contacts.get(command.contact_id, for_update=True, include_erased=True)
        if contact is None:
            raise NotFound(f"contact {command.contact_id} does not exist")
        if contact.erase(datetime.now(UTC)):
            await uow.personal_data.erase_history(contact.id)
            await uow.segments.forget_contact(contact.id)
            for event in contact.pull_events():
                uow.publish(to_contract(event), subject=str(contact.id))
            await uow.commit()
        assert contact.erased_at is not None
        return contact.erased_at


async def export_contact(contact_id: uuid.UUID, uow: ContactsUnitOfWork) -> ContactData:
    async with uow:
        contact = await uow.contacts.get(contact_id)
        if contact is None:
            raise NotFound(f"contact {contact_id} does not exist")
        return ContactData(contact, await uow.personal_data.history(contact_id))
