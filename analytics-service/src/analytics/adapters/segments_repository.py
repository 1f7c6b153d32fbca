"""All SQL of saved segments: their definitions, their members, and the set-based evaluation
that turns each membership change into a `segment.changed` event."""

from __future__ import annotations

import uuid
from collections.abc import Collection
from typing import Any

from sqlalchemy import (
    ARRAY,
    ColumnElement,
    FromClause,
    Row,
    Select,
    Text,
    any_,
    bindparam,
    cast,
    delete,
    exists,
    func,
    literal,
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


def _changes(
    segment_id: uuid.UUID, contacts: FromClause, previous: str, current: str
) -> Select[Any]:
    data = func.jsonb_build_object(
        "contact_id",
        contacts.c.contact_id,
        "kind",
        "segment",
        "segment_id",
        literal(segment_id, UUID(as_uuid=True)),
        "previous",
        previous,
        "current",
        current,
        "changed_at",
        func.now(),
    )
    return select(cast(contacts.c.contact_id, Text).label("subject"), data.label("data"))


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

    async def evaluate(
        self,
        segment_id: uuid.UUID,
        query: CustomerQuery,
        among: Collection[uuid.UUID] | None = None,
    ) -> None:
        """Make the members those customers the query finds (of all, or of the customers
        `among` these), in one statement: who joined is an `in` event, who left an `out`
        event; a customer whose membership stays as it was is no event."""
        found = select(customers.c.contact_id).where(*query.conditions())
        candidates: list[ColumnElement[bool]] = [segment_members.c.segment_id == segment_id]
        if among is not None:
            # One array parameter, so the statement is the same whatever the batch's size.
            ids = bindparam("among", list(among), type_=ARRAY(UUID(as_uuid=True)))
            found = found.where(customers.c.contact_id == any_(ids))
            candidates.append(segment_members.c.contact_id == any_(ids))
        target = found.cte("target")
        # Members already are skipped before the insert: a conflict costs a speculative
        # insertion each, and most evaluations find the members they had.
        already = exists().where(
            segment_members.c.segment_id == segment_id,
            segment_members.c.contact_id == target.c.contact_id,
        )
        joined = (
            insert(segment_members)
            .from_select(
                ["segment_id", "contact_id"],
                select(literal(segment_id, UUID(as_uuid=True)), target.c.contact_id).where(
                    ~already
                ),
            )
            .on_conflict_do_nothing()
            .returning(segment_members.c.contact_id)
            .cte("joined")
        )
        left = (
            delete(segment_members)
            .where(
                *candidates,
                ~exists().where(target.c.contact_id == segment_members.c.contact_id),
            )
            .returning(segment_members.c.contact_id)
            .cte("left_segment")
        )
        changes = union_all(
            _changes(segment_id, joined, "out", "in"), _changes(segment_id, left, "in", "out")
        ).subquery("changes")
        await self.stream.publish_from(self.session, SegmentChangedV1, changes)

    async def remove(self, segment_id: uuid.UUID) -> None:
        """Every member leaves (an `out` event each), then the segment goes."""
        left = (
            delete(segment_members)
            .where(segment_members.c.segment_id == segment_id)
            .returning(segment_members.c.contact_id)
            .cte("left_segment")
        )
        changes = _changes(segment_id, left, "in", "out").subquery("changes")
        await self.stream.publish_from(self.session, SegmentChangedV1, changes)
        await self.session.execute(delete(segments).where(segments.c.id == segment_id))
