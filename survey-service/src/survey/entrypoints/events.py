"""Handlers of the events survey-service learns from; each runs inside the inbox transaction."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from survey.adapters.repository import ContactRepository
from treue.events.contracts import ContactCreatedV1, ContactStateV1, ContactUpdatedV1
from treue.events.envelope import CloudEvent


async def on_contact_created(session: AsyncSession, event: CloudEvent) -> None:
    await _keep(session, ContactCreatedV1.model_validate(event.data))


async def on_contact_updated(session: AsyncSession, event: CloudEvent) -> None:
    await _keep(session, ContactUpdatedV1.model_validate(event.data))


async def _keep(session: AsyncSession, contact: ContactStateV1) -> None:
    """Invitations need the language and the e-mail; the NPS filter by tag needs the tags."""
    await ContactRepository(session).upsert_newer(
        {
            "id": contact.contact_id,
            "first_name": contact.first_name,
            "email": contact.email,
            "language": contact.language,
            "tags": list(contact.tags),
            "version": contact.version,
        }
    )
