"""Handlers of the events contacts-service learns from survey- and analytics-service; each
runs inside the inbox transaction, and what it emits goes into the outbox of that
transaction."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from contacts.service_layer.automatic_tasks import OpenDetractorCallBack, open_detractor_call_back
from contacts.service_layer.unit_of_work import InboxUnitOfWork
from contacts.settings import ContactsSettings
from treue.events.contracts import (
    CustomerChurnRiskV1,
    NpsDetractorV1,
    NpsResponseRecordedV1,
    SegmentChangedV1,
)
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

    async def on_segment_changed(session: AsyncSession, event: CloudEvent) -> None:
        """Keeps the contact's membership of a saved segment, for the segment filter, and
        an ABC class change (kind `abc`) as a flag on the timeline; a segment's in/out is
        no flag (too many)."""
        change = SegmentChangedV1.model_validate(event.data)
        async with joined(session) as uow:
            if change.kind == "abc":
                await uow.analytics_flags.keep(
                    {
                        "id": event.id,
                        "contact_id": change.contact_id,
                        "flag": "abc_class",
                        "occurred_at": change.changed_at,
                        "previous_class": change.previous,
                        "current_class": change.current,
                    }
                )
            elif change.kind == "segment" and change.segment_id is not None:
                await uow.segments.keep(
                    change.segment_id, change.contact_id, change.current == "in", change.changed_at
                )

    async def on_churn_risk(session: AsyncSession, event: CloudEvent) -> None:
        """Keeps the churn risk's crossing of the threshold as a flag on the timeline."""
        risk = CustomerChurnRiskV1.model_validate(event.data)
        async with joined(session) as uow:
            await uow.analytics_flags.keep(
                {
                    "id": event.id,
                    "contact_id": risk.contact_id,
                    "flag": "churn_risk",
                    "occurred_at": risk.assessed_at,
                    "score": risk.score,
                    "previous_score": risk.previous_score,
                    "drivers": risk.drivers,
                }
            )

    return {
        SegmentChangedV1.event_type: on_segment_changed,
        CustomerChurnRiskV1.event_type: on_churn_risk,
        NpsDetractorV1.event_type: on_detractor,
        NpsResponseRecordedV1.event_type: on_response_recorded,
    }
