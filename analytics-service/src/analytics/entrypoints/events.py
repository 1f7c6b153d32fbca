"""Handlers of the events analytics-service learns from; each runs inside the inbox transaction."""

from __future__ import annotations

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
from treue.inbox import EventHandler


async def on_contact_created(session: AsyncSession, event: CloudEvent) -> None:
    contact = ContactCreatedV1.model_validate(event.data)
    await _keep(session, contact, {"became_contact_at": contact.created_at})


async def on_contact_updated(session: AsyncSession, event: CloudEvent) -> None:
    contact = ContactUpdatedV1.model_validate(event.data)
    await _keep(session, contact, {"became_contact_at": contact.updated_at})


async def _keep(session: AsyncSession, contact: ContactStateV1, extra: dict[str, object]) -> None:
    customers = CustomerRepository(session)
    if await customers.upsert_newer({**_snapshot(contact), **extra}):
        # Orders or interactions of this contact may have arrived before the contact did.
        await customers.refresh_value(contact.contact_id)


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


HANDLERS: dict[str, EventHandler] = {
    ContactCreatedV1.event_type: on_contact_created,
    ContactUpdatedV1.event_type: on_contact_updated,
    OrderRecordedV1.event_type: on_order_recorded,
    InteractionLoggedV1.event_type: on_interaction_logged,
}
