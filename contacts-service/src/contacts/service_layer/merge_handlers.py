"""Duplicates: finding contacts that are likely one person, and merging two into one."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from contacts.domain.duplicates import LIKELY, Likeness, likeness
from contacts.domain.model import Contact, ContactMerged
from contacts.service_layer.events import to_contract
from contacts.service_layer.unit_of_work import ContactsUnitOfWork
from treue.problems import NotFound, ValidationFailed

DUPLICATE_SCAN_LOCK = "contacts.duplicate_scan"
SCAN_OVERLAP = timedelta(minutes=5)


@dataclass(frozen=True)
class Duplicate:
    contact: Contact
    likeness: Likeness


@dataclass(frozen=True)
class DuplicatePair:
    first: Contact
    second: Contact
    likeness: Likeness


@dataclass(frozen=True)
class MergeContacts:
    survivor_id: uuid.UUID
    duplicate_id: uuid.UUID


@dataclass(frozen=True)
class Merged:
    contact: Contact
    moved: dict[str, int]


async def duplicates_of(contact_id: uuid.UUID, uow: ContactsUnitOfWork) -> list[Duplicate]:
    """The contact's likely duplicates, most alike first."""
    async with uow:
        contact = await uow.contacts.get(contact_id)
        if contact is None:
            raise NotFound(f"contact {contact_id} does not exist")
        similar = await uow.duplicates.similar_to(contact)
    found = [
        Duplicate(
            s.contact,
            likeness(
                s.name_similarity,
                s.company_similarity,
                contact.phone,
                s.contact.phone,
                contact.email,
                s.contact.email,
            ),
        )
        for s in similar
    ]
    return sorted((d for d in found if d.likeness.score >= LIKELY), key=lambda d: -d.likeness.score)


async def likely_duplicates(
    since: datetime | None, limit: int, uow: ContactsUnitOfWork
) -> list[DuplicatePair]:
    async with uow:
        pairs = await uow.duplicates.similar_pairs(since, limit)
    found = [
        DuplicatePair(
            p.first,
            p.second,
            likeness(
                p.name_similarity,
                p.company_similarity,
                p.first.phone,
                p.second.phone,
                p.first.email,
                p.second.email,
            ),
        )
        for p in pairs
    ]
    likely = [pair for pair in found if pair.likeness.score >= LIKELY]
    return sorted(likely, key=lambda pair: -pair.likeness.score)[:limit]


async def scan_duplicates(uow: ContactsUnitOfWork) -> int | None:
    """Stores the likely pairs of the blocks changed since the last scan (of the whole base
    at the first), in one transaction; None when another replica is scanning. The new
    watermark lags the clock by `SCAN_OVERLAP`: a change written by a transaction still
    open now carries an earlier time, and must be in the next scan."""
    async with uow:
        if not await uow.duplicates.try_lock(DUPLICATE_SCAN_LOCK):
            return None
        since = await uow.duplicates.scanned_through()
        through = datetime.now(UTC) - SCAN_OVERLAP
        written = await uow.duplicates.store_pairs(since, max(through, since or through))
        await uow.commit()
    return written


async def merge_contacts(command: MergeContacts, uow: ContactsUnitOfWork) -> Merged:
    """The duplicate's history moves to the survivor, which fills its blanks from the
    duplicate; the duplicate is gone. Emits contact.updated (when the survivor changed)
    and contact.merged."""
    if command.survivor_id == command.duplicate_id:
        raise ValidationFailed("duplicate_id", "is the contact itself")
    async with uow:
        locked = await uow.contacts.lock([command.survivor_id, command.duplicate_id])
        survivor = locked.get(command.survivor_id)
        duplicate = locked.get(command.duplicate_id)
        if survivor is None:
            raise NotFound(f"contact {command.survivor_id} does not exist")
        if duplicate is None:
            raise ValidationFailed("duplicate_id", f"no contact {command.duplicate_id}")
        now = datetime.now(UTC)
        changes = survivor.merge_changes(duplicate)
        churn = survivor.merge_churn(duplicate)
        duplicate.retire_into(survivor.id, now)
        await uow.contacts.flush()
        survivor.absorb(duplicate.id, changes, now, churn)
        moved = await uow.duplicates.move_history(duplicate.id, survivor.id)
        for event in survivor.pull_events():
            subject = duplicate.id if isinstance(event, ContactMerged) else survivor.id
            uow.publish(to_contract(event), subject=str(subject))
        await uow.commit()
        return Merged(survivor, moved)
