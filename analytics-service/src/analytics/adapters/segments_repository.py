"""All SQL of saved segments: their definitions, their members, and the set-based evaluation
that turns each membership change into a `segment.changed` event."""

from __future__ import annotations

import uuid
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    ARRAY,
    ColumnElement,
    FromClause,
    Row,
    Select,
    Text,
    and_,
    any_,
    bindparam,
    cast,
    delete,
    exists,
    func,
    literal,
    or_,
    select,
    union_all,
    update,
)
from sqlalchemy.dialects.postgresql import UUID, insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from analytics.adapters.orm import customers, segment_members, segments
from analytics.adapters.repository import CustomerQuery
from treue.events.contracts import SegmentChangedV1
from treue.outbox import OutboxStream
from treue.pagination import after

_MEMBERS = (
    select(func.count())
    .where(segment_members.c.segment_id == segments.c.id)
    .scalar_subquery()
    .label("members")
)


class SegmentNameTaken(Exception):
    pass


def _changes(contacts: FromClause, previous: str, current: str) -> Select[Any]:
    data = func.jsonb_build_object(
        "contact_id",
        contacts.c.contact_id,
        "kind",
        "segment",
        "segment_id",
        contacts.c.segment_id,
        "previous",
        previous,
        "current",
        current,
        "changed_at",
        func.now(),
    )
    return select(cast(contacts.c.contact_id, Text).label("subject"), data.label("data"))


@dataclass(frozen=True)
class Evaluation:
    """A segment's query, for every customer or for the customers `among` these."""

    segment_id: uuid.UUID
    query: CustomerQuery
    among: Collection[uuid.UUID] | None = None


def _found(number: int, evaluation: Evaluation) -> tuple[Select[Any], ColumnElement[bool]]:
    """Who the evaluation finds, as (segment_id, contact_id) rows, and which members it
    decides on (all of the segment's, or those among its customers)."""
    segment_id = literal(evaluation.segment_id, UUID(as_uuid=True))
    found = select(segment_id.label("segment_id"), customers.c.contact_id).where(
        *evaluation.query.conditions()
    )
    scope: list[ColumnElement[bool]] = [segment_members.c.segment_id == segment_id]
    if evaluation.among is not None:
        # One array parameter, so the statement is the same whatever the batch's size.
        ids = bindparam(f"among_{number}", list(evaluation.among), type_=ARRAY(UUID(as_uuid=True)))
        found = found.where(customers.c.contact_id == any_(ids))
        scope.append(segment_members.c.contact_id == any_(ids))
    return found, and_(*scope)


