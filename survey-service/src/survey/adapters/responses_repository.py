"""SQL of responses, their NPS aggregates and feedback cases."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from typing import Any, Literal

from sqlalchemy import (
    ColumnElement,
    DateTime,
    Select,
    cast,
    func,
    literal_column,
    select,
    update,
)
from sqlalchemy.ext.asyncio import AsyncSession

from survey.adapters.orm import (
    contacts,
    feedback_cases,
    nps_daily,
    nps_daily_by_segment,
    nps_daily_by_tag,
    responses,
    segment_members,
    surveys,
)
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
        """Promoters, passives and detractors per period (periods start in UTC).

        Whole UTC days come from the rollups; the partial days at either end of a range
        that does not start or end at midnight UTC are counted from the responses (an
        index range of at most two days). Tag and segment together have no rollup and are
        counted from the responses."""
        if filters.tag is not None and filters.segment_id is not None:
            return await self._counted(filters, interval)
        days = whole_days(filters.responded_from, filters.responded_to)
        if days is None:
            return await self._counted(filters, interval)
        first, end = days
        found = await self._rolled_up(filters, interval, first, end)
        edges = []
        if first is not None and filters.responded_from is not None:
            edges.append((filters.responded_from, _midnight(first)))
        if end is not None and filters.responded_to is not None:
            edges.append((_midnight(end), filters.responded_to))
        for start, stop in edges:
            if start < stop:
                edge = replace(filters, responded_from=start, responded_to=stop)
                for period, counts in (await self._counted(edge, interval)).items():
                    found[period] = found.get(period, Counts()) + counts
        return {period: counts for period, counts in found.items() if counts.n}

    async def _rolled_up(
        self, filters: NpsFilter, interval: Interval, first: date | None, end: date | None
    ) -> dict[datetime, Counts]:
        table = nps_daily
        conditions: list[ColumnElement[bool]] = []
        if filters.tag is not None:
            table = nps_daily_by_tag
            conditions.append(table.c.tag == filters.tag.strip().lower())
        elif filters.segment_id is not None:
            table = nps_daily_by_segment
            conditions.append(table.c.segment_id == filters.segment_id)
        if filters.survey_id is not None:
            conditions.append(table.c.survey_id == filters.survey_id)
        if first is not None:
            conditions.append(table.c.day >= first)
        if end is not None:
            conditions.append(table.c.day < end)
        # Literal SQL, not bound parameters: GROUP BY must repeat the very same expression.
        period = func.timezone(
            literal_column("'UTC'"),
            func.date_trunc(literal_column(f"'{interval.value}'"), cast(table.c.day, DateTime)),
        )
        query = (
            select(
                period.label("period"),
                *(func.sum(table.c.n).filter(table.c.category == name) for name in _CATEGORIES),
            )
            .where(*conditions)
            .group_by(period)
        )
        rows = await self.session.execute(query)
        return {row[0]: Counts(*(int(value or 0) for value in row[1:])) for row in rows}

    async def totals_by_survey(
        self, survey_ids: list[uuid.UUID]
    ) -> dict[uuid.UUID, tuple[Counts, date]]:
        """All answers of each survey and the day of its latest, from the daily rollup (one
        row per survey, day and category: cheap whatever the number of answers)."""
        query = (
            select(
                nps_daily.c.survey_id,
                func.max(nps_daily.c.day),
                *(
                    func.sum(nps_daily.c.n).filter(nps_daily.c.category == name)
                    for name in _CATEGORIES
                ),
            )
            .where(nps_daily.c.survey_id.in_(survey_ids), nps_daily.c.n > 0)
            .group_by(nps_daily.c.survey_id)
        )
        rows = await self.session.execute(query)
        return {row[0]: (Counts(*(int(value or 0) for value in row[2:])), row[1]) for row in rows}

    async def _counted(self, filters: NpsFilter, interval: Interval) -> dict[datetime, Counts]:
        """The same counts from the responses themselves."""
        # Literal SQL, not bound parameters: GROUP BY must repeat the very same expression.
        period = func.date_trunc(
            literal_column(f"'{interval.value}'"), responses.c.responded_at, literal_column("'UTC'")
        )
        query: Select[Any] = select(
            period.label("period"),
            *(func.count().filter(responses.c.category == name) for name in _CATEGORIES),
        )
        query = _filtered(query, filters).group_by(period)
        rows = await self.session.execute(query)
        return {row[0]: Counts(int(row[1]), int(row[2]), int(row[3])) for row in rows}


# In the field order of Counts.
_CATEGORIES = ("promoter", "passive", "detractor")


def whole_days(
    start: datetime | None, end: datetime | None
) -> tuple[date | None, date | None] | None:
    """The UTC days lying wholly within [start, end) as [first, end) (None: unbounded), or
    None when there is not one whole day in the range."""
    first = _day_from(start, up=True) if start is not None else None
    last = _day_from(end, up=False) if end is not None else None
    if first is not None and last is not None and first >= last:
        return None
    return first, last


def _day_from(moment: datetime, *, up: bool) -> date:
    utc = moment.astimezone(UTC)
    day = utc.date()
    if up and utc != _midnight(day):
        return day + timedelta(days=1)
    return day


def _midnight(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=UTC)


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


CaseSort = Literal["-created_at", "due_at"]
# Each sort's column and direction; the id breaks ties in the same direction.
CASE_SORTS: dict[CaseSort, tuple[ColumnElement[Any], bool]] = {
    "-created_at": (feedback_cases.c.created_at, True),
    "due_at": (feedback_cases.c.due_at, False),
}


@dataclass(frozen=True)
class CaseView:
    """A case with the answer that opened it: what its owner reads before calling back.

    The answer's fields are None once the contact was erased (the case outlives it)."""

    case: FeedbackCase
    score: int | None
    comment: str | None
    survey_name: str | None


class FeedbackCaseRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    @staticmethod
    def _with_answer() -> Select[FeedbackCase, int | None, str | None, str | None]:
        return (
            select(FeedbackCase, responses.c.score, responses.c.comment, surveys.c.name)
            .outerjoin(responses, responses.c.id == feedback_cases.c.response_id)
            .outerjoin(surveys, surveys.c.id == feedback_cases.c.survey_id)
        )

    async def view(self, case_id: uuid.UUID) -> CaseView | None:
        query = self._with_answer().where(feedback_cases.c.id == case_id)
        row = (await self.session.execute(query)).one_or_none()
        return None if row is None else CaseView(*row)

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
        self, filters: CaseFilter, sort: CaseSort, limit: int, cursor: list[Any] | None
    ) -> list[CaseView]:
        """In `sort` order (newest first, or soonest due first), continuing after `cursor`."""
        column, descending = CASE_SORTS[sort]
        key: list[ColumnElement[Any]] = [column, feedback_cases.c.id]
        query = self._with_answer()
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
            query = query.where(after(key, cursor, descending=descending))
        order = [part.desc() if descending else part.asc() for part in key]
        query = query.order_by(*order).limit(limit)
        return [CaseView(*row) for row in (await self.session.execute(query)).all()]
