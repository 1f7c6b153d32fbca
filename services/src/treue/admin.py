"""Operator routes every service has: its dead-letter table, visible through the gateway."""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter, Request
from pydantic import BaseModel
from sqlalchemy import select

from treue.identity import CurrentIdentity
from treue.pagination import Cursor, Limit, Page, decode_cursor
from treue.problems import ValidationFailed


class DeadLetterRead(BaseModel):
    id: int
    topic: str
    partition: int
    offset: int
    event_id: str | None
    event_type: str | None
    error: str
    created_at: datetime


def dead_letter_router(public_name: str) -> APIRouter:
    """Routes under the name the gateway routes by, whatever the process calls itself."""
    router = APIRouter(prefix=f"/api/v1/admin/services/{public_name}", tags=["operations"])

    @router.get("/dead-letters", response_model=Page[DeadLetterRead])
    async def list_dead_letters(
        request: Request, identity: CurrentIdentity, limit: Limit = 50, cursor: Cursor = None
    ) -> Page[DeadLetterRead]:
        """Events this service could not handle, newest first, with the error."""
        identity.require_admin("see dead letters")
        runtime = request.app.state.runtime
        table = runtime.tables.dead_letters
        query = select(table).order_by(table.c.id.desc()).limit(limit + 1)
        if cursor:
            query = query.where(table.c.id < _last_id(cursor))
        async with runtime.session_factory() as session:
            rows = (await session.execute(query)).all()
        return Page.of(
            rows,
            limit,
            key=lambda row: [row.id],
            item=lambda row: DeadLetterRead.model_validate(row, from_attributes=True),
        )

    return router


def _last_id(cursor: str) -> int:
    value = decode_cursor(cursor, 1)[0]
    if not isinstance(value, int):
        raise ValidationFailed("cursor", "not a cursor this API issued")
    return value
