"""Handlers of the events analytics-service learns from; each runs inside the inbox transaction."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from analytics.adapters.repository import CustomerRepository
from treue.events.contracts import ContactCreatedV1, ContactUpdatedV1
from treue.events.envelope import CloudEvent
from treue.inbox import EventHandler


async def on_contact_created(session: AsyncSession, event: CloudEvent) -> None:
    contact = ContactCreatedV1.model_validate(event.data)
    await CustomerRepository(session).upsert_newer(
        {**_snapshot(contact), "became_contact_at": contact.created_at}
    )


async def on_contact_updated(session: AsyncSession, event: CloudEvent) -> None:
    contact = ContactUpdatedV1.model_validate(event.data)
    await CustomerRepository(session).upsert_newer(
        {**_snapshot(contact), "became_contact_at": contact.updated_at}
    )


def _snapshot(contact: ContactCreatedV1 | ContactUpdatedV1) -> dict[str, object]:
    return {
        "contact_id": contact.contact_id,
        "contact_version": contact.version,
        "first_name": contact.first_name,
        "last_name": contact.last_name,
        "email": contact.email,
        "company": contact.company,
        "language": contact.language,
        "lifecycle_stage": contact.lifecycle_stage,
        "tags": contact.tags,
        "acquisition_channel": contact.acquisition_channel,
        "acquisition_cost": contact.acquisition_cost,
    }


HANDLERS: dict[str, EventHandler] = {
    ContactCreatedV1.event_type: on_contact_created,
    ContactUpdatedV1.event_type: on_contact_updated,
}
