"""HTTP routes of duplicates: likely duplicate contacts, and merging two into one."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel, ConfigDict, Field

from contacts.entrypoints.dependencies import UowDep, problem_responses
from contacts.entrypoints.schemas import ContactRead
from contacts.service_layer import merge_handlers
from treue.identity import CurrentIdentity, current_identity

router = APIRouter(
    prefix="/api/v1/contacts", tags=["contacts"], dependencies=[Depends(current_identity)]
)

Score = Annotated[float, Field(ge=0, le=1, description="How alike, 0..1; listed from 0.6")]
Reasons = Annotated[
    list[str],
    Field(
        description=(
            "same_name, similar_name, same_company, similar_company, same_phone, same_email"
        ),
        examples=[["similar_name", "same_company"]],
    ),
]


class DuplicateRead(BaseModel):
    contact: ContactRead
    score: Score
    reasons: Reasons


class DuplicatePairRead(BaseModel):
    contact: ContactRead
    duplicate: ContactRead
    score: Score
    reasons: Reasons


class DuplicateList(BaseModel):
    items: list[DuplicateRead]


class DuplicatePairList(BaseModel):
    items: list[DuplicatePairRead]


class MergeRequest(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"duplicate_id": "5f0c6a52-3a4e-4c1e-9a43-0d8c1b7f2e11"}]},
    )

    duplicate_id: uuid.UUID = Field(description="The contact that goes into this one")


class MergeResult(BaseModel):
    contact: ContactRead
    moved: dict[str, int] = Field(
        description="How many records of each kind moved from the duplicate",
        examples=[{"interactions": 3, "orders": 1, "contracts": 0, "tasks": 1}],
    )


@router.get("/duplicates", response_model=DuplicatePairList)
async def list_duplicates(
    uow: UowDep,
    identity: CurrentIdentity,
    since: Annotated[
        datetime | None,
        Query(description="Only pairs with a contact changed since then (faster on a big base)"),
    ] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> DuplicatePairList:
    """Pairs of contacts that are likely one person (alike names, with alike companies,
    the same phone number or the same mailbox), most alike first. Only contacts that share
    a key are compared: the mailbox (any case, without a `+tag`), the phone number's last
    nine digits, the last name's sound with the first initial, or the company with the
    last name's sound; a key shared by more than 50 contacts is left out."""
    identity.require_scope("contacts:read")
    pairs = await merge_handlers.likely_duplicates(since, limit, uow)
    return DuplicatePairList(
        items=[
            DuplicatePairRead(
                contact=ContactRead.model_validate(pair.first),
                duplicate=ContactRead.model_validate(pair.second),
                score=pair.likeness.score,
                reasons=list(pair.likeness.reasons),
            )
            for pair in pairs
        ]
    )


@router.get(
    "/{contact_id}/duplicates", response_model=DuplicateList, responses=problem_responses(404)
)
async def get_duplicates(
    contact_id: uuid.UUID, uow: UowDep, identity: CurrentIdentity
) -> DuplicateList:
    """The contact's likely duplicates, most alike first."""
    identity.require_scope("contacts:read")
    found = await merge_handlers.duplicates_of(contact_id, uow)
    return DuplicateList(
        items=[
            DuplicateRead(
                contact=ContactRead.model_validate(duplicate.contact),
                score=duplicate.likeness.score,
                reasons=list(duplicate.likeness.reasons),
            )
            for duplicate in found
        ]
    )


@router.post(
    "/{contact_id}/merge", response_model=MergeResult, responses=problem_responses(403, 404)
)
async def merge_contacts(
    contact_id: uuid.UUID, body: MergeRequest, uow: UowDep, identity: CurrentIdentity
) -> MergeResult:
    """Merges `duplicate_id` into this contact: its interactions, orders, contracts, tasks
    and survey answers move here, this contact fills its empty fields from it and takes its
    tags and custom fields (its own values win), and the duplicate is gone (404).
    The lifecycle stage: `customer` wins over `lead`; a churned duplicate's churn (reason,
    note, date) carries over when it is the most recent state — onto a lead, onto a
    customer whose record has not changed since that churn, or onto a churned contact whose
    own churn is older. A merge never makes a churned contact a customer (that is
    win-back). Emits `contact.updated` (if this contact changed) and `contact.merged`, on
    which the other services move their data too (the churn was announced for the
    duplicate already: no second `customer.churned`)."""
    identity.require_scope("contacts:write")
    command = merge_handlers.MergeContacts(contact_id, body.duplicate_id)
    merged = await merge_handlers.merge_contacts(command, uow)
    return MergeResult(contact=ContactRead.model_validate(merged.contact), moved=merged.moved)
