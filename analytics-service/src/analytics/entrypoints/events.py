"""Handlers of the events analytics-service learns from; each runs inside the inbox transaction."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from analytics.adapters.repository import CustomerRepository
from treue.events.contracts import ContactCreatedV1, ContactStateV1, ContactUpdatedV1
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


def _snapshot(contact: ContactStateV1) -> dict[str, object]:
    state = contact.model_dump(exclude={"version"}, include=set(ContactStateV1.model_fields))
    return {**state, "contact_version": contact.version}


HANDLERS: dict[str, EventHandler] = {
    ContactCreatedV1.event_type: on_contact_created,
    ContactUpdatedV1.event_type: on_contact_updated,
}
