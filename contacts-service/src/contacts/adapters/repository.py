"""All SQL of contacts-service's contacts lives here."""

from __future__ import annotations

import json
import uuid
from collections.abc import AsyncIterator, Collection, Sequence
from dataclasses import dataclass, field
from typing import Any

import asyncpg
from sqlalchemy import (
    CTE,
    ColumnElement,
    Select,
    TableClause,
    Text,
    all_,
    and_,
    any_,
    cast,
    func,
    insert,
    literal,
    literal_column,
    or_,
    select,
    text,
    union,
    union_all,
)
from sqlalchemy.dialects.postgresql import ARRAY, UUID
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from contacts.adapters.bulk import driver_connection, insert_with_events, json_object
from contacts.adapters.orm import (
    INFIX_COLUMNS,
    SEARCHABLE_COLUMNS,
    contact_segments,
    contacts,
)
from contacts.domain.imports import email_key
from contacts.domain.model import Contact
from treue.events.contracts import ContactCreatedV1
from treue.outbox import OutboxStream
from treue.pagination import after
from treue.problems import ALREADY_USED, Conflict, FieldError

# A word this long is searched inside last names and companies too (trigram indexes); a
# shorter one only as a prefix, which btree indexes answer with true row estimates.
INFIX_MIN_LENGTH = 5
# A search's words are counted up to this many hits each to pick the rarest to build on.
HIT_PROBE = 1000
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
    # Never these (rows unticked after selecting everything a filter matches).
    exclude_ids: tuple[uuid.UUID, ...] = ()


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


_INSERT_CONTACT = insert(contacts)


class ContactRepository:
    def __init__(self, session: AsyncSession, outbox: OutboxStream | None = None) -> None:
        self.session = session
        self.outbox = outbox

    async def add(self, contact: Contact) -> None:
        """A new contact, written at once with one INSERT instead of at the session's flush:
        the ORM's unit of work spent about as much CPU on one new object as the create's
        SQL itself. The session does not track it; nothing in a create changes it after."""
        row = {column.name: getattr(contact, column.name) for column in contacts.columns}
        try:
            await self.session.execute(_INSERT_CONTACT, row)
        except IntegrityError as error:
            raise _unique_conflict(error.orig) from error

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
            lowered = sorted({email_key(e) for e in emails})
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
        terms = _terms(filters.q or "")
        if not terms:
            query = self.page_query(filters, sort, limit, cursor)
            return list((await self.session.scalars(query)).all())
        query = self.page_query(filters, sort, limit, cursor, driver=await self.rarest_word(terms))
        # A search reads its few hits' rows by primary key. The planner cannot know how
        # few they are (it guesses thousands) and would rather hash-join them with a scan
        # of every contact another word or filter matches: 100,000 for a first name.
        await self.session.execute(text("SET LOCAL enable_hashjoin = off"))
        await self.session.execute(text("SET LOCAL enable_mergejoin = off"))
        try:
            return list((await self.session.scalars(query)).all())
        finally:
            await self.session.execute(text("RESET enable_hashjoin"))
            await self.session.execute(text("RESET enable_mergejoin"))

    async def rarest_word(self, terms: list[str]) -> str:
        """The word with the fewest hits, counted up to `HIT_PROBE` each in one statement
        (index-only): a common first name costs that many index entries, not its 100,000
        contacts. Of equally common words, the longest."""
        if len(terms) == 1:
            return terms[0]
        counts = [
            select(func.count())
            .select_from(union_all(*_hit_ways(term, contacts.c.id)).limit(HIT_PROBE).subquery())
            .scalar_subquery()
            for term in terms
        ]
        found = (await self.session.execute(select(*counts))).one()
        return terms[min(range(len(terms)), key=lambda i: (found[i], -len(terms[i])))]

    @staticmethod
    def page_query(
        filters: ContactFilter,
        sort: str,
        limit: int,
        cursor: list[Any] | None,
        *,
        driver: str | None = None,
    ) -> Select[Contact]:
        """The page's statement. A search is built from the hits of one word, `driver` (one
        of the search's words; by default the longest), and checks the others on them."""
        column_name, descending = SORTS[sort]

        def ordered(query: Select[Any], columns: list[ColumnElement[Any]]) -> Select[Any]:
            if cursor is not None:
                query = query.where(after(columns, cursor, descending))
            order = [c.desc() if descending else c.asc() for c in columns]
            return query.order_by(*order).limit(limit)

        terms = _terms(filters.q or "")
        if not terms:
            conditions = ContactRepository._conditions(filters)
            return ordered(
                select(Contact).where(*conditions), [contacts.c[column_name], contacts.c.id]
            )
        # The hits of one word; the other words and filters are checked on the contacts found.
        driver = driver if driver is not None else max(terms, key=len)
        hits = _search_hits(driver)
        rest = list(terms)
        rest.remove(driver)  # only once: "anna anna" still needs two Annas
        others = [or_(*_matches(term, indexed=False)) for term in rest]
        conditions = [*ContactRepository._conditions(filters, search=False), *others]
        if column_name == "created_at" and not others and filters == ContactFilter(q=filters.q):
            # One word alone: the page is cut from the hits (index-only) before a single
            # contact row is read.
            page = ordered(select(hits), [hits.c.created_at, hits.c.id]).subquery("page")
            query = select(Contact).join(page, page.c.id == contacts.c.id)
            order = [page.c.created_at, page.c.id]
            return query.order_by(*(c.desc() if descending else c.asc() for c in order))
        query = select(Contact).join(hits, hits.c.id == contacts.c.id).where(*conditions)
        # Sorted by the hits' own columns where it can: ordered by the contacts' creation
        # time, the planner may walk that index backwards and probe the hits instead.
        if column_name == "created_at":
            return ordered(query, [hits.c.created_at, hits.c.id])
        return ordered(query, [contacts.c[column_name], contacts.c.id])

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
    def _conditions(filters: ContactFilter, *, search: bool = True) -> list[ColumnElement[bool]]:
        conditions: list[ColumnElement[bool]] = [ACTIVE]
        if search:
            conditions += [or_(*_matches(term)) for term in _terms(filters.q or "")]
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
        if filters.exclude_ids:
            left_out = literal(list(filters.exclude_ids), ARRAY(UUID(as_uuid=True)))
            conditions.append(contacts.c.id != all_(left_out))
        if filters.segment_id:
            members = select(contact_segments.c.contact_id).where(
                contact_segments.c.segment_id == filters.segment_id,
                contact_segments.c.member.is_(True),
            )
            conditions.append(contacts.c.id.in_(members))
        return conditions


