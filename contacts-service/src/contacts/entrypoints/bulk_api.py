"""HTTP routes of bulk work on the contacts list's selection: a change to many contacts
(202 and a job), the count of a filter, and the CSV export of a selection."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query
from fastapi.responses import JSONResponse, StreamingResponse
from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from contacts.adapters.repository import ContactFilter
from contacts.domain.bulk import BulkAction, BulkActionKind
from contacts.domain.model import LifecycleStage
from contacts.entrypoints.api import export_response
from contacts.entrypoints.dependencies import UowDep, problem_responses
from contacts.service_layer.bulk_handlers import BULK_JOB, StartBulkAction, start_bulk_action
from contacts.service_layer.errors import domain_errors
from treue.identity import CurrentIdentity, current_identity
from treue.jobs import JobRead, accepted
from treue.problems import NotFound, ValidationFailed

router = APIRouter(
    prefix="/api/v1/contacts", tags=["contacts"], dependencies=[Depends(current_identity)]
)

MAX_SELECTED = 10_000


class ListFilter(BaseModel):
    """The contacts list's filters (as its query parameters); every one given must hold."""

    model_config = ConfigDict(extra="forbid")

    q: Annotated[str, StringConstraints(max_length=200)] | None = None
    tag: Annotated[str, StringConstraints(max_length=50)] | None = None
    lifecycle_stage: LifecycleStage | None = None
    owner_id: uuid.UUID | None = None
    segment_id: uuid.UUID | None = None


class Selection(BaseModel):
    """Either the contacts picked (`contact_ids`) or every contact a filter matches, less
    those in `exclude_ids` (the rows unticked after selecting all that match)."""

    model_config = ConfigDict(extra="forbid")

    contact_ids: Annotated[list[uuid.UUID], Field(min_length=1, max_length=MAX_SELECTED)] | None = (
        None
    )
    filter: ListFilter | None = Field(
        None, description="Every contact matching these filters when the job starts"
    )
    exclude_ids: Annotated[list[uuid.UUID], Field(max_length=MAX_SELECTED)] = Field(
        [],
        description="With `filter` only: contacts left out although the filter matches them",
        examples=[["5f0c2a9e-8d7b-4c6a-b1e2-3f4a5b6c7d8e"]],
    )

    def filters(self) -> ContactFilter:
        if (self.contact_ids is None) == (self.filter is None):
            raise ValidationFailed("contact_ids", "send either contact_ids or filter")
        if self.contact_ids is not None:
            if self.exclude_ids:
                raise ValidationFailed("exclude_ids", "leaves out of a filter only; send fewer ids")
            return ContactFilter(ids=tuple(dict.fromkeys(self.contact_ids)))
        assert self.filter is not None
        return ContactFilter(
            **self.filter.model_dump(), exclude_ids=tuple(dict.fromkeys(self.exclude_ids))
        )


class BulkActionCreate(Selection):
    action: BulkActionKind
    tag: Annotated[str, StringConstraints(strip_whitespace=True, max_length=50)] | None = Field(
        None, description="add_tag, remove_tag: the tag"
    )
    owner_id: uuid.UUID | None = Field(
        None, description="set_owner: the new owner's user id; null clears the owner"
    )
    lifecycle_stage: LifecycleStage | None = Field(
        None, description="set_lifecycle_stage: lead or customer (churn needs a reason each)"
    )

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {"action": "add_tag", "tag": "messe-2026", "filter": {"lifecycle_stage": "lead"}},
                {
                    "action": "remove_tag",
                    "tag": "newsletter",
                    "filter": {"tag": "newsletter"},
                    "exclude_ids": ["5f0c2a9e-8d7b-4c6a-b1e2-3f4a5b6c7d8e"],
                },
                {
                    "action": "set_owner",
                    "owner_id": "0b6f7d1e-3c1a-4f3e-9a55-1d2b3c4d5e6f",
                    "contact_ids": ["5f0c2a9e-8d7b-4c6a-b1e2-3f4a5b6c7d8e"],
                },
            ]
        },
    )

    def checked_action(self) -> BulkAction:
        with domain_errors():
            return BulkAction.checked(
                self.action,
                tag=self.tag,
                owner_id=self.owner_id,
                lifecycle_stage=self.lifecycle_stage,
                owner_given="owner_id" in self.model_fields_set,
            )


