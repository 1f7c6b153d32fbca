"""HTTP routes of segmentation: the ABC split, the on-demand recompute and saved segments."""

from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request, Response
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field, field_serializer

from analytics.adapters.repository import CustomerRepository
from analytics.domain.segments import ABC_CLASSES
from analytics.entrypoints.api import CustomerRead
from analytics.entrypoints.dependencies import UowDep
from analytics.entrypoints.job_routes import find_job, start_job
from analytics.entrypoints.runtime_settings import RulesDep
from analytics.service_layer import saved_segments
from analytics.service_layer.filters import SegmentFilters
from analytics.service_layer.segmentation import RECOMPUTE
from treue.identity import CurrentIdentity, current_identity
from treue.jobs import JobRead
from treue.pagination import Cursor, Limit, Page, decode_cursor
from treue.problems import NotFound, problem_responses

router = APIRouter(
    prefix="/api/v1/analytics/segments",
    tags=["analytics"],
    dependencies=[Depends(current_identity)],
)


class AbcClass(BaseModel):
    class_: Annotated[str, Field(alias="class", serialization_alias="class")]
    customers: int
    value: Decimal = Field(description="Sum of the class's customer values (negatives as 0)")
    value_share: float = Field(description="The class's share of the total value, 0..1")

    model_config = {"populate_by_name": True}


class AbcSplit(BaseModel):
    thresholds: dict[str, Decimal] = Field(
        description="Percent of the total value per class, e.g. {A: 80, B: 15, C: 5}"
    )
    classes: list[AbcClass]

    model_config = {
        "json_schema_extra": {
            "examples": [
                {
                    "thresholds": {"A": "80", "B": "15", "C": "5"},
                    "classes": [
                        {"class": "A", "customers": 212, "value": "801234.50", "value_share": 0.8},
                        {"class": "B", "customers": 301, "value": "150112.00", "value_share": 0.15},
                        {"class": "C", "customers": 987, "value": "49876.10", "value_share": 0.05},
                    ],
                }
            ]
        }
    }


@router.get("/abc", response_model=AbcSplit, response_model_by_alias=True)
async def get_abc_split(request: Request, identity: CurrentIdentity, rules: RulesDep) -> AbcSplit:
    """The ABC split as of the last recompute. A customer's value is the predicted CLV of
    the last CLV run or, where that run made no prediction (no order up to its as_of), the
    historical net value; customers are ranked by value and A holds those making the first
    A percent of the total value, B the next B percent, C the rest (and everyone whose
    value is zero or negative). The classes are recomputed after each CLV run and by
    POST /segments/recompute."""
    identity.require_scope("analytics:read")
    runtime = request.app.state.runtime
    async with runtime.session_factory() as session:
        rows = await CustomerRepository(session).abc_summary()
    summary = {row.abc_class: row for row in rows}
    total = sum((s.value for s in summary.values()), Decimal(0))
    classes = []
    for name in ABC_CLASSES:
        found = summary.get(name)
        value = found.value if found else Decimal(0)
        classes.append(
            AbcClass(
                class_=name,
                customers=found.customers if found else 0,
                value=value,
                value_share=float(value / total) if total > 0 else 0.0,
            )
        )
    return AbcSplit(thresholds=rules.abc_thresholds().as_dict(), classes=classes)


@router.post("/recompute", status_code=202, response_model=JobRead)
async def start_recompute(request: Request, identity: CurrentIdentity) -> JSONResponse:
    """Recompute every customer's ABC class and RFM score now (it also runs after each CLV
    run); each class change is a `segment.changed` event. Poll the job at the Location."""
    identity.require_scope("analytics:read")
    return await start_job(
        request, RECOMPUTE, {}, identity.subject, "/api/v1/analytics/segments/recompute"
    )


@router.get("/recompute/{job_id}", response_model=JobRead, responses=problem_responses(404))
async def get_recompute(job_id: uuid.UUID, request: Request, identity: CurrentIdentity) -> JobRead:
    identity.require_scope("analytics:read")
    return await find_job(request, job_id, RECOMPUTE, "recompute")


class SegmentCreate(BaseModel):
    name: str = Field(min_length=1, max_length=100)
    description: str | None = Field(None, max_length=2000)
    filters: SegmentFilters = Field(default_factory=SegmentFilters)

    model_config = {
        "json_schema_extra": {
            "examples": [
                {
                    "name": "A customers at risk",
                    "description": "Most valuable customers who may leave",
                    "filters": {"abc_class": ["A"], "min_churn_risk": 0.6},
                }
            ]
        }
    }


class SegmentUpdate(BaseModel):
    """Only the fields given change; new filters re-evaluate the members at once."""

    name: str | None = Field(None, min_length=1, max_length=100)
    description: str | None = Field(None, max_length=2000)
    filters: SegmentFilters | None = None


