"""HTTP route of a contact's timeline: everything that happened with them, newest first."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Depends
from pydantic import TypeAdapter

from contacts.entrypoints.dependencies import UowDep, problem_responses
from contacts.entrypoints.interactions_api import require_contact
from contacts.entrypoints.timeline_schemas import TimelineItem
from treue.identity import CurrentIdentity, current_identity
from treue.pagination import Cursor, Limit, Page, decode_cursor

router = APIRouter(
    prefix="/api/v1/contacts", tags=["contacts"], dependencies=[Depends(current_identity)]
)
timeline_item = TypeAdapter[TimelineItem](TimelineItem)


@router.get(
    "/{contact_id}/timeline",
    response_model=Page[TimelineItem],
    responses=problem_responses(404),
)
async def get_timeline(
    contact_id: uuid.UUID,
    uow: UowDep,
    identity: CurrentIdentity,
    limit: Limit = 50,
    cursor: Cursor = None,
) -> Page[TimelineItem]:
    """Everything that happened with the contact, newest first: interactions, orders,
    contracts, tasks, survey responses, analytics' flags (churn risk, ABC class) and each
    churn and win-back."""
    identity.require_scope("contacts:read")
    position = decode_cursor(cursor, 2) if cursor else None
    async with uow:
        await require_contact(uow, contact_id)
        entries = await uow.timeline.page(contact_id, limit + 1, position)
    return Page.of(
        entries,
        limit,
        key=lambda entry: [entry.occurred_at.isoformat(), str(entry.id)],
        item=lambda entry: timeline_item.validate_python(
            {**entry.details, "kind": entry.kind, "id": entry.id, "occurred_at": entry.occurred_at}
        ),
    )
