"""SQL of surveys, the contact copy and invitations."""

from __future__ import annotations

import uuid
from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, delete, func, literal, select, text, union_all, update
from sqlalchemy.dialects.postgresql import UUID, insert
from sqlalchemy.ext.asyncio import AsyncSession

from survey.adapters.orm import (
    contacts,
    erased_contacts,
    feedback_cases,
    invitations,
    mail_queue,
    responses,
    scheduled_invitations,
    segment_members,
    surveys,
)
from survey.domain.model import Invitation, Survey
from treue.outbox import advisory_lock_key
from treue.pagination import after


@dataclass(frozen=True)
class InvitationStatus:
    """An invitation as the list shows it: how it came, whether its mail went out, how
    many reminders followed and whether it was answered."""

    id: uuid.UUID
    survey_id: uuid.UUID
    contact_id: uuid.UUID
    channel: str
    origin: str
    created_at: datetime
    expires_at: datetime
    reminders_sent: int
    mail_status: str | None
    answered: bool


@dataclass(frozen=True)
class ContactCopy:
    id: uuid.UUID
    first_name: str
    email: str | None
    language: str


# Everything survey-service holds under a contact id, apart from the copy and memberships.
# One statement built once: it runs for every contact event.
_KEEP_CONTACT = text(
    """
    INSERT INTO contacts (id, first_name, email, language, tags, version)
    SELECT CAST(:id AS uuid), CAST(:first_name AS varchar), CAST(:email AS varchar),
           CAST(:language AS varchar), CAST(:tags AS varchar[]), CAST(:version AS integer)
    WHERE NOT EXISTS (SELECT FROM erased_contacts WHERE contact_id = CAST(:id AS uuid))
    ON CONFLICT (id) DO UPDATE
    SET first_name = excluded.first_name, email = excluded.email,
        language = excluded.language, tags = excluded.tags, version = excluded.version,
        updated_at = now()
    WHERE contacts.version < excluded.version
    """
)

_CONTACT_HISTORY = (invitations, responses, feedback_cases, mail_queue, scheduled_invitations)