def _terms(q: str) -> list[str]:
    return q.lower().split()[:5]


def _matches(term: str, *, indexed: bool = True) -> list[ColumnElement[bool]]:
    """Every word of a search must match ("anna müller" finds Anna Müller), in one of these
    ways: as the start of a first name, last name, e-mail or company, or, when it has at
    least `INFIX_MIN_LENGTH` characters, anywhere in a last name or company ("logistik"
    finds "Schmidt Logistik")."""
    escaped = term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    # The pattern is written into the statement: with a bound parameter a cached generic
    # plan could use neither the prefix index nor its statistics.
    prefix = literal(f"{escaped}%", Text, literal_execute=True)

    # Not indexed: the same test on `column || ''`, which no index serves, for words
    # checked on contacts already found; offered an index for a common word (a first
    # name), the planner would read all its contacts instead of checking the few found.
    def column(name: str) -> ColumnElement[str]:
        return contacts.c[name] if indexed else contacts.c[name].concat(literal_column("''"))

    matches: list[ColumnElement[bool]] = [
        func.lower(column(name)).like(prefix) for name in SEARCHABLE_COLUMNS
    ]
    if len(term) >= INFIX_MIN_LENGTH:
        infix = literal(f"%{escaped}%", Text, literal_execute=True)
        matches += [column(name).ilike(infix) for name in INFIX_COLUMNS]
    return matches


def _search_hits(term: str) -> CTE:
    """The active contacts one word matches, with their creation time: one index scan per
    way the word matches (index-only for prefixes), computed before anything is sorted.
    Left to itself, the planner often walks the creation-time index backwards and
    filters, which takes seconds when the word is rarer than it estimates."""
    return (
        union(*_hit_ways(term, contacts.c.id, contacts.c.created_at))
        .cte("hits")
        .prefix_with("MATERIALIZED")
    )


def _hit_ways(term: str, *columns: ColumnElement[Any]) -> list[Select[Any]]:
    """One index scan per way the word matches."""
    return [select(*columns).where(ACTIVE, m) for m in _matches(term)]


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
        errors=[FieldError(field=field, message="already used", code=ALREADY_USED)],
    )