class SegmentRepository:
    def __init__(self, session: AsyncSession, stream: OutboxStream) -> None:
        self.session = session
        self.stream = stream

    async def add(self, row: dict[str, Any]) -> None:
        """Raises SegmentNameTaken when another segment has the name (in any case)."""
        added = await self.session.execute(
            insert(segments).values(row).on_conflict_do_nothing().returning(segments.c.id)
        )
        if added.first() is None:
            raise SegmentNameTaken(row["name"])

    async def change(self, segment_id: uuid.UUID, values: dict[str, Any]) -> None:
        """Raises SegmentNameTaken when another segment has the new name."""
        try:
            async with self.session.begin_nested():
                await self.session.execute(
                    update(segments).where(segments.c.id == segment_id).values(values)
                )
        except IntegrityError as error:
            raise SegmentNameTaken(values.get("name", "")) from error

    async def get(self, segment_id: uuid.UUID, for_update: bool = False) -> Row[Any] | None:
        query = select(segments, _MEMBERS).where(segments.c.id == segment_id)
        if for_update:
            query = query.with_for_update(of=segments)
        return (await self.session.execute(query)).one_or_none()

    async def name_taken(self, name: str, other_than: uuid.UUID | None = None) -> bool:
        conditions: list[ColumnElement[bool]] = [func.lower(segments.c.name) == name.lower()]
        if other_than is not None:
            conditions.append(segments.c.id != other_than)
        return bool(await self.session.scalar(select(exists().where(*conditions))))

    async def page(self, limit: int, cursor: list[Any] | None) -> list[Row[Any]]:
        """Oldest first."""
        order: list[ColumnElement[Any]] = [segments.c.created_at, segments.c.id]
        query = select(segments, _MEMBERS).order_by(*order).limit(limit)
        if cursor is not None:
            query = query.where(after(order, cursor, descending=False))
        return list((await self.session.execute(query)).all())

    async def definitions(self) -> list[tuple[uuid.UUID, dict[str, Any]]]:
        """Each segment's id and filters, share-locked until the caller's transaction ends:
        an edit of a segment waits for the members evaluated with its old filters to be
        committed, and then re-evaluates them all, instead of being overwritten by them."""
        query = select(segments.c.id, segments.c.filters).with_for_update(read=True)
        rows = await self.session.execute(query)
        return [(row.id, row.filters) for row in rows]

    async def members(
        self, segment_id: uuid.UUID, limit: int, cursor: list[Any] | None
    ) -> list[Row[Any]]:
        """The member customers by contact id."""
        query = (
            select(customers)
            .join(segment_members, segment_members.c.contact_id == customers.c.contact_id)
            .where(segment_members.c.segment_id == segment_id)
            .order_by(customers.c.contact_id)
            .limit(limit)
        )
        if cursor is not None:
            by_id: list[ColumnElement[Any]] = [customers.c.contact_id]
            query = query.where(after(by_id, cursor, descending=False))
        return list((await self.session.execute(query)).all())

    async def evaluate(self, evaluations: Sequence[Evaluation]) -> None:
        """Make each segment's members those customers its query finds (of all, or of the
        customers it is evaluated `among`), all of them in one statement: who joined is an
        `in` event, who left an `out` event; a membership that stays is no event."""
        if not evaluations:
            return
        parts = [_found(number, evaluation) for number, evaluation in enumerate(evaluations)]
        found = [selected for selected, _ in parts]
        scopes = [scope for _, scope in parts]
        target = (found[0] if len(found) == 1 else union_all(*found)).cte("target")
        # Members already are skipped before the insert: a conflict costs a speculative
        # insertion each, and most evaluations find the members they had.
        already = exists().where(
            segment_members.c.segment_id == target.c.segment_id,
            segment_members.c.contact_id == target.c.contact_id,
        )
        joined = (
            insert(segment_members)
            .from_select(
                ["segment_id", "contact_id"],
                select(target.c.segment_id, target.c.contact_id).where(~already),
            )
            .on_conflict_do_nothing()
            .returning(segment_members.c.segment_id, segment_members.c.contact_id)
            .cte("joined")
        )
        stays = exists().where(
            target.c.segment_id == segment_members.c.segment_id,
            target.c.contact_id == segment_members.c.contact_id,
        )
        left = (
            delete(segment_members)
            .where(or_(*scopes), ~stays)
            .returning(segment_members.c.segment_id, segment_members.c.contact_id)
            .cte("left_segment")
        )
        changes = union_all(_changes(joined, "out", "in"), _changes(left, "in", "out")).subquery(
            "changes"
        )
        await self.stream.publish_from(self.session, SegmentChangedV1, changes)

    async def remove(self, segment_id: uuid.UUID) -> None:
        """Every member leaves (an `out` event each), then the segment goes."""
        left = (
            delete(segment_members)
            .where(segment_members.c.segment_id == segment_id)
            .returning(segment_members.c.segment_id, segment_members.c.contact_id)
            .cte("left_segment")
        )
        changes = _changes(left, "in", "out").subquery("changes")
        await self.stream.publish_from(self.session, SegmentChangedV1, changes)
        await self.session.execute(delete(segments).where(segments.c.id == segment_id))