class SkippedContact(BaseModel):
    contact_id: uuid.UUID
    message: str


class BulkActionRead(JobRead):
    """The job (`status`, `progress`, `error` as every job) and, once it succeeded, what it
    did: `changed`, `unchanged` (had it already), `skipped` (a rule refused; the first 50
    with their reason in `skipped_examples`)."""

    action: BulkActionKind
    matched: int = Field(description="Contacts the selection matched when the job was queued")
    changed: int | None = None
    unchanged: int | None = None
    skipped: int | None = None
    skipped_examples: list[SkippedContact] = []

    @classmethod
    def of(cls, job: JobRead) -> BulkActionRead:
        result: dict[str, Any] = job.result or {}
        return cls(
            **job.model_dump(),
            action=BulkActionKind(job.params["action"]["kind"]),
            matched=int(job.params.get("matched") or 0),
            changed=result.get("changed"),
            unchanged=result.get("unchanged"),
            skipped=result.get("skipped"),
            skipped_examples=[SkippedContact(**e) for e in result.get("skipped_examples", [])],
        )


class ContactCount(BaseModel):
    count: int


@router.post(
    "/bulk",
    status_code=202,
    response_model=BulkActionRead,
    responses={
        202: {"description": "The job; poll it at the Location given"},
        **problem_responses(403),
    },
)
async def create_bulk_action(
    body: BulkActionCreate, uow: UowDep, identity: CurrentIdentity
) -> JSONResponse:
    """Adds or removes a tag, or sets the owner or lifecycle stage, of the contacts picked
    (`contact_ids`, up to 10,000) or of every contact a filter matches (any number) but
    those in `exclude_ids` (up to 10,000), which stay untouched.

    Runs in the background in batches; each contact changed emits its `contact.updated`
    event, as an edit would. A contact that has the value already is left alone; one a rule
    refuses (e.g. a churned contact's stage, which only win-back changes) is skipped and
    reported. Send an `Idempotency-Key` so a retried request starts one job."""
    identity.require_scope("contacts:write")
    if body.action is BulkActionKind.SET_OWNER:
        identity.require_assigns_anyone("owner_id")
    filters = body.filters()
    command = StartBulkAction(body.checked_action(), filters, identity.subject)
    job = await start_bulk_action(command, uow)
    return accepted(BulkActionRead.of(job), f"/api/v1/contacts/bulk/{job.id}")


@router.get("/bulk/{job_id}", response_model=BulkActionRead, responses=problem_responses(404))
async def get_bulk_action(
    job_id: uuid.UUID, uow: UowDep, identity: CurrentIdentity
) -> BulkActionRead:
    identity.require_scope("contacts:read")
    async with uow:
        job = await uow.jobs.get(job_id, BULK_JOB)
    if job is None:
        raise NotFound(f"bulk action {job_id} does not exist")
    return BulkActionRead.of(job)


@router.get("/count", response_model=ContactCount)
async def count_contacts(
    filters: Annotated[ListFilter, Query()], uow: UowDep, identity: CurrentIdentity
) -> ContactCount:
    """How many contacts the list's filters match (the list itself pages without a total)."""
    identity.require_scope("contacts:read")
    async with uow:
        return ContactCount(count=await uow.contacts.count(ContactFilter(**filters.model_dump())))


@router.post(
    "/export",
    response_class=StreamingResponse,
    responses={200: {"description": "As GET /export.csv", "content": {"text/csv": {}}}},
)
async def export_selection(
    body: Selection, uow: UowDep, identity: CurrentIdentity
) -> StreamingResponse:
    """The selection (`contact_ids` or a filter) as CSV, in the columns of GET /export.csv."""
    identity.require_scope("contacts:read")
    return export_response(uow, body.filters())
