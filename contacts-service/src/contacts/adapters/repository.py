"""All SQL of contacts-service's contacts lives here."""

from __future__ import annotations

import json
import uuid
from collections.abc import AsyncIterator, Collection, Sequence
from dataclasses import dataclass, field
from typing import Any

import asyncpg
from sqlalchemy import (
    ColumnElement,
    TableClause,
    Text,
    and_,
    any_,
    cast,
    func,
    literal,
    or_,
    select,
)
from sqlalchemy.dialects.postgresql import ARRAY, UUID
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from contacts.adapters.bulk import driver_connection, insert_with_events, json_object
from contacts.adapters.orm import contact_segments, contacts
from contacts.domain.model import Contact
from treue.events.contracts import ContactCreatedV1
from treue.outbox import OutboxStream
from treue.pagination import after
from treue.problems import Conflict, FieldError

SEARCHABLE_COLUMNS = ("first_name", "last_name", "email", "company")
SORTS: dict[str, tuple[str, bool]] = {
    "created_at": ("created_at", False),
    "-created_at": ("created_at", True),
    "last_name": ("last_name", False),
    "-last_name": ("last_name", True),
    "updated_at": ("updated_at", False),
    "-updated_at": ("updated_at", True),
}


# Neither erased nor merged into another contact: what every read shows.
ACTIVE = and_(contacts.c.erased_at.is_(None), contacts.c.merged_into_id.is_(None))


@dataclass(frozen=True)
class ContactFilter:
    q: str | None = None
    tag: str | None = None
    lifecycle_stage: str | None = None
    owner_id: uuid.UUID | None = None
    segment_id: uuid.UUID | None = None
    custom_fields: dict[str, Any] = field(default_factory=dict)
    # These contacts only (a selection of the list); None: no restriction.
    ids: tuple[uuid.UUID, ...] | None = None


def _created_event(staged: TableClause) -> ColumnElement[Any]:
    """contact.created (ContactCreatedV1) of a staged row; a test validates the shape."""
    return json_object(
        {
            "contact_id": staged.c.id,
            "version": staged.c.version,
            "first_name": staged.c.first_name,
            "last_name": staged.c.last_name,
            "email": staged.c.email,
            "company": staged.c.company,
            "language": staged.c.language,
            "lifecycle_stage": staged.c.lifecycle_stage,
            "tags": func.to_jsonb(staged.c.tags),
            "acquisition_channel": staged.c.acquisition_channel,
            "acquisition_cost": cast(staged.c.acquisition_cost, Text),
            "created_at": staged.c.created_at,
        }
    )


