from __future__ import annotations

from contacts.adapters.repository import ContactRepository
from treue.uow import UnitOfWork


class ContactsUnitOfWork(UnitOfWork):
    contacts: ContactRepository
    unique_constraint_fields = {
        "uq_contacts_email_lower": "email",
        "uq_contacts_external_id": "external_id",
    }

    def open_repositories(self) -> None:
        self.contacts = ContactRepository(self.session)
