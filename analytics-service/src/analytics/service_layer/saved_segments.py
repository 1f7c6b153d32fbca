"""Saved dynamic segments: defining them, and keeping their members current (on create and
update, after each recompute, and for the customers an event changed: their contact data,
their churn risk, a merge); each membership change is a `segment.changed` event."""

from __future__ import annotations

import uuid
from collections.abc import Collection
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Row

from analytics.adapters.segments_repository import SegmentNameTaken, SegmentRepository
from analytics.service_layer.filters import SegmentFilters
from analytics.service_layer.unit_of_work import AnalyticsUnitOfWork
from treue.problems import ALREADY_USED, Conflict, FieldError, NotFound, ValidationFailed


@dataclass(frozen=True)
class CreateSegment:
    name: str
    description: str | None
    filters: SegmentFilters


@dataclass(frozen=True)
class ChangeSegment:
    segment_id: uuid.UUID
    name: str | None = None
    description: str | None = None
    filters: SegmentFilters | None = None
    description_given: bool = False


def _name_conflict(name: str) -> Conflict:
    return Conflict(
        f"another segment is called {name!r}",
        errors=[FieldError(field="name", message="already used", code=ALREADY_USED)],
    )


def _check(filters: SegmentFilters) -> dict[str, Any]:
    contradiction = filters.contradiction()
    if contradiction is not None:
        raise ValidationFailed(*contradiction)
    return filters.model_dump(mode="json", exclude_none=True)


async def create_segment(command: CreateSegment, uow: AnalyticsUnitOfWork) -> Row[Any]:
    filters = _check(command.filters)
    segment_id, now = uuid.uuid4(), datetime.now(UTC)
    async with uow:
        if await uow.segments.name_taken(command.name):
            raise _name_conflict(command.name)
        row = {
            "id": segment_id,
            "name": command.name,
            "description": command.description,
            "filters": filters,
            "created_at": now,
            "updated_at": now,
        }
        try:
            await uow.segments.add(row)
        except SegmentNameTaken as error:
            raise _name_conflict(command.name) from error
        await uow.segments.evaluate(segment_id, command.filters.query())
        created = await uow.segments.get(segment_id)
        await uow.commit()
    assert created is not None
    return created


async def change_segment(command: ChangeSegment, uow: AnalyticsUnitOfWork) -> Row[Any]:
    values: dict[str, Any] = {"updated_at": datetime.now(UTC)}
    if command.filters is not None:
        values["filters"] = _check(command.filters)
    if command.name is not None:
        values["name"] = command.name
    if command.description_given:
        values["description"] = command.description
    async with uow:
        if await uow.segments.get(command.segment_id, for_update=True) is None:
            raise NotFound(f"there is no segment {command.segment_id}")
        if command.name is not None and await uow.segments.name_taken(
            command.name, other_than=command.segment_id
        ):
            raise _name_conflict(command.name)
        try:
            await uow.segments.change(command.segment_id, values)
        except SegmentNameTaken as error:
            raise _name_conflict(command.name or "") from error
        if command.filters is not None:
            await uow.segments.evaluate(command.segment_id, command.filters.query())
        changed = await uow.segments.get(command.segment_id)
        await uow.commit()
    assert changed is not None
    return changed


async def remove_segment(segment_id: uuid.UUID, uow: AnalyticsUnitOfWork) -> None:
    async with uow:
        if await uow.segments.get(segment_id, for_update=True) is None:
            raise NotFound(f"there is no segment {segment_id}")
        await uow.segments.remove(segment_id)
        await uow.commit()


async def evaluate_segments(
    segments: SegmentRepository, among: Collection[uuid.UUID] | None = None
) -> None:
    """Every segment against the read model as it is now (for every customer, or for the
    customers `among` these: one statement per segment, however many they are), in the
    caller's transaction."""
    if among is not None and not among:
        return
    for segment_id, filters in await segments.definitions():
        query = SegmentFilters.model_validate(filters).query()
        await segments.evaluate(segment_id, query, among)
