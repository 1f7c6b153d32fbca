"""All SQL of the GDPR export: everything survey-service holds under one contact id, and a
contact's answers across surveys (the NPS history of the contact's page)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, select
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
from treue.pagination import after

Row = dict[str, Any]
_case_survey = feedback_cases.c.survey_id == surveys.c.id


@dataclass(frozen=True)
class SurveyPersonalData:
    contact: Row | None
    erased_at: datetime | None
    invitations: list[Row]
    responses: list[Row]
    feedback_cases: list[Row]
    mails: list[Row]
    scheduled_invitations: list[Row]
    segment_memberships: list[Row]


class PersonalDataRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def export(self, contact_id: uuid.UUID) -> SurveyPersonalData:
        """Oldest first. Invitation tokens stay out: a token answers in the person's name,
        and the document goes to whoever asked for it; so do the mails' bodies, which hold
        the token's link."""

        async def rows(query: Select[Any]) -> list[Row]:
            return [dict(row._mapping) for row in await self.session.execute(query)]

        survey_name = surveys.c.name.label("survey_name")
        copy = await rows(
            select(
                contacts.c.first_name, contacts.c.email, contacts.c.language, contacts.c.tags
            ).where(contacts.c.id == contact_id)
        )
        erased_at = await self.session.scalar(
            select(erased_contacts.c.erased_at).where(erased_contacts.c.contact_id == contact_id)
        )
        return SurveyPersonalData(
            contact=copy[0] if copy else None,
            erased_at=erased_at,
            invitations=await rows(
                select(
                    invitations.c.id,
                    invitations.c.survey_id,
                    survey_name,
                    invitations.c.channel,
                    invitations.c.created_at,
                    invitations.c.expires_at,
                    invitations.c.reminders_sent,
                )
                .join(surveys)
                .where(invitations.c.contact_id == contact_id)
                .order_by(invitations.c.created_at, invitations.c.id)
            ),
            responses=await rows(
                _answers(contact_id).order_by(responses.c.responded_at, responses.c.id)
            ),
            feedback_cases=await rows(
                select(feedback_cases, responses.c.score, responses.c.comment, survey_name)
                .select_from(feedback_cases.join(responses).join(surveys, _case_survey))
                .where(feedback_cases.c.contact_id == contact_id)
                .order_by(feedback_cases.c.created_at, feedback_cases.c.id)
            ),
            mails=await rows(
                select(
                    mail_queue.c.id,
                    mail_queue.c.invitation_id,
                    mail_queue.c.kind,
                    mail_queue.c.recipient,
                    mail_queue.c.subject,
                    mail_queue.c.status,
                    mail_queue.c.created_at,
                    mail_queue.c.sent_at,
                )
                .where(mail_queue.c.contact_id == contact_id)
                .order_by(mail_queue.c.created_at, mail_queue.c.id)
            ),
            scheduled_invitations=await rows(
                select(
                    scheduled_invitations.c.id,
                    scheduled_invitations.c.survey_id,
                    scheduled_invitations.c.reason,
                    scheduled_invitations.c.source_id,
                    scheduled_invitations.c.due_at,
                    scheduled_invitations.c.status,
                    scheduled_invitations.c.outcome,
                    scheduled_invitations.c.invitation_id,
                )
                .where(scheduled_invitations.c.contact_id == contact_id)
                .order_by(scheduled_invitations.c.due_at, scheduled_invitations.c.id)
            ),
            segment_memberships=await rows(
                select(
                    segment_members.c.segment_id,
                    segment_members.c.member,
                    segment_members.c.changed_at,
                )
                .where(segment_members.c.contact_id == contact_id)
                .order_by(segment_members.c.segment_id)
            ),
        )

    async def answers_page(
        self, contact_id: uuid.UUID, limit: int, cursor: list[Any] | None
    ) -> list[Row]:
        """The contact's answers to every survey, newest first, continuing after `cursor`."""
        key: list[ColumnElement[Any]] = [responses.c.responded_at, responses.c.id]
        query = _answers(contact_id)
        if cursor is not None:
            query = query.where(after(key, cursor, descending=True))
        query = query.order_by(*(column.desc() for column in key)).limit(limit)
        return [dict(row._mapping) for row in await self.session.execute(query)]


def _answers(contact_id: uuid.UUID) -> Select[Any]:
    return (
        select(
            responses.c.id,
            responses.c.survey_id,
            surveys.c.name.label("survey_name"),
            responses.c.score,
            responses.c.category,
            responses.c.comment,
            responses.c.responded_at,
            responses.c.channel,
            responses.c.external_id,
            responses.c.revision,
            responses.c.created_at,
            responses.c.updated_at,
        )
        .join(surveys)
        .where(responses.c.contact_id == contact_id)
    )
