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
    Table,
    Text,
    and_,
    case,
    func,
    literal,
    literal_column,
    or_,
    select,
    true,
    union_all,
    update,
)
from sqlalchemy.ext.asyncio import AsyncSession

from contacts.adapters.orm import (
    company_key,
    contacts,
    contracts,
    email_key,
    has_phone_key,
    interactions,
    name_key,
    orders,
    phone_key,
    survey_responses,
    tasks,
)
from contacts.adapters.repository import ACTIVE
from contacts.domain.model import Contact

# At most this many block mates of one contact are scored.
PREFILTER_LIMIT = 200
# A key shared by more contacts than this tells little (a switchboard number, a common
# name at a big firm): its block is left out rather than compared pair by pair.
MAX_BLOCK = 50
HISTORY_TABLES: tuple[Table, ...] = (interactions, orders, contracts, tasks, survey_responses)


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
        contact changed since then."""
        keyed = union_all(
            *(
                select(
                    contacts.c.id,
                    contacts.c.updated_at,
                    literal_column(f"'{kind}:'", Text).concat(key).label("key"),
                ).where(ACTIVE, has)
                for kind, (key, has) in _blocks(contacts).items()
            )
        ).subquery("keyed")
        wanted: ColumnElement[bool] = func.count().between(2, MAX_BLOCK)
        if since is not None:
            wanted = and_(wanted, func.max(keyed.c.updated_at) >= since)
        blocks = (
            select(keyed.c.key, func.array_agg(keyed.c.id).label("ids"))
            .group_by(keyed.c.key)
            .having(wanted)
            .cte("blocks")
        )
        a = func.unnest(blocks.c.ids).table_valued("id").render_derived(name="a")
        b = func.unnest(blocks.c.ids).table_valued("id").render_derived(name="b")
        shares_number = func.split_part(blocks.c.key, ":", 1).in_(["email", "phone"])
        pairs = (
            select(
                a.c.id.label("a"), b.c.id.label("b"), func.bool_or(shares_number).label("shared")
            )
            .select_from(blocks.join(a, true()).join(b, true()))
            .where(a.c.id < b.c.id)
            .group_by(a.c.id, b.c.id)
            .cte("pairs")
        )
        ca, cb = contacts.alias("ca"), contacts.alias("cb")
        scored = (
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
        # A shared mailbox or number weighs as in `likeness`, so it is not cut off here.
        rank = scored.c.name_similarity + case((scored.c.shared, 0.3), else_=0)
        query = (
            select(scored.c.a, scored.c.b, scored.c.name_similarity, scored.c.company)
            .order_by(rank.desc(), scored.c.a, scored.c.b)
            .limit(limit * 4)
        )
        rows = (await self.session.execute(query)).all()
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
        """Hands the duplicate's interactions, orders, contracts, tasks and survey answers
        to the survivor; answers how many of each moved."""
        moved: dict[str, int] = {}
        for table in HISTORY_TABLES:
            result = await self.session.execute(
                update(table).where(table.c.contact_id == from_id).values(contact_id=to_id)
            )
            moved[table.name] = int(getattr(result, "rowcount", 0) or 0)
        return moved


def _float(value: Any) -> float | None:
    return float(value) if value is not None else None
