"""All SQL of duplicate detection (trigram similarity, pg_trgm) and of moving a merged
contact's history to its survivor."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Table, and_, case, func, literal, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from contacts.adapters.orm import contacts, contracts, interactions, orders, survey_responses, tasks
from contacts.adapters.repository import ACTIVE
from contacts.domain.model import Contact

# Only contacts this alike by trigrams are compared further (pg_trgm's `%` operator, which
# uses the trigram indexes, at its default threshold of 0.3).
PREFILTER_LIMIT = 200
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
        name = f"{contact.first_name} {contact.last_name}".strip().lower()
        if not name:
            return []
        name_similarity = func.similarity(_full_name(contacts), literal(name))
        prefilter = [
            contacts.c[column].op("%")(value)
            for column, value in (
                ("last_name", contact.last_name),
                ("first_name", contact.first_name),
            )
            if value
        ]
        query = (
            select(
                Contact,
                name_similarity.label("name_similarity"),
                _company_similarity(contacts.c.company, literal(contact.company)).label("company"),
            )
            .where(ACTIVE, contacts.c.id != contact.id, or_(*prefilter))
            .order_by(name_similarity.desc(), contacts.c.id)
            .limit(PREFILTER_LIMIT)
        )
        rows = (await self.session.execute(query)).all()
        return [Similar(row[0], float(row[1]), _float(row[2])) for row in rows]

    async def similar_pairs(self, since: datetime | None, limit: int) -> list[SimilarPair]:
        """Pairs with alike last names, most alike first; `since` compares only contacts
        changed since then with all others (a full scan of a large base takes a while)."""
        ta, tb = contacts.alias("a"), contacts.alias("b")
        a, b = aliased(Contact, ta), aliased(Contact, tb)
        name_similarity = func.similarity(_full_name(ta), _full_name(tb))
        query = (
            select(
                a,
                b,
                name_similarity.label("name_similarity"),
                _company_similarity(ta.c.company, tb.c.company).label("company"),
            )
            .select_from(
                ta.join(tb, and_(ta.c.id < tb.c.id, ta.c.last_name.op("%")(tb.c.last_name)))
            )
            .where(
                *(and_(t.c.erased_at.is_(None), t.c.merged_into_id.is_(None)) for t in (ta, tb)),
                ta.c.last_name != "",
            )
            .order_by(name_similarity.desc(), ta.c.id, tb.c.id)
            .limit(limit * 4)
        )
        if since is not None:
            query = query.where(or_(ta.c.updated_at >= since, tb.c.updated_at >= since))
        rows = (await self.session.execute(query)).all()
        return [SimilarPair(r[0], r[1], float(r[2]), _float(r[3])) for r in rows]

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
