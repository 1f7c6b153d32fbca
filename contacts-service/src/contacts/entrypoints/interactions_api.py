"""HTTP routes of a contact's interactions: thin, they parse, call a handler, shape."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Depends, status

from contacts.domain.interactions import InteractionKind
from contacts.entrypoints.dependencies import UowDep, problem_responses
from contacts.entrypoints.interaction_schemas import InteractionCreate, InteractionRead
from contacts.service_layer import interaction_handlers
from contacts.service_layer.unit_of_work import ContactsUnitOfWork
from treue.identity import CurrentIdentity, current_identity
from treue.pagination import Cursor, Limit, Page, decode_cursor
from treue.problems import NotFound

router = APIRouter(
    prefix="/api/v1/contacts", tags=["interactions"], dependencies=[Depends(current_identity)]
)


@router.post(
    "/{contact_id}/interactions",
    status_code=status.HTTP_201_CREATED,
    response_model=InteractionRead,
    responses=problem_responses(403, 404),
)
async def log_interaction(
    contact_id: uuid.UUID, body: InteractionCreate, uow: UowDep, identity: CurrentIdentity
) -> InteractionRead:
    identity.require_scope("contacts:write")
    command = interaction_handlers.LogInteraction(contact_id, body.model_dump(exclude_unset=True))
    interaction = await interaction_handlers.log_interaction(command, uow)
    return InteractionRead.model_validate(interaction)


@router.get(
    "/{contact_id}/interactions",
    response_model=Page[InteractionRead],
    responses=problem_responses(404),
)
async def list_interactions(
    contact_id: uuid.UUID,
    uow: UowDep,
    identity: CurrentIdentity,
    kind: InteractionKind | None = None,
    limit: Limit = 50,
    cursor: Cursor = None,
) -> Page[InteractionRead]:
    """Newest first."""
    identity.require_scope("contacts:read")
    position = decode_cursor(cursor, 2) if cursor else None
    async with uow:
        await require_contact(uow, contact_id)
        rows = await uow.interactions.page_of_contact(contact_id, kind, limit + 1, position)
    return Page.of(
        rows,
        limit,
        key=lambda interaction: [interaction.occurred_at.isoformat(), str(interaction.id)],
        item=InteractionRead.model_validate,
    )


async def require_contact(uow: ContactsUnitOfWork, contact_id: uuid.UUID) -> None:
    if await uow.contacts.get(contact_id) is None:
        raise NotFound(f"contact {contact_id} does not exist")
