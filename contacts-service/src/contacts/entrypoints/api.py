"""HTTP routes of contacts: thin, they parse, call a handler and shape the answer."""

from __future__ import annotations

import csv
import io
import uuid
from collections.abc import AsyncIterator
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, status
from fastapi.responses import StreamingResponse

from contacts.adapters.repository import SORTS, ContactFilter
from contacts.domain.custom_fields import custom_field_filter
from contacts.domain.imports import CONTACT_COLUMNS, export_row
from contacts.domain.model import LifecycleStage
from contacts.entrypoints.dependencies import UowDep, problem_responses
from contacts.entrypoints.schemas import ContactCreate, ContactRead, ContactUpdate
from contacts.service_layer import handlers
from contacts.service_layer.errors import domain_errors
from contacts.service_layer.unit_of_work import ContactsUnitOfWork
from treue.identity import CurrentIdentity, current_identity
from treue.pagination import Cursor, Limit, Page, decode_cursor
from treue.problems import NotFound, ValidationFailed

router = APIRouter(
    prefix="/api/v1/contacts", tags=["contacts"], dependencies=[Depends(current_identity)]
)

NOT_NULLABLE = {
    "first_name",
    "last_name",
    "language",
    "tags",
    "custom_fields",
    "lifecycle_stage",
    "marketing_consent",
}
CustomFieldTerms = Annotated[
    list[str] | None,
    Query(
        max_length=10,
        description="key:value of a custom field, e.g. branche:Maschinenbau (repeatable)",
    ),
]
SortKey = Literal[
    "created_at", "-created_at", "last_name", "-last_name", "updated_at", "-updated_at"
]


async def _custom_field_filter(uow: ContactsUnitOfWork, terms: list[str] | None) -> dict[str, Any]:
    if not terms:
        return {}
    with domain_errors():
        return custom_field_filter(terms, await uow.custom_fields.all())


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    response_model=ContactRead,
    responses=problem_responses(403, 409),
)
async def create_contact(
    body: ContactCreate, uow: UowDep, identity: CurrentIdentity
) -> ContactRead:
    identity.require_scope("contacts:write")
    identity.require_assignable("owner_id", None, body.owner_id)
    contact = await handlers.create_contact(handlers.CreateContact(body.model_dump()), uow)
    return ContactRead.model_validate(contact)


@router.get("", response_model=Page[ContactRead])
async def list_contacts(
    uow: UowDep,
    identity: CurrentIdentity,
    q: Annotated[
        str | None,
        Query(
            max_length=200,
            description=(
                "Words matched against name, e-mail and company, any case; every word must"
                " match: as the start of a first name, last name, e-mail or company, and a"
                " word of 5 or more characters also inside a last name or company"
            ),
            examples=["anna schm", "logistik", "anna.schmidt@example.de"],
        ),
    ] = None,
    tag: Annotated[str | None, Query(max_length=50)] = None,
    lifecycle_stage: LifecycleStage | None = None,
    owner_id: uuid.UUID | None = None,
    segment_id: Annotated[
        uuid.UUID | None,
        Query(description="Members of a saved segment (as analytics last reported them)"),
    ] = None,
    custom_field: CustomFieldTerms = None,
    sort: SortKey = "-created_at",
    limit: Limit = 50,
    cursor: Cursor = None,
) -> Page[ContactRead]:
    identity.require_scope("contacts:read")
    position = decode_cursor(cursor, 2) if cursor else None
    async with uow:
        filters = ContactFilter(
            q=q,
            tag=tag,
            lifecycle_stage=lifecycle_stage,
            owner_id=owner_id,
            segment_id=segment_id,
            custom_fields=await _custom_field_filter(uow, custom_field),
        )
        rows = await uow.contacts.page(filters, sort, limit + 1, position)
    column = SORTS[sort][0]
    return Page.of(
        rows,
        limit,
        key=lambda contact: [str(getattr(contact, column)), str(contact.id)],
        item=ContactRead.model_validate,
    )


@router.get(
    "/export.csv",
    response_class=StreamingResponse,
    responses={
        200: {
            "description": "One row per contact with the import's columns (tags `;`-separated, "
            "custom_fields as JSON), so the file can be imported again",
            "content": {"text/csv": {}},
        }
    },
)
async def export_contacts(
    uow: UowDep,
    identity: CurrentIdentity,
    q: Annotated[str | None, Query(max_length=200)] = None,
    tag: Annotated[str | None, Query(max_length=50)] = None,
    lifecycle_stage: LifecycleStage | None = None,
    owner_id: uuid.UUID | None = None,
    segment_id: uuid.UUID | None = None,
    custom_field: CustomFieldTerms = None,
) -> StreamingResponse:
    """The contacts (all, or those matching the list's filters) as CSV, streamed."""
    identity.require_scope("contacts:read")
    async with uow:
        custom_fields = await _custom_field_filter(uow, custom_field)
    filters = ContactFilter(
        q=q,
        tag=tag,
        lifecycle_stage=lifecycle_stage,
        owner_id=owner_id,
        segment_id=segment_id,
        custom_fields=custom_fields,
    )
    return export_response(uow, filters)


def export_response(uow: ContactsUnitOfWork, filters: ContactFilter) -> StreamingResponse:
    return StreamingResponse(
        _export_rows(uow, filters),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="contacts.csv"'},
    )


async def _export_rows(uow: ContactsUnitOfWork, filters: ContactFilter) -> AsyncIterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CONTACT_COLUMNS)
    async with uow:
        async for contact in uow.contacts.stream(filters):
            writer.writerow(export_row(contact))
            if buffer.tell() > 64 * 1024:
                yield buffer.getvalue()
                buffer.seek(0)
                buffer.truncate()
    yield buffer.getvalue()


@router.get("/{contact_id}", response_model=ContactRead, responses=problem_responses(404))
async def get_contact(contact_id: uuid.UUID, uow: UowDep, identity: CurrentIdentity) -> ContactRead:
    identity.require_scope("contacts:read")
    async with uow:
        contact = await uow.contacts.get(contact_id)
    if contact is None:
        raise NotFound(f"contact {contact_id} does not exist")
    return ContactRead.model_validate(contact)


@router.patch(
    "/{contact_id}", response_model=ContactRead, responses=problem_responses(403, 404, 409)
)
async def update_contact(
    contact_id: uuid.UUID, body: ContactUpdate, uow: UowDep, identity: CurrentIdentity
) -> ContactRead:
    identity.require_scope("contacts:write")
    changes = body.model_dump(exclude_unset=True)
    for name in sorted(NOT_NULLABLE & changes.keys()):
        if changes[name] is None:
            raise ValidationFailed(name, "must not be null")
    contact = await handlers.update_contact(
        handlers.UpdateContact(contact_id, changes, identity), uow
    )
    return ContactRead.model_validate(contact)
