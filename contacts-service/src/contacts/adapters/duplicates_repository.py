"""All SQL of duplicate detection and of moving a merged contact's history to its survivor.

Contacts are compared only within blocks: contacts that share a key (the same mailbox, the
same phone number, a last name that sounds alike with the same first initial, an
alike-sounding last name in the same company). Each key has an expression index, so the
blocks of one contact are index lookups and a whole-base run groups by key instead of
joining every contact to every other."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Select,
    Table,
    Text,
    and_,
    case,
    delete,
    func,
    literal,
    literal_column,
    or_,
    select,
    text,
    true,
    union,
    union_all,
    update,
)
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from contacts.adapters.orm import (
    analytics_flags,
    company_key,
    contacts,
    contracts,
    duplicate_pairs,
    duplicate_scan,
    email_key,
    has_phone_key,
    interactions,
    lifecycle_changes,
    name_key,
    orders,
    phone_key,
    survey_responses,
    tasks,
)
from contacts.adapters.repository import ACTIVE
from contacts.domain.duplicates import LIKELY
from contacts.domain.model import Contact
from treue.outbox import advisory_lock_key

# At most this many block mates of one contact are scored.
PREFILTER_LIMIT = 200
# A key shared by more contacts than this tells little (a switchboard number, a common
# name at a big firm): its block is left out rather than compared pair by pair.
MAX_BLOCK = 50
SCAN_TIMEOUT = "1h"
HISTORY_TABLES: tuple[Table, ...] = (
    interactions,
    orders,
    contracts,
    tasks,
    survey_responses,
    analytics_flags,
    lifecycle_changes,
)


@dataclass(frozen=True)
class Similar:
    contact: Contact
    name_similarity: float
    company_similarity: float | None


@dataclass(frozen=True)
class SimilarPair:
    first: Contact
    second: Contact
    name_similarity: float
    company_similarity: float | None


def _blocks(table: Any) -> dict[str, tuple[ColumnElement[str], ColumnElement[bool]]]:
    """Each blocking key with the condition under which a contact has one (the condition
    of its partial index)."""
    return {
        "email": (email_key(table), table.c.email.isnot(None)),
        "phone": (phone_key(table), has_phone_key(table)),
        "name": (name_key(table), true()),
        "company": (company_key(table), table.c.company.isnot(None)),
    }


def _full_name(table: Any) -> ColumnElement[str]:
    return func.lower(func.concat_ws(" ", table.c.first_name, table.c.last_name))


def _company_similarity(left: Any, right: Any) -> ColumnElement[Any]:
    """NULL when either has no company."""
    both = and_(func.coalesce(left, "") != "", func.coalesce(right, "") != "")
    return case((both, func.similarity(func.lower(left), func.lower(right))), else_=None)


class DuplicateRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def similar_to(self, contact: Contact) -> list[Similar]:
        """The contacts in one of the contact's blocks, most alike names first."""
        blocks = _blocks(contacts)
        keys = select(
            *(case((has, key), else_=None).label(kind) for kind, (key, has) in blocks.items())
        ).where(contacts.c.id == contact.id)
        own = (await self.session.execute(keys)).one()._mapping
        same_block = [
            and_(key == own[kind], has)
            for kind, (key, has) in blocks.items()
            if own[kind] is not None
        ]
        name = f"{contact.first_name} {contact.last_name}".strip().lower()
        name_similarity = func.similarity(_full_name(contacts), literal(name))
        query = (
            select(
                Contact,
                name_similarity.label("name_similarity"),
                _company_similarity(contacts.c.company, literal(contact.company)).label("company"),
            )
            .where(ACTIVE, contacts.c.id != contact.id, or_(*same_block))
            .order_by(name_similarity.desc(), contacts.c.id)
            .limit(PREFILTER_LIMIT)
        )
        rows = (await self.session.execute(query)).all()
        return [Similar(row[0], float(row[1]), _float(row[2])) for row in rows]

    async def similar_pairs(self, since: datetime | None, limit: int) -> list[SimilarPair]:
        """Pairs within a block, most alike first (alike names; a shared mailbox or phone
        number counts as much as it does in `likeness`); `since` keeps the blocks with a
        contact changed since then. Without `since`, the pairs the last scan stored and
        those of the blocks changed after it; the whole base only before a first scan."""
        if since is None:
            scan = await self.scanned_through()
            if scan is not None:
                return await self._pairs(_stored(scan, limit * 4), _scored(scan), limit)
        return await self._pairs(None, _scored(since), limit)

    async def try_lock(self, name: str) -> bool:
        """A transaction-scoped advisory lock: held until this transaction ends."""
        return bool(
            await self.session.scalar(
                select(func.pg_try_advisory_xact_lock(advisory_lock_key(name)))
            )
        )

    async def scanned_through(self) -> datetime | None:
        """Up to when the stored pairs cover the contacts' changes; None before a scan."""
        return await self.session.scalar(select(duplicate_scan.c.scanned_through))

    async def store_pairs(self, since: datetime | None, through: datetime) -> int:
        """Stores the pairs of the blocks changed since `since` (all blocks when None) that
        can be likely, replacing those of the contacts changed since; `through` becomes
        the watermark. Answers how many pairs were written."""
        # The first scan of a big base compares every block: minutes at a million contacts,
        # longer than a statement timeout meant for requests.
        await self.session.execute(text(f"SET LOCAL statement_timeout = '{SCAN_TIMEOUT}'"))
        if since is None:
            await self.session.execute(delete(duplicate_pairs))
        else:
            changed = select(contacts.c.id).where(contacts.c.updated_at >= since)
            # One statement per side, so each uses its index (an OR of the two scans all).
            for side in (duplicate_pairs.c.first_id, duplicate_pairs.c.second_id):
                await self.session.execute(delete(duplicate_pairs).where(side.in_(changed)))
        scored = _scored(since)
        found = (
            select(
                scored.c.a,
                scored.c.b,
                scored.c.shared,
                scored.c.name_similarity,
                scored.c.company,
                _rank(scored),
            )
            .where(_may_be_likely(scored))
            .subquery("found")
        )
        insert = pg_insert(duplicate_pairs).from_select(
            ["first_id", "second_id", "shared", "name_similarity", "company_similarity", "rank"],
            select(found),
        )
        # A pair of unchanged contacts in a changed block was stored already.
        result = await self.session.execute(
            insert.on_conflict_do_nothing(index_elements=["first_id", "second_id"])
        )
        written = int(getattr(result, "rowcount", 0) or 0)
        total = await self.session.scalar(select(func.count()).select_from(duplicate_pairs))
        scan = {"scanned_through": through, "pairs": int(total or 0), "finished_at": func.now()}
        await self.session.execute(
            pg_insert(duplicate_scan)
            .values(id=1, **scan)
            .on_conflict_do_update(index_elements=["id"], set_=scan)
        )
        return written

    async def _pairs(self, stored: Select[Any] | None, live: Any, limit: int) -> list[SimilarPair]:
        columns = [live.c.a, live.c.b, live.c.name_similarity, live.c.company]
        rank = _rank(live)
        query: Select[Any] = (
            select(*columns, rank).order_by(rank.desc(), live.c.a, live.c.b).limit(limit * 4)
        )
        if stored is not None:
            both = union(stored, query).subquery("both")
            query = select(both.c.a, both.c.b, both.c.name_similarity, both.c.company).order_by(
                both.c.rank.desc(), both.c.a, both.c.b
            )
        rows = (await self.session.execute(query.limit(limit * 4))).all()
        found = await self._by_ids({row[0] for row in rows} | {row[1] for row in rows})
        return [
            SimilarPair(found[row[0]], found[row[1]], float(row[2]), _float(row[3])) for row in rows
        ]

    async def _by_ids(self, ids: set[uuid.UUID]) -> dict[uuid.UUID, Contact]:
        if not ids:
            return {}
        rows = await self.session.scalars(select(Contact).where(contacts.c.id.in_(ids)))
        return {contact.id: contact for contact in rows}

    async def move_history(self, from_id: uuid.UUID, to_id: uuid.UUID) -> dict[str, int]:
        """Hands the duplicate's interactions, orders, contracts, tasks, survey answers,
        analytics flags and churn history to the survivor; answers how many of each moved."""
        moved: dict[str, int] = {}
        for table in HISTORY_TABLES:
            result = await self.session.execute(
                update(table).where(table.c.contact_id == from_id).values(contact_id=to_id)
            )
            moved[table.name] = int(getattr(result, "rowcount", 0) or 0)
        return moved


