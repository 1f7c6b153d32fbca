"""Handlers of the events analytics-service learns from; each runs inside the inbox transaction."""

from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal

from sqlalchemy.ext.asyncio import AsyncSession

from analytics.adapters.activity import ActivityRepository
from analytics.adapters.repository import CustomerRepository
from treue.events.contracts import (
    ContactCreatedV1,
    ContactStateV1,
    ContactUpdatedV1,
    InteractionLoggedV1,
    OrderRecordedV1,
)
from treue.events.envelope import CloudEvent
from treue.inbox import BatchHandler, Handler


async def on_contacts_changed(session: AsyncSession, events: list[CloudEvent]) -> None:
    """Created or updated contacts, a run at a time: the newest snapshot of each contact."""
    newest: dict[uuid.UUID, tuple[int, dict[str, object]]] = {}
    for event in events:
        contact, became_contact_at = _contact(event)
        held = newest.get(contact.contact_id)
        if held is None or held[0] < contact.version:
            row = {**_snapshot(contact), "became_contact_at": became_contact_at}
            newest[contact.contact_id] = (contact.version, row)
    customers = CustomerRepository(session)
    new = await customers.upsert_newer([row for _, row in newest.values()])
    if new:
        # Orders or interactions of these contacts may have arrived before the contacts did.
        await customers.refresh_value(new)


def _contact(event: CloudEvent) -> tuple[ContactStateV1, datetime]:
    if event.type == ContactCreatedV1.event_type:
        created = ContactCreatedV1.model_validate(event.data)
        return created, created.created_at
    updated = ContactUpdatedV1.model_validate(event.data)
    return updated, updated.updated_at


def _snapshot(contact: ContactStateV1) -> dict[str, object]:
    state = contact.model_dump(exclude={"version"}, include=set(ContactStateV1.model_fields))
    return {**state, "contact_version": contact.version}


async def on_order_recorded(session: AsyncSession, event: CloudEvent) -> None:
    order = OrderRecordedV1.model_validate(event.data)
    await ActivityRepository(session).record_order(
        order_id=order.order_id,
        contact_id=order.contact_id,
        ordered_at=order.ordered_at,
        currency=order.currency,
        revenue=Decimal(order.revenue),
        cost=Decimal(order.cost),
    )


async def on_interaction_logged(session: AsyncSession, event: CloudEvent) -> None:
    interaction = InteractionLoggedV1.model_validate(event.data)
    await ActivityRepository(session).record_interaction(
        interaction_id=interaction.interaction_id,
        contact_id=interaction.contact_id,
        kind=interaction.kind,
        sentiment=interaction.sentiment,
        occurred_at=interaction.occurred_at,
        cost=Decimal(interaction.cost) if interaction.cost is not None else None,
    )


CONTACTS_CHANGED = BatchHandler(on_contacts_changed)
HANDLERS: dict[str, Handler] = {
    ContactCreatedV1.event_type: CONTACTS_CHANGED,
    ContactUpdatedV1.event_type: CONTACTS_CHANGED,
    OrderRecordedV1.event_type: on_order_recorded,
    InteractionLoggedV1.event_type: on_interaction_logged,
}
