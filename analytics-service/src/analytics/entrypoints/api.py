"""HTTP routes of analytics: the customer read model (customer value follows in its issue)."""

from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal

from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel

from analytics.adapters.repository import CustomerRepository
from treue.identity import CurrentIdentity, current_identity
from treue.pagination import Cursor, Limit, Page, decode_cursor, encode_cursor
from treue.problems import NotFound

router = APIRouter(
    prefix="/api/v1/analytics", tags=["analytics"], dependencies=[Depends(current_identity)]
)


class CustomerRead(BaseModel):
    contact_id: uuid.UUID
    contact_version: int
    first_name: str
    last_name: str
    email: str | None
    company: str | None
    language: str
    lifecycle_stage: str
    tags: list[str]
    acquisition_channel: str | None
    acquisition_cost: Decimal | None
    became_contact_at: datetime
    updated_at: datetime


@router.get("/customers", response_model=Page[CustomerRead])
async def list_customers(
    request: Request, identity: CurrentIdentity, limit: Limit = 50, cursor: Cursor = None
) -> Page[CustomerRead]:
    identity.require_scope("analytics:read")
    position = decode_cursor(cursor, 2) if cursor else None
    async with request.app.state.runtime.session_factory() as session:
        rows = await CustomerRepository(session).page(limit + 1, position)
    items = [CustomerRead.model_validate(row, from_attributes=True) for row in rows[:limit]]
    next_cursor = None
    if len(rows) > limit:
        last = items[-1]
        next_cursor = encode_cursor([last.became_contact_at.isoformat(), str(last.contact_id)])
    return Page(items=items, next_cursor=next_cursor)


@router.get("/customers/{contact_id}", response_model=CustomerRead)
async def get_customer(
    contact_id: uuid.UUID, request: Request, identity: CurrentIdentity
) -> CustomerRead:
    identity.require_scope("analytics:read")
    async with request.app.state.runtime.session_factory() as session:
        row = await CustomerRepository(session).get(contact_id)
    if row is None:
        raise NotFound(f"analytics knows no customer {contact_id} (yet)")
    return CustomerRead.model_validate(row, from_attributes=True)
