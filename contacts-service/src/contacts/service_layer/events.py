"""Domain events of contacts-service turned into the public event contracts."""

from __future__ import annotations

from contacts.domain.model import Contact, ContactCreated, ContactUpdated, DomainEvent
from treue.events.contracts import ContactCreatedV1, ContactUpdatedV1, EventContract


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
        "acquisition_cost": (
            str(contact.acquisition_cost) if contact.acquisition_cost is not None else None
        ),
    }


def to_contract(event: DomainEvent) -> EventContract:
    match event:
        case ContactCreated(contact=contact):
            return ContactCreatedV1(**_snapshot(contact), created_at=contact.created_at)
        case ContactUpdated(contact=contact, changed_fields=changed):
            return ContactUpdatedV1(
                **_snapshot(contact), updated_at=contact.updated_at, changed_fields=list(changed)
            )
