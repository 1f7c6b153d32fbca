"""HTTP routes of feedback cases, opened for every detractor response."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Query

from survey.adapters.responses_repository import CaseFilter, CaseSort
from survey.entrypoints.dependencies import UowDep, problem_responses
from survey.entrypoints.response_schemas import CaseRead, CaseStatus, CaseUpdate
from survey.service_layer import case_handlers
from treue.identity import CurrentIdentity, current_identity
from treue.pagination import Cursor, Limit, Page, decode_cursor
from treue.problems import NotFound, ValidationFailed

router = APIRouter(
    prefix="/api/v1/feedback-cases",
    tags=["feedback-cases"],
    dependencies=[Depends(current_identity)],
)


@router.get("", response_model=Page[CaseRead], responses=problem_responses(403))
async def list_cases(
    uow: UowDep,
    identity: CurrentIdentity,
    status: CaseStatus | None = None,
    owner_id: uuid.UUID | None = None,
    unowned: Annotated[
        bool, Query(description="Only cases nobody owns yet (not with owner_id)")
    ] = False,
    overdue: bool = False,
    sort: Annotated[
        CaseSort,
        Query(description="`-created_at`: newest first; `due_at`: most overdue first"),
    ] = "-created_at",
    limit: Limit = 50,
    cursor: Cursor = None,
) -> Page[CaseRead]:
    """Newest first unless `sort` says otherwise; `overdue=true` lists the unresolved cases
    past their due date."""
    identity.require_scope("surveys:read")
    if unowned and owner_id is not None:
        raise ValidationFailed("unowned", "cannot be combined with owner_id")
    position = decode_cursor(cursor, 2) if cursor else None
    filters = CaseFilter(
        status=status,
        owner_id=owner_id,
        unowned=unowned,
        overdue_at=datetime.now(UTC) if overdue else None,
    )
    async with uow:
        rows = await uow.cases.page(filters, sort, limit + 1, position)
    return Page.of(
        rows,
        limit,
        key=lambda view: [
            (view.case.due_at if sort == "due_at" else view.case.created_at).isoformat(),
            str(view.case.id),
        ],
        item=CaseRead.of,
    )


@router.get("/{case_id}", response_model=CaseRead, responses=problem_responses(403, 404))
async def get_case(case_id: uuid.UUID, uow: UowDep, identity: CurrentIdentity) -> CaseRead:
    identity.require_scope("surveys:read")
    return await _read(case_id, uow)


@router.patch("/{case_id}", response_model=CaseRead, responses=problem_responses(403, 404, 409))
async def update_case(
    case_id: uuid.UUID, body: CaseUpdate, uow: UowDep, identity: CurrentIdentity
) -> CaseRead:
    """An invalid status transition → 409; resolving without a resolution_note → 422."""
    identity.require_scope("surveys:write")
    changes = body.model_dump(exclude_unset=True)
    for name in ("status", "due_at"):
        if name in changes and changes[name] is None:
            raise ValidationFailed(name, "must not be null")
    await case_handlers.update_case(case_handlers.UpdateCase(case_id, changes, identity), uow)
    return await _read(case_id, uow)


async def _read(case_id: uuid.UUID, uow: UowDep) -> CaseRead:
    async with uow:
        view = await uow.cases.view(case_id)
    if view is None:
        raise NotFound(f"feedback case {case_id} does not exist")
    return CaseRead.of(view)
