"""Bulk actions over a selection of contacts (ids) or everything a filter matches, as a job.

The job walks the matching contacts in id order, a batch per transaction: each contact is
locked, changed through its aggregate and its contact.updated event goes into the outbox
with the change. A restarted job walks again from the start; every action is idempotent
(a tag added twice is there once), so contacts done before change no more."""

from __future__ import annotations

import uuid
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from typing import Any

from contacts.adapters.repository import ContactFilter
from contacts.domain.bulk import BulkAction, BulkTally
from contacts.service_layer.events import to_contract
from contacts.service_layer.import_handlers import Report, UowFactory
from contacts.service_layer.unit_of_work import ContactsUnitOfWork
from treue.jobs import JobRead

BULK_JOB = "contacts.bulk"


@dataclass(frozen=True)
class StartBulkAction:
    action: BulkAction
    filters: ContactFilter
    created_by: str | None


@dataclass(frozen=True)
class RunBulkAction:
    job_id: uuid.UUID
    params: dict[str, Any]
    batch_size: int = 500


def _filter_params(filters: ContactFilter) -> dict[str, Any]:
    params = asdict(filters)
    for name in ("owner_id", "segment_id"):
        params[name] = str(params[name]) if params[name] else None
    params["ids"] = [str(i) for i in filters.ids] if filters.ids is not None else None
    params["exclude_ids"] = [str(i) for i in filters.exclude_ids]
    return params


def _filter_of(params: dict[str, Any]) -> ContactFilter:
    def as_uuid(value: str | None) -> uuid.UUID | None:
        return uuid.UUID(value) if value else None

    ids = params.get("ids")
    return ContactFilter(
        q=params.get("q"),
        tag=params.get("tag"),
        lifecycle_stage=params.get("lifecycle_stage"),
        owner_id=as_uuid(params.get("owner_id")),
        segment_id=as_uuid(params.get("segment_id")),
        custom_fields=params.get("custom_fields") or {},
        ids=tuple(uuid.UUID(i) for i in ids) if ids is not None else None,
        exclude_ids=tuple(uuid.UUID(i) for i in params.get("exclude_ids") or ()),
    )


async def start_bulk_action(command: StartBulkAction, uow: ContactsUnitOfWork) -> JobRead:
    """Queues the job with how many contacts match now (the progress counts against it)."""
    async with uow:
        matched = await uow.contacts.count(command.filters)
        params = {
            "action": command.action.as_params(),
            "filter": _filter_params(command.filters),
            "matched": matched,
        }
        job = await uow.jobs.add(BULK_JOB, params, command.created_by)
        await uow.commit()
        return job


async def run_bulk_action(
    command: RunBulkAction, uow_factory: UowFactory, report: Report
) -> dict[str, Any]:
    action = BulkAction.from_params(command.params["action"])
    filters = _filter_of(command.params["filter"])
    matched = max(int(command.params.get("matched") or 0), 1)
    tally = BulkTally()
    last: uuid.UUID | None = None
    done = 0
    while True:
        async with uow_factory() as uow:
            ids = await uow.contacts.ids_after(filters, last, command.batch_size)
            if not ids:
                break
            locked = await uow.contacts.lock(ids)
            now = datetime.now(UTC)
            for contact_id in ids:
                contact = locked.get(contact_id)
                if contact is None:
                    # Erased or merged between the two reads: nothing left to change.
                    continue
                outcome, reason = action.apply(contact, now)
                tally.add(contact_id, outcome, reason)
                for event in contact.pull_events():
                    uow.publish(to_contract(event), subject=str(contact.id))
            await uow.commit()
        last = ids[-1]
        done += len(ids)
        await report(min(done / matched, 0.99))
    return tally.as_result()