def _changed_keys(since: datetime, key: ColumnElement[str], has: ColumnElement[bool]) -> Any:
    """The keys of one kind that contacts changed since then have."""
    return select(key).where(ACTIVE, has, contacts.c.updated_at >= since).scalar_subquery()


def _scored(since: datetime | None) -> Any:
    """Every pair of active contacts within a block of 2 to `MAX_BLOCK` members, with
    their name and company similarity and whether they share a number (mailbox or phone);
    `since` keeps the blocks of the keys contacts changed since then have (index lookups
    by key, not a scan of the base)."""
    keyed = union_all(
        *(
            select(
                contacts.c.id, literal_column(f"'{kind}:'", Text).concat(key).label("key")
            ).where(ACTIVE, has, *([key.in_(_changed_keys(since, key, has))] if since else []))
            for kind, (key, has) in _blocks(contacts).items()
        )
    ).subquery("keyed")
    blocks = (
        select(keyed.c.key, func.array_agg(keyed.c.id).label("ids"))
        .group_by(keyed.c.key)
        .having(func.count().between(2, MAX_BLOCK))
        .cte("blocks")
    )
    a = func.unnest(blocks.c.ids).table_valued("id").render_derived(name="a")
    b = func.unnest(blocks.c.ids).table_valued("id").render_derived(name="b")
    shares_number = func.split_part(blocks.c.key, ":", 1).in_(["email", "phone"])
    pairs = (
        select(a.c.id.label("a"), b.c.id.label("b"), func.bool_or(shares_number).label("shared"))
        .select_from(blocks.join(a, true()).join(b, true()))
        .where(a.c.id < b.c.id)
        .group_by(a.c.id, b.c.id)
        .cte("pairs")
    )
    ca, cb = contacts.alias("ca"), contacts.alias("cb")
    return (
        select(
            pairs.c.a,
            pairs.c.b,
            pairs.c.shared,
            func.similarity(_full_name(ca), _full_name(cb)).label("name_similarity"),
            _company_similarity(ca.c.company, cb.c.company).label("company"),
        )
        .join_from(pairs, ca, ca.c.id == pairs.c.a)
        .join(cb, cb.c.id == pairs.c.b)
        .subquery("scored")
    )