class ContactRepository:
    def __init__(self, session: AsyncSession, outbox: OutboxStream | None = None) -> None:
        self.session = session
        self.outbox = outbox

    def add(self, contact: Contact) -> None:
        self.session.add(contact)

    async def get(
        self, contact_id: uuid.UUID, *, for_update: bool = False, include_erased: bool = False
    ) -> Contact | None:
        """The contact; an erased one only when asked for (for everything else it is gone).
        A contact merged into another is gone."""
        query = select(Contact).where(
            contacts.c.id == contact_id, contacts.c.merged_into_id.is_(None)
        )
        if not include_erased:
            query = query.where(contacts.c.erased_at.is_(None))
        if for_update:
            query = query.with_for_update()
        return (await self.session.execute(query)).scalar_one_or_none()

    async def by_ids(self, ids: Collection[uuid.UUID]) -> dict[uuid.UUID, Contact]:
        if not ids:
            return {}
        rows = await self.session.scalars(select(Contact).where(contacts.c.id.in_(ids)))
        return {contact.id: contact for contact in rows}

    async def insert_many(self, new: Sequence[Contact]) -> None:
        """New contacts in one COPY, in the transaction: a bulk import's batch writes many
        times faster than through the ORM's INSERTs. Their ORM state is not tracked."""
        if not new:
            return
        names = [column.name for column in contacts.columns]
        records = [
            tuple(
                json.dumps(value) if name == "custom_fields" else value
                for name, value in ((name, getattr(contact, name)) for name in names)
            )
            for contact in new
        ]
        connection = await driver_connection(self.session)
        try:
            await connection.copy_records_to_table(contacts.name, records=records, columns=names)
        except asyncpg.UniqueViolationError as error:
            raise _unique_conflict(error) from error

    async def insert_new_rows(self, rows: Sequence[dict[str, Any]]) -> None:
        """New contacts of a bulk import (`new_contact_fields`, in file order) with their
        contact.created events, set-based. A unique e-mail or external id taken meanwhile
        answers Conflict."""
        if self.outbox is None:
            raise RuntimeError("the repository publishes no events without an outbox stream")
        try:
            await insert_with_events(
                self.session, contacts, rows, self.outbox, ContactCreatedV1, _created_event
            )
        except IntegrityError as error:
            raise _unique_conflict(error.orig) from error

    async def lock(self, ids: Collection[uuid.UUID]) -> dict[uuid.UUID, Contact]:
        """The active ones of these contacts, locked in id order (two merges of the same
        pair in opposite directions then wait for each other instead of deadlocking)."""
        query = select(Contact).where(contacts.c.id.in_(ids), ACTIVE).order_by(contacts.c.id)
        rows = await self.session.scalars(query.with_for_update())
        return {contact.id: contact for contact in rows}

    async def flush(self) -> None:
        """Writes pending changes now, inside the transaction: a merge frees the duplicate's
        unique e-mail before the survivor takes it."""
        await self.session.flush()

    async def email_taken(self, email: str, *, other_than: uuid.UUID | None = None) -> bool:
        query = select(contacts.c.id).where(func.lower(contacts.c.email) == email.lower())
        if other_than is not None:
            query = query.where(contacts.c.id != other_than)
        return (await self.session.scalar(query.limit(1))) is not None

    async def external_id_taken(self, external_id: str) -> bool:
        query = select(contacts.c.id).where(contacts.c.external_id == external_id)
        return (await self.session.scalar(query.limit(1))) is not None

    async def matching(
        self, emails: Collection[str], external_ids: Collection[str], *, for_update: bool = False
    ) -> list[Contact]:
        """The contacts with one of these e-mails (any case) or external ids."""
        # One array parameter each, not a parameter per value: an import batch names
        # thousands, and compiling as many parameters costs more than the lookup.
        conditions: list[ColumnElement[bool]] = []
        if emails:
            lowered = sorted({e.lower() for e in emails})
            conditions.append(func.lower(contacts.c.email) == any_(literal(lowered, ARRAY(Text))))
        if external_ids:
            conditions.append(
                contacts.c.external_id == any_(literal(sorted(external_ids), ARRAY(Text)))
            )
        if not conditions:
            return []
        query = select(Contact).where(or_(*conditions)).order_by(contacts.c.id)
        if for_update:
            query = query.with_for_update()
        return list((await self.session.scalars(query)).all())

    async def page(
        self, filters: ContactFilter, sort: str, limit: int, cursor: list[Any] | None
    ) -> list[Contact]:
        column_name, descending = SORTS[sort]
        sort_columns: list[ColumnElement[Any]] = [contacts.c[column_name], contacts.c.id]
        query = select(Contact)
        for condition in self._conditions(filters):
            query = query.where(condition)
        if cursor is not None:
            query = query.where(after(sort_columns, cursor, descending))
        order = [c.desc() if descending else c.asc() for c in sort_columns]
        return list((await self.session.scalars(query.order_by(*order).limit(limit))).all())

    async def count(self, filters: ContactFilter) -> int:
        query = select(func.count()).select_from(contacts)
        for condition in self._conditions(filters):
            query = query.where(condition)
        return int(await self.session.scalar(query) or 0)

    async def ids_after(
        self, filters: ContactFilter, last: uuid.UUID | None, limit: int
    ) -> list[uuid.UUID]:
        """The next matching ids in id order: a bulk action walks its target batch by batch,
        however the batches before changed what matches."""
        query = select(contacts.c.id).order_by(contacts.c.id).limit(limit)
        for condition in self._conditions(filters):
            query = query.where(condition)
        if last is not None:
            query = query.where(contacts.c.id > last)
        return list((await self.session.scalars(query)).all())

    async def stream(self, filters: ContactFilter) -> AsyncIterator[Contact]:
        """Every matching contact, oldest first, from a server-side cursor."""
        query = select(Contact).order_by(contacts.c.created_at, contacts.c.id)
        for condition in self._conditions(filters):
            query = query.where(condition)
        result = await self.session.stream_scalars(query.execution_options(yield_per=1000))
        async for contact in result:
            yield contact

    @staticmethod
    def _conditions(filters: ContactFilter) -> list[ColumnElement[bool]]:
        conditions: list[ColumnElement[bool]] = [ACTIVE]
        for term in (filters.q or "").split()[:5]:
            # Every word must match one of the searchable columns ("anna müller" finds
            # Anna Müller); each column has a trigram index, so ILIKE stays fast.
            pattern = f"%{term}%"
            conditions.append(
                or_(*(contacts.c[name].ilike(pattern) for name in SEARCHABLE_COLUMNS))
            )
        if filters.tag:
            conditions.append(contacts.c.tags.contains([filters.tag.lower()]))
        if filters.lifecycle_stage:
            conditions.append(contacts.c.lifecycle_stage == filters.lifecycle_stage)
        if filters.owner_id:
            conditions.append(contacts.c.owner_id == filters.owner_id)
        if filters.custom_fields:
            conditions.append(contacts.c.custom_fields.contains(filters.custom_fields))
        if filters.ids is not None:
            picked = literal(list(filters.ids), ARRAY(UUID(as_uuid=True)))
            conditions.append(contacts.c.id == any_(picked))
        if filters.segment_id:
            members = select(contact_segments.c.contact_id).where(
                contact_segments.c.segment_id == filters.segment_id,
                contact_segments.c.member.is_(True),
            )
            conditions.append(contacts.c.id.in_(members))
        return conditions


def _unique_conflict(error: object) -> Conflict:
    """A unique e-mail or external id another transaction took first."""
    # SQLAlchemy's wrapper of asyncpg's error carries the name on its cause.
    cause = getattr(error, "__cause__", None)
    constraint = (
        getattr(error, "constraint_name", None) or getattr(cause, "constraint_name", None) or ""
    )
    field = {"uq_contacts_email_lower": "email"}.get(constraint, "external_id")
    return Conflict(
        f"another contact has the same {field}",
        errors=[FieldError(field=field, message="already used")],
    )