class SegmentRead(BaseModel):
    id: uuid.UUID
    name: str
    description: str | None
    filters: SegmentFilters
    members: int = Field(description="Customers in the segment as of its last evaluation")
    created_at: datetime
    updated_at: datetime

    @field_serializer("filters")
    def _filters_given(self, filters: SegmentFilters) -> dict[str, Any]:
        return filters.model_dump(mode="json", exclude_none=True)


SEGMENTS_DESCRIPTION = (
    "A saved segment is a set of filters over the customer read model. Its members are "
    "evaluated when it is created or its filters change, after every recompute (each CLV "
    "run, POST /segments/recompute), and for one customer when an event changes their churn "
    "risk (a contract, an NPS answer, a complaint, a churn); each customer joining or leaving is a "
    "`segment.changed` event (kind segment, previous/current in or out), from which other "
    "services keep their own contact-to-segment table."
)


@router.post(
    "",
    status_code=201,
    response_model=SegmentRead,
    description=SEGMENTS_DESCRIPTION,
    responses=problem_responses(409),
)
async def create_segment(
    body: SegmentCreate, uow: UowDep, identity: CurrentIdentity, response: Response
) -> SegmentRead:
    """Save a segment and evaluate its members."""
    identity.require_scope("analytics:read")
    command = saved_segments.CreateSegment(body.name, body.description, body.filters)
    row = await saved_segments.create_segment(command, uow)
    response.headers["Location"] = f"/api/v1/analytics/segments/{row.id}"
    return SegmentRead.model_validate(row, from_attributes=True)


@router.get("", response_model=Page[SegmentRead])
async def list_segments(
    uow: UowDep, identity: CurrentIdentity, limit: Limit = 50, cursor: Cursor = None
) -> Page[SegmentRead]:
    """The saved segments, oldest first."""
    identity.require_scope("analytics:read")
    position = decode_cursor(cursor, 2) if cursor else None
    async with uow:
        rows = await uow.segments.page(limit + 1, position)
    return Page.of(
        rows,
        limit,
        key=lambda segment: [segment.created_at.isoformat(), str(segment.id)],
        item=lambda segment: SegmentRead.model_validate(segment, from_attributes=True),
    )


@router.get("/{segment_id}", response_model=SegmentRead, responses=problem_responses(404))
async def get_segment(segment_id: uuid.UUID, uow: UowDep, identity: CurrentIdentity) -> SegmentRead:
    identity.require_scope("analytics:read")
    async with uow:
        row = await uow.segments.get(segment_id)
    if row is None:
        raise NotFound(f"there is no segment {segment_id}")
    return SegmentRead.model_validate(row, from_attributes=True)


@router.patch("/{segment_id}", response_model=SegmentRead, responses=problem_responses(404, 409))
async def change_segment(
    segment_id: uuid.UUID, body: SegmentUpdate, uow: UowDep, identity: CurrentIdentity
) -> SegmentRead:
    """Rename, describe or refilter a segment; new filters re-evaluate the members."""
    identity.require_scope("analytics:read")
    command = saved_segments.ChangeSegment(
        segment_id,
        name=body.name,
        description=body.description,
        filters=body.filters,
        description_given="description" in body.model_fields_set,
    )
    row = await saved_segments.change_segment(command, uow)
    return SegmentRead.model_validate(row, from_attributes=True)


@router.delete("/{segment_id}", status_code=204, responses=problem_responses(404))
async def delete_segment(segment_id: uuid.UUID, uow: UowDep, identity: CurrentIdentity) -> None:
    """Delete a segment; each of its members leaves it (a `segment.changed` out event)."""
    identity.require_scope("analytics:read")
    await saved_segments.remove_segment(segment_id, uow)


@router.get(
    "/{segment_id}/members", response_model=Page[CustomerRead], responses=problem_responses(404)
)
async def list_segment_members(
    segment_id: uuid.UUID,
    uow: UowDep,
    identity: CurrentIdentity,
    limit: Limit = 50,
    cursor: Cursor = None,
) -> Page[CustomerRead]:
    """The segment's customers as of its last evaluation, by contact id."""
    identity.require_scope("analytics:read")
    position = decode_cursor(cursor, 1) if cursor else None
    async with uow:
        if await uow.segments.get(segment_id) is None:
            raise NotFound(f"there is no segment {segment_id}")
        rows = await uow.segments.members(segment_id, limit + 1, position)
    return Page.of(
        rows,
        limit,
        key=lambda customer: [str(customer.contact_id)],
        item=lambda customer: CustomerRead.model_validate(customer, from_attributes=True),
    )