class ContactRepository:
    """survey-service's copy of the contacts, kept from contacts-service's events."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def keep(self, values: dict[str, Any]) -> None:
        """Insert the copy, or update it when this version is newer: a late, older snapshot
        changes nothing, and an erased contact is not copied again."""
        await self.session.execute(_KEEP_CONTACT, values)

    async def erase(self, contact_id: uuid.UUID, erased_at: datetime) -> None:
        """Delete the copy and remember the erasure (the id only), so it stays deleted."""
        await self.session.execute(delete(contacts).where(contacts.c.id == contact_id))
        await self.session.execute(
            insert(erased_contacts)
            .values(contact_id=contact_id, erased_at=erased_at)
            .on_conflict_do_nothing()
        )

    async def merge(self, duplicate_id: uuid.UUID, contact_id: uuid.UUID) -> None:
        """The duplicate's invitations, responses, feedback cases, mails and scheduled
        invitations belong to the survivor `contact_id` now (scores and times unchanged, so
        NPS counts stay as they were), and the duplicate's copy goes. A replay finds nothing
        left under the duplicate and changes nothing."""
        for table in _CONTACT_HISTORY:
            await self.session.execute(
                update(table)
                .where(table.c.contact_id == duplicate_id)
                .values(contact_id=contact_id)
            )
        await self.session.execute(delete(contacts).where(contacts.c.id == duplicate_id))

    async def by_ids(self, ids: Collection[uuid.UUID]) -> dict[uuid.UUID, ContactCopy]:
        if not ids:
            return {}
        query = select(contacts.c.id, contacts.c.first_name, contacts.c.email, contacts.c.language)
        rows = await self.session.execute(query.where(contacts.c.id.in_(ids)))
        return {row.id: ContactCopy(*row) for row in rows}

    async def get(self, contact_id: uuid.UUID) -> ContactCopy | None:
        return (await self.by_ids([contact_id])).get(contact_id)


class SurveyRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    def add(self, survey: Survey) -> None:
        self.session.add(survey)

    async def get(self, survey_id: uuid.UUID, *, for_update: bool = False) -> Survey | None:
        query = select(Survey).where(surveys.c.id == survey_id)
        if for_update:
            query = query.with_for_update()
        return (await self.session.execute(query)).scalar_one_or_none()

    async def with_trigger(self, trigger: str) -> list[Survey]:
        """The active surveys sent automatically after orders (`order`) or before renewals
        (`renewal`)."""
        column = surveys.c.after_order_days if trigger == "order" else surveys.c.before_renewal_days
        query = select(Survey).where(surveys.c.active.is_(True), column.is_not(None))
        return list((await self.session.scalars(query)).all())

    async def page(self, limit: int, cursor: list[Any] | None) -> list[Survey]:
        """Oldest first, continuing after `cursor`."""
        key: list[ColumnElement[Any]] = [surveys.c.created_at, surveys.c.id]
        query = select(Survey)
        if cursor is not None:
            query = query.where(after(key, cursor, descending=False))
        return list((await self.session.scalars(query.order_by(*key).limit(limit))).all())


class InvitationRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    def add(self, invitation: Invitation) -> None:
        self.session.add(invitation)

    async def by_token(self, token: str) -> Invitation | None:
        query = select(Invitation).where(invitations.c.token == token)
        return (await self.session.execute(query)).scalar_one_or_none()

    async def try_lock(self, name: str) -> bool:
        """A transaction-scoped advisory lock, or False at once when another holds it."""
        key = advisory_lock_key(name)
        return bool(await self.session.scalar(select(func.pg_try_advisory_xact_lock(key))))

    async def reminder_candidates(
        self, now: datetime, limit: int
    ) -> list[tuple[Invitation, Survey]]:
        """Unanswered, unexpired e-mail invitations of active surveys whose next reminder
        is due, to contacts that still have an address; locked for this transaction."""
        wait = func.make_interval(
            0, 0, 0, surveys.c.reminder_after_days * (invitations.c.reminders_sent + 1)
        )
        query = (
            select(Invitation, Survey)
            .join(surveys, surveys.c.id == invitations.c.survey_id)
            .join(contacts, contacts.c.id == invitations.c.contact_id)
            .outerjoin(responses, responses.c.invitation_id == invitations.c.id)
            .where(
                invitations.c.channel == "email",
                invitations.c.expires_at > now,
                invitations.c.reminders_sent < surveys.c.max_reminders,
                invitations.c.created_at + wait <= now,
                surveys.c.active.is_(True),
                contacts.c.email.is_not(None),
                responses.c.id.is_(None),
            )
            .order_by(invitations.c.created_at)
            .limit(limit)
            .with_for_update(of=invitations, skip_locked=True)
        )
        return [(row[0], row[1]) for row in await self.session.execute(query)]

    async def lock_contacts(self, contact_ids: Collection[uuid.UUID]) -> None:
        """Transaction-scoped advisory locks, one per contact, taken in one statement and
        always in key order, so two callers cannot deadlock."""
        keys = sorted({advisory_lock_key(f"survey:contact:{c}") for c in contact_ids})
        if not keys:
            return
        await self.session.execute(
            text(
                "SELECT count(pg_advisory_xact_lock(key))"
                " FROM unnest(CAST(:keys AS bigint[])) WITH ORDINALITY AS locks(key, position)"
            ),
            {"keys": keys},
        )

    async def last_surveyed(self, contact_ids: Collection[uuid.UUID]) -> dict[uuid.UUID, datetime]:
        """When each contact was last invited or last answered, in any survey."""
        if not contact_ids:
            return {}
        moments = union_all(
            select(invitations.c.contact_id, invitations.c.created_at.label("at")).where(
                invitations.c.contact_id.in_(contact_ids)
            ),
            select(responses.c.contact_id, responses.c.responded_at.label("at")).where(
                responses.c.contact_id.in_(contact_ids)
            ),
        ).subquery()
        query = select(moments.c.contact_id, func.max(moments.c.at)).group_by(moments.c.contact_id)
        return {row[0]: row[1] for row in await self.session.execute(query)}

    async def page(
        self,
        survey_id: uuid.UUID,
        contact_id: uuid.UUID | None,
        limit: int,
        cursor: list[Any] | None,
    ) -> list[InvitationStatus]:
        """Newest first, continuing after `cursor`."""
        key: list[ColumnElement[Any]] = [invitations.c.created_at, invitations.c.id]
        first_mail = (
            select(mail_queue.c.status)
            .where(
                mail_queue.c.invitation_id == invitations.c.id, mail_queue.c.kind == "invitation"
            )
            .limit(1)
            .scalar_subquery()
        )
        query = (
            select(
                invitations.c.id,
                invitations.c.survey_id,
                invitations.c.contact_id,
                invitations.c.channel,
                func.coalesce(scheduled_invitations.c.reason, "manual"),
                invitations.c.created_at,
                invitations.c.expires_at,
                invitations.c.reminders_sent,
                first_mail,
                responses.c.id.is_not(None),
            )
            .select_from(
                invitations.outerjoin(responses).outerjoin(
                    scheduled_invitations,
                    scheduled_invitations.c.invitation_id == invitations.c.id,
                )
            )
            .where(invitations.c.survey_id == survey_id)
        )
        if contact_id is not None:
            query = query.where(invitations.c.contact_id == contact_id)
        if cursor is not None:
            query = query.where(after(key, cursor, descending=True))
        query = query.order_by(*(column.desc() for column in key)).limit(limit)
        return [InvitationStatus(*row) for row in await self.session.execute(query)]

    async def count_for(self, survey_id: uuid.UUID) -> tuple[int, int]:
        """(invitations sent, invitations answered) of a survey."""
        query = (
            select(func.count(invitations.c.id), func.count(responses.c.id))
            .select_from(invitations.outerjoin(responses))
            .where(invitations.c.survey_id == survey_id)
        )
        sent, answered = (await self.session.execute(query)).one()
        return int(sent), int(answered)


class SegmentRepository:
    """Members of the saved segments, as analytics-service announces them."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def record(
        self, segment_id: uuid.UUID, contact_id: uuid.UUID, member: bool, changed_at: datetime
    ) -> None:
        """Applied when newer than what is known: events may arrive late or twice."""
        statement = insert(segment_members).values(
            segment_id=segment_id, contact_id=contact_id, member=member, changed_at=changed_at
        )
        await self.session.execute(
            statement.on_conflict_do_update(
                index_elements=[segment_members.c.segment_id, segment_members.c.contact_id],
                set_={
                    "member": statement.excluded.member,
                    "changed_at": statement.excluded.changed_at,
                },
                where=segment_members.c.changed_at <= statement.excluded.changed_at,
            )
        )

    async def forget(self, contact_id: uuid.UUID) -> None:
        await self.session.execute(
            delete(segment_members).where(segment_members.c.contact_id == contact_id)
        )

    async def merge(
        self, duplicate_id: uuid.UUID, contact_id: uuid.UUID, merged_at: datetime
    ) -> None:
        """The survivor is in each segment either of the two was in, as analytics-service
        also unites them before it re-evaluates the survivor (and announces only what then
        differs). A survivor's row changed at or after the merge is already that verdict on
        the merged customer and stays. The duplicate's rows go."""
        moved = select(
            segment_members.c.segment_id,
            literal(contact_id, UUID(as_uuid=True)),
            segment_members.c.member,
            segment_members.c.changed_at,
        ).where(segment_members.c.contact_id == duplicate_id)
        statement = insert(segment_members).from_select(
            ["segment_id", "contact_id", "member", "changed_at"], moved
        )
        await self.session.execute(
            statement.on_conflict_do_update(
                index_elements=[segment_members.c.segment_id, segment_members.c.contact_id],
                set_={
                    "member": segment_members.c.member | statement.excluded.member,
                    "changed_at": func.greatest(
                        segment_members.c.changed_at, statement.excluded.changed_at
                    ),
                },
                where=segment_members.c.changed_at < merged_at,
            )
        )
        await self.forget(duplicate_id)

    async def members(self, segment_id: uuid.UUID) -> list[uuid.UUID]:
        query = (
            select(segment_members.c.contact_id)
            .where(segment_members.c.segment_id == segment_id, segment_members.c.member.is_(True))
            .order_by(segment_members.c.contact_id)
        )
        return list((await self.session.scalars(query)).all())
