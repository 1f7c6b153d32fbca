"""Handlers of the events survey-service learns from; each runs inside the inbox transaction."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import UTC, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from survey.adapters.mail_repository import MailQueueRepository
from survey.adapters.repository import ContactRepository, SegmentRepository, SurveyRepository
from survey.adapters.responses_repository import ResponseRepository
from survey.adapters.schedule_repository import ScheduleRepository
from survey.domain.model import ScheduledInvitation, Survey
from treue.events.contracts import (
    ContactCreatedV1,
    ContactErasedV1,
    ContactMergedV1,
    ContactStateV1,
    ContactUpdatedV1,
    ContractRenewalDueV1,
    OrderRecordedV1,
    SegmentChangedV1,
)
from treue.events.envelope import CloudEvent


async def on_contact_created(session: AsyncSession, event: CloudEvent) -> None:
    await _keep(session, ContactCreatedV1.model_validate(event.data))


async def on_contact_updated(session: AsyncSession, event: CloudEvent) -> None:
    await _keep(session, ContactUpdatedV1.model_validate(event.data))


async def _keep(session: AsyncSession, contact: ContactStateV1) -> None:
    """Invitations need the language and the e-mail; the NPS filter by tag needs the tags.
    An erased contact is not copied again from a late or replayed event."""
    await ContactRepository(session).keep(
        {
            "id": contact.contact_id,
            "first_name": contact.first_name,
            "email": contact.email,
            "language": contact.language,
            "tags": list(contact.tags),
            "version": contact.version,
        }
    )


async def on_order_recorded(session: AsyncSession, event: CloudEvent) -> None:
    """Every survey sent after orders schedules an invitation `after_order_days` later."""
    order = OrderRecordedV1.model_validate(event.data)
    now = datetime.now(UTC)
    await _schedule(
        session,
        "order",
        order.contact_id,
        order.order_id,
        lambda survey: survey.invitation_after_order(order.ordered_at, now),
        now,
    )


async def on_renewal_due(session: AsyncSession, event: CloudEvent) -> None:
    """Every survey sent before renewals schedules an invitation `before_renewal_days`
    before the notice date; the renewal task identifies the term."""
    renewal = ContractRenewalDueV1.model_validate(event.data)
    now = datetime.now(UTC)
    await _schedule(
        session,
        "renewal",
        renewal.contact_id,
        renewal.task_id,
        lambda survey: survey.invitation_before_renewal(renewal.notice_date, now),
        now,
    )


async def _schedule(
    session: AsyncSession,
    reason: str,
    contact_id: uuid.UUID,
    source_id: uuid.UUID,
    due_for: Callable[[Survey], datetime | None],
    now: datetime,
) -> None:
    items = []
    for survey in await SurveyRepository(session).with_trigger(reason):
        due_at = due_for(survey)
        if due_at is not None:
            items.append(
                ScheduledInvitation(uuid.uuid4(), survey.id, contact_id, reason, source_id, due_at)
            )
    await ScheduleRepository(session).add_all(items, now)


async def on_segment_changed(session: AsyncSession, event: CloudEvent) -> None:
    """Saved-segment membership (`kind` segment, `current` in/out) for segment invitations
    and the NPS filter; ABC class changes are not needed here."""
    change = SegmentChangedV1.model_validate(event.data)
    if change.kind != "segment" or change.segment_id is None:
        return
    await SegmentRepository(session).record(
        change.segment_id, change.contact_id, change.current == "in", change.changed_at
    )


async def on_contact_erased(session: AsyncSession, event: CloudEvent) -> None:
    """GDPR erasure: the contact copy, the mails (address, name), segment memberships and
    pending automatic invitations go; responses keep score and time without comment or
    external id, feedback cases without their note, so NPS aggregates stay correct."""
    erasure = ContactErasedV1.model_validate(event.data)
    contact_id = erasure.contact_id
    await ContactRepository(session).erase(contact_id, erasure.erased_at)
    await MailQueueRepository(session).forget(contact_id)
    await ScheduleRepository(session).forget(contact_id)
    await SegmentRepository(session).forget(contact_id)
    await ResponseRepository(session).anonymise(contact_id)


async def on_contact_merged(session: AsyncSession, event: CloudEvent) -> None:
    """Two contacts were one person: what the duplicate answered, was invited to or is a
    member of belongs to the survivor now, and the duplicate's copy goes."""
    merge = ContactMergedV1.model_validate(event.data)
    await ContactRepository(session).merge(merge.duplicate_id, merge.contact_id)
    await SegmentRepository(session).merge(merge.duplicate_id, merge.contact_id, merge.merged_at)
