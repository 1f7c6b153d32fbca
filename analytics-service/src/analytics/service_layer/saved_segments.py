"""Saved dynamic segments: defining them, and keeping their members current (on create and
update, after each recompute, and for the customers an event changed: their contact data,
their churn risk, a merge); each membership change is a `segment.changed` event."""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Set
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Row

from analytics.adapters.segments_repository import (
    Evaluation,
    SegmentNameTaken,
    SegmentRepository,
)
from analytics.domain.segment_reads import may_change
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
        await uow.segments.evaluate([Evaluation(segment_id, command.filters.query())])
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
            await uow.segments.evaluate([Evaluation(command.segment_id, command.filters.query())])
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


async def evaluate_segments(segments: SegmentRepository) -> None:
    """Every segment against every customer of the read model as it is now (a recompute),
    one statement per segment, in the caller's transaction."""
    for segment_id, filters in await segments.definitions():
        query = SegmentFilters.model_validate(filters).query()
        await segments.evaluate([Evaluation(segment_id, query)])


@dataclass(frozen=True)
class Followed:
    """Of the saved segments, how many a change was evaluated against and how many it
    could not affect."""

    evaluated: int = 0
    skipped: int = 0


async def follow_changes(
    segments: SegmentRepository, changes: Mapping[uuid.UUID, Set[str] | None]
) -> Followed:
    """The customers whose read-model columns changed (each with the columns, or None: any
    may have, as for a customer new here), against the segments those changes can move
    them in or out of; a segment whose filters read none of the changed columns is left
    alone. One statement for them all, in the caller's transaction."""
    if not changes:
        return Followed()
    evaluations = []
    definitions = await segments.definitions()
    for segment_id, definition in definitions:
        filters = SegmentFilters.model_validate(definition)
        read = filters.reads()
        among = [customer for customer, changed in changes.items() if may_change(read, changed)]
        if among:
            evaluations.append(Evaluation(segment_id, filters.query(), among))
    await segments.evaluate(evaluations)
    return Followed(len(evaluations), len(definitions) - len(evaluations))
