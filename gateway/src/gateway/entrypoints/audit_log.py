"""The audit log of every write and every export of personal data, for admins."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Query

from gateway.adapters.repository import AuditFilter
from gateway.entrypoints.dependencies import ADMIN_ONLY, UowDep
from gateway.entrypoints.schemas import AuditEntryRead
from treue.pagination import Cursor, Limit, Page, decode_cursor

AuditedMethod = Literal["GET", "POST", "PUT", "PATCH", "DELETE"]
router = APIRouter(prefix="/api/v1/audit-log", tags=["audit-log"], responses=ADMIN_ONLY)


@router.get(
    "",
    response_model=Page[AuditEntryRead],
    summary="Writes and personal-data exports through the gateway, newest first",
    description="Every POST, PUT, PATCH and DELETE, failed logins included, and every GET "
    "that exports personal data: a contact's GDPR export (`/api/v1/contacts/{id}/export` "
    "and each service's part of it) and the contacts CSV (`/api/v1/contacts/export.csv`; "
    "`POST /api/v1/contacts/export` is recorded as every POST). `method=GET` lists those "
    "reads. Entries appear a fraction of a second after the request, once the writer has "
    "flushed them.",
)
async def list_audit_log(
    uow: UowDep,
    actor_id: uuid.UUID | None = None,
    path_prefix: Annotated[str | None, Query(max_length=500, examples=["/api/v1/users"])] = None,
    occurred_from: Annotated[
        datetime | None, Query(alias="from", description="Inclusive lower bound")
    ] = None,
    occurred_to: Annotated[
        datetime | None, Query(alias="to", description="Exclusive upper bound")
    ] = None,
    method: Annotated[
        AuditedMethod | None, Query(description="GET: the exports of personal data")
    ] = None,
    limit: Limit = 50,
    cursor: Cursor = None,
) -> Page[AuditEntryRead]:
    filters = AuditFilter(actor_id, path_prefix, occurred_from, occurred_to, method)
    position = decode_cursor(cursor, 2) if cursor else None
    async with uow:
        rows = await uow.audit.page(filters, limit + 1, position)
    return Page.of(
        rows,
        limit,
        key=lambda entry: [entry.occurred_at.isoformat(), str(entry.id)],
        item=AuditEntryRead.model_validate,
    )
