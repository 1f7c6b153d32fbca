"""The contact's timeline: one keyset-paginated UNION ALL over every source of entries.

Each source is one SELECT of (kind, occurred_at, id, details) for one contact. Every branch
is cut to the page size on its own (newest first, after the cursor) through its
(contact_id, occurred_at, id) index, so a page reads at most `limit` rows per source however
long the history is. Adding a source is one more entry in TIMELINE_SOURCES and one more
item model in the API.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import (
    ColumnElement,
    FromClause,
    Select,
    Text,
    cast,
    func,
    literal,
    select,
    union_all,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.ext.asyncio import AsyncSession

from contacts.adapters.orm import (
    analytics_flags,
    contracts,
    interactions,
    lifecycle_changes,
    order_lines,
    orders,
    survey_responses,
    tasks,
)
from treue.pagination import after


@dataclass(frozen=True)
class TimelineSource:
    kind: str
    table: FromClause
    contact_id: ColumnElement[Any]
    occurred_at: ColumnElement[Any]
    id: ColumnElement[Any]
    # Money is rendered as text: JSON numbers would come back as floats.
    details: dict[str, ColumnElement[Any]]


@dataclass(frozen=True)
class TimelineEntry:
    kind: str
    occurred_at: datetime
    id: uuid.UUID
    details: dict[str, Any]


_line_count = (
    select(func.count())
    .where(order_lines.c.order_id == orders.c.id)
    .correlate(orders)
    .scalar_subquery()
)

TIMELINE_SOURCES = (
    TimelineSource(
        kind="interaction",
        table=interactions,
        contact_id=interactions.c.contact_id,
        occurred_at=interactions.c.occurred_at,
        id=interactions.c.id,
        details={
            "interaction_kind": interactions.c.kind,
            "direction": interactions.c.direction,
            "channel": interactions.c.channel,
            "subject": interactions.c.subject,
            "body": interactions.c.body,
            "sentiment": interactions.c.sentiment,
            "cost": cast(interactions.c.cost, Text),
            "currency": interactions.c.currency,
        },
    ),
    TimelineSource(
        kind="order",
        table=orders,
        contact_id=orders.c.contact_id,
        occurred_at=orders.c.ordered_at,
        id=orders.c.id,
        details={
            "external_id": orders.c.external_id,
            "currency": orders.c.currency,
            "revenue": cast(orders.c.revenue, Text),
            "cost": cast(orders.c.cost, Text),
            "line_count": _line_count,
        },
    ),
    TimelineSource(
        kind="contract",
        table=contracts,
        contact_id=contracts.c.contact_id,
        occurred_at=contracts.c.created_at,
        id=contracts.c.id,
        details={
            "product_id": contracts.c.product_id,
            "start_date": contracts.c.start_date,
            "end_date": contracts.c.end_date,
            "notice_period_days": contracts.c.notice_period_days,
            "auto_renew": contracts.c.auto_renew,
            "monthly_value": cast(contracts.c.monthly_value, Text),
            "currency": contracts.c.currency,
            "status": contracts.c.status,
        },
    ),
    TimelineSource(
        kind="task",
        table=tasks,
        contact_id=tasks.c.contact_id,
        occurred_at=tasks.c.created_at,
        id=tasks.c.id,
        details={
            "title": tasks.c.title,
            "title_code": tasks.c.title_code,
            "title_params": tasks.c.title_params,
            "due_at": tasks.c.due_at,
            "assignee_id": tasks.c.assignee_id,
            "status": tasks.c.status,
            "origin": tasks.c.origin,
            "completed_at": tasks.c.completed_at,
        },
    ),
    TimelineSource(
        kind="survey_response",
        table=survey_responses,
        contact_id=survey_responses.c.contact_id,
        occurred_at=survey_responses.c.responded_at,
        id=survey_responses.c.response_id,
        details={
            "survey_id": survey_responses.c.survey_id,
            "score": survey_responses.c.score,
            "category": survey_responses.c.category,
            "comment": survey_responses.c.comment,
            "channel": survey_responses.c.channel,
        },
    ),
    TimelineSource(
        kind="analytics_flag",
        table=analytics_flags,
        contact_id=analytics_flags.c.contact_id,
        occurred_at=analytics_flags.c.occurred_at,
        id=analytics_flags.c.id,
        details={
            "flag": analytics_flags.c.flag,
            "score": analytics_flags.c.score,
            "previous_score": analytics_flags.c.previous_score,
            "drivers": analytics_flags.c.drivers,
            "previous_class": analytics_flags.c.previous_class,
            "current_class": analytics_flags.c.current_class,
        },
    ),
    TimelineSource(
        kind="lifecycle",
        table=lifecycle_changes,
        contact_id=lifecycle_changes.c.contact_id,
        occurred_at=lifecycle_changes.c.occurred_at,
        id=lifecycle_changes.c.id,
        details={
            "change": lifecycle_changes.c.change,
            "reason": lifecycle_changes.c.reason,
            "note": lifecycle_changes.c.note,
        },
    ),
)


class TimelineRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def page(
        self, contact_id: uuid.UUID, limit: int, cursor: list[Any] | None
    ) -> list[TimelineEntry]:
        branches = [_branch(source, contact_id, limit, cursor) for source in TIMELINE_SOURCES]
        merged = union_all(*branches).subquery("timeline")
        query = (
            select(merged).order_by(merged.c.occurred_at.desc(), merged.c.id.desc()).limit(limit)
        )
        rows = (await self.session.execute(query)).all()
        return [TimelineEntry(row.kind, row.occurred_at, row.id, row.details) for row in rows]


def _branch(
    source: TimelineSource, contact_id: uuid.UUID, limit: int, cursor: list[Any] | None
) -> Select[Any]:
    details = func.jsonb_build_object(
        *(part for name, column in source.details.items() for part in (literal(name), column)),
        type_=JSONB,
    )
    query = (
        select(
            literal(source.kind).label("kind"),
            source.occurred_at.label("occurred_at"),
            source.id.label("id"),
            details.label("details"),
        )
        .select_from(source.table)
        .where(source.contact_id == contact_id)
    )
    if cursor is not None:
        query = query.where(after([source.occurred_at, source.id], cursor, descending=True))
    # A subquery keeps each branch's ORDER BY and LIMIT inside the UNION ALL.
    branch = query.order_by(source.occurred_at.desc(), source.id.desc()).limit(limit).subquery()
    return select(branch)