def _rank(scored: Any) -> ColumnElement[float]:
    """A shared mailbox or number weighs as in `likeness`, so it is not cut off here."""
    rank: ColumnElement[float] = scored.c.name_similarity + case((scored.c.shared, 0.3), else_=0)
    return rank.label("rank")


def _may_be_likely(scored: Any) -> ColumnElement[bool]:
    """No stricter than `likeness`: a shared number may lift any pair; otherwise the name,
    weighed with the company where both have one, must reach `LIKELY`."""
    name, company = scored.c.name_similarity, scored.c.company
    return or_(
        scored.c.shared,
        and_(company.is_(None), name >= LIKELY),
        and_(company.isnot(None), 0.7 * name + 0.3 * company >= LIKELY),
    )


def _stored(scan: datetime, limit: int) -> Select[Any]:
    """The best stored pairs of contacts still active and unchanged since the scan (the
    changed ones are compared live)."""
    ca, cb = contacts.alias("sa"), contacts.alias("sb")
    unchanged = [
        and_(c.c.erased_at.is_(None), c.c.merged_into_id.is_(None), c.c.updated_at < scan)
        for c in (ca, cb)
    ]
    pairs = duplicate_pairs
    return (
        select(
            pairs.c.first_id.label("a"),
            pairs.c.second_id.label("b"),
            pairs.c.name_similarity,
            pairs.c.company_similarity.label("company"),
            pairs.c.rank,
        )
        .join(ca, ca.c.id == pairs.c.first_id)
        .join(cb, cb.c.id == pairs.c.second_id)
        .where(*unchanged)
        .order_by(pairs.c.rank.desc(), pairs.c.first_id, pairs.c.second_id)
        .limit(limit)
    )


def _float(value: Any) -> float | None:
    return float(value) if value is not None else None
