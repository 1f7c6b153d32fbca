"""SQL of responses, their NPS aggregates and feedback cases."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, func, literal_column, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from survey.adapters.orm import contacts, feedback_cases, responses, segment_members
from survey.domain.model import FeedbackCase, Response
from survey.domain.statistics import Counts, Interval
from treue.pagination import after


@dataclass(frozen=True)
class NpsFilter:
    survey_id: uuid.UUID | None = None
    responded_from: datetime | None = None
    responded_to: datetime | None = None
    tag: str | None = None
    segment_id: uuid.UUID | None = None


class ResponseRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, response: Response) -> None:
        """Written at once: without mapped relationships the flush would not know a feedback
        case must follow its response."""
        self.session.add(response)
        await self.session.flush()

    async def for_invitation(
        self, invitation_id: uuid.UUID, *, for_update: bool = False
    ) -> Response | None:
        query = select(Response).where(responses.c.invitation_id == invitation_id)
        if for_update:
            query = query.with_for_update()
        return (await self.session.execute(query)).scalar_one_or_none()

    async def by_external_id(self, survey_id: uuid.UUID, external_id: str) -> Response | None:
        query = select(Response).where(
            responses.c.survey_id == survey_id, responses.c.external_id == external_id
        )
        return (await self.session.execute(query)).scalar_one_or_none()

    async def anonymise(self, contact_id: uuid.UUID) -> None:
        """Drop what could identify the person (the free-text comment, the other system's
        id) and keep score, category and time, so the NPS counts stay as they were."""
        await self.session.execute(
            update(responses)
            .where(responses.c.contact_id == contact_id)
            .values(comment=None, external_id=None)
        )
        await self.session.execute(
            update(feedback_cases)
            .where(feedback_cases.c.contact_id == contact_id)
            .values(resolution_note=None)
        )

    async def page(
        self, survey_id: uuid.UUID, limit: int, cursor: list[Any] | None
    ) -> list[Response]:
        """Newest answer first, continuing after `cursor`."""
        key: list[ColumnElement[Any]] = [responses.c.responded_at, responses.c.id]
        query = select(Response).where(responses.c.survey_id == survey_id)
        if cursor is not None:
            query = query.where(after(key, cursor, descending=True))
        query = query.order_by(*(column.desc() for column in key)).limit(limit)
        return list((await self.session.scalars(query)).all())

    async def comments(self, filters: NpsFilter) -> dict[str, list[str]]:
        """The comments of detractors and of promoters (passives' stay out of the contrast)."""
        query: Select[Any] = select(responses.c.category, responses.c.comment).where(
            responses.c.comment.is_not(None),
            responses.c.category.in_(("detractor", "promoter")),
        )
        found: dict[str, list[str]] = {"detractor": [], "promoter": []}
        for category, comment in await self.session.execute(_filtered(query, filters)):
            found[category].append(comment)
        return found

    async def counts_by_period(
        self, filters: NpsFilter, interval: Interval
    ) -> dict[datetime, Counts]:
        """Promoters, passives and detractors per period (periods start in UTC)."""
        # Literal SQL, not bound parameters: GROUP BY must repeat the very same expression.
        period = func.date_trunc(
            literal_column(f"'{interval.value}'"), responses.c.responded_at, literal_column("'UTC'")
        )
        query: Select[Any] = select(
            period.label("period"),
            func.count().filter(responses.c.category == "promoter"),
            func.count().filter(responses.c.category == "passive"),
            func.count().filter(responses.c.category == "detractor"),
        )
        query = _filtered(query, filters).group_by(period)
        rows = await self.session.execute(query)
        return {row[0]: Counts(int(row[1]), int(row[2]), int(row[3])) for row in rows}


def _filtered(query: Select[Any], filters: NpsFilter) -> Select[Any]:
    if filters.survey_id is not None:
        query = query.where(responses.c.survey_id == filters.survey_id)
    if filters.responded_from is not None:
        query = query.where(responses.c.responded_at >= filters.responded_from)
    if filters.responded_to is not None:
        query = query.where(responses.c.responded_at < filters.responded_to)
    if filters.tag is not None:
        tagged = select(contacts.c.id).where(
            contacts.c.tags.contains([filters.tag.strip().lower()])
        )
        query = query.where(responses.c.contact_id.in_(tagged))
    if filters.segment_id is not None:
        members = select(segment_members.c.contact_id).where(
            segment_members.c.segment_id == filters.segment_id,
            segment_members.c.member.is_(True),
        )
        query = query.where(responses.c.contact_id.in_(members))
    return query


@dataclass(frozen=True)
class CaseFilter:
    status: str | None = None
    owner_id: uuid.UUID | None = None
    # Only cases nobody owns yet: the ones still to be picked up.
    unowned: bool = False
    overdue_at: datetime | None = None


class FeedbackCaseRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    def add(self, case: FeedbackCase) -> None:
        self.session.add(case)

    async def get(self, case_id: uuid.UUID, *, for_update: bool = False) -> FeedbackCase | None:
        query = select(FeedbackCase).where(feedback_cases.c.id == case_id)
        if for_update:
            query = query.with_for_update()
        return (await self.session.execute(query)).scalar_one_or_none()

    async def for_response(self, response_id: uuid.UUID) -> FeedbackCase | None:
        query = select(FeedbackCase).where(feedback_cases.c.response_id == response_id)
        return (await self.session.execute(query)).scalar_one_or_none()

    async def page(
        self, filters: CaseFilter, limit: int, cursor: list[Any] | None
    ) -> list[FeedbackCase]:
        """Newest first, continuing after `cursor`."""
        key: list[ColumnElement[Any]] = [feedback_cases.c.created_at, feedback_cases.c.id]
        query = select(FeedbackCase)
        if filters.status is not None:
            query = query.where(feedback_cases.c.status == filters.status)
        if filters.owner_id is not None:
            query = query.where(feedback_cases.c.owner_id == filters.owner_id)
        if filters.unowned:
            query = query.where(feedback_cases.c.owner_id.is_(None))
        if filters.overdue_at is not None:
            query = query.where(
                feedback_cases.c.status != "resolved", feedback_cases.c.due_at < filters.overdue_at
            )
        if cursor is not None:
            query = query.where(after(key, cursor, descending=True))
        query = query.order_by(*(column.desc() for column in key)).limit(limit)
        return list((await self.session.scalars(query)).all())
