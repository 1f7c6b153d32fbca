"""Handlers of the events contacts-service learns from survey-service; each runs inside the
inbox transaction, and what it emits goes into the outbox of that transaction."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from contacts.service_layer.automatic_tasks import OpenDetractorCallBack, open_detractor_call_back
from contacts.service_layer.unit_of_work import InboxUnitOfWork
from contacts.settings import ContactsSettings
from treue.events.contracts import NpsDetractorV1, NpsResponseRecordedV1
from treue.events.envelope import CloudEvent
from treue.inbox import Handler
from treue.tables import BackboneTables


def event_handlers(settings: ContactsSettings, tables: BackboneTables) -> dict[str, Handler]:
    def joined(session: AsyncSession) -> InboxUnitOfWork:
        return InboxUnitOfWork(
            session, tables, source=settings.service_name, topic=settings.topic("contacts")
        )

    async def on_detractor(session: AsyncSession, event: CloudEvent) -> None:
        detractor = NpsDetractorV1.model_validate(event.data)
        command = OpenDetractorCallBack(
            contact_id=detractor.contact_id,
            response_id=detractor.response_id,
            score=detractor.score,
            due_at=detractor.due_at,
        )
        await open_detractor_call_back(command, joined(session))

    async def on_response_recorded(session: AsyncSession, event: CloudEvent) -> None:
        """Keeps the latest revision of each response for the contact's timeline."""
        response = NpsResponseRecordedV1.model_validate(event.data)
        async with joined(session) as uow:
            await uow.survey_responses.keep_latest(response.model_dump())

    return {
        NpsDetractorV1.event_type: on_detractor,
        NpsResponseRecordedV1.event_type: on_response_recorded,
    }
