"""Tasks that appear on their own: a renewal task when a contract term's notice date is
near (the daily job), and a call-back for each detractor survey-service reports."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime

import structlog

from contacts.domain.contracts import Contract
from contacts.domain.model import Contact
from contacts.domain.tasks import Task, detractor_call_back, renewal_task
from contacts.service_layer import contract_handlers, task_handlers
from contacts.service_layer.unit_of_work import ContactsUnitOfWork

log = structlog.get_logger("contacts.automatic_tasks")
RENEWAL_LOCK = "contacts:renewal-job"
RENEWAL_BATCH = 500


@dataclass(frozen=True)
class AnnounceRenewalsDue:
    today: date
    window_days: int


@dataclass(frozen=True)
class OpenDetractorCallBack:
    contact_id: uuid.UUID
    response_id: uuid.UUID
    score: int
    due_at: datetime


async def announce_renewals_due(command: AnnounceRenewalsDue, uow: ContactsUnitOfWork) -> int:
    """Gives each contract whose notice date is within the window a renewal task and emits
    `contract.renewal_due`, once per term. Runs in batches; the advisory lock keeps a second
    replica from running alongside (-1 when another one holds it)."""
    announced = 0
    while True:
        async with uow:
            if not await uow.contracts.try_lock(RENEWAL_LOCK):
                return -1
            due = await uow.contracts.renewals_due(
                command.today, command.window_days, RENEWAL_BATCH
            )
            contacts = await uow.contacts.by_ids({contract.contact_id for contract in due})
            for contract in due:
                await _announce(uow, contract, contacts[contract.contact_id])
            await uow.commit()
        announced += len(due)
        if len(due) < RENEWAL_BATCH:
            return announced


async def _announce(uow: ContactsUnitOfWork, contract: Contract, contact: Contact) -> None:
    now = datetime.now(UTC)
    task = renewal_task(
        now,
        contact_id=contact.id,
        assignee_id=contact.owner_id,
        language=contact.language,
        contract_id=contract.id,
        end_date=contract.end_date,
        notice_date=contract.notice_date,
    )
    # A term announced before (its end date changed and changed back) keeps its task.
    existing = await uow.tasks.by_source_key(task.source_key or "")
    if existing is None:
        uow.tasks.add(task)
        task_handlers.publish(uow, task)
    contract.mark_renewal_due(now, (existing or task).id)
    contract_handlers.publish(uow, contract)


async def open_detractor_call_back(
    command: OpenDetractorCallBack, uow: ContactsUnitOfWork
) -> Task | None:
    """The call-back task of one detractor response; none when it exists already (the
    event came again) or the contact is unknown here (erased)."""
    source_key = f"detractor:{command.response_id}"
    async with uow:
        if await uow.tasks.by_source_key(source_key) is not None:
            return None
        contact = await uow.contacts.get(command.contact_id)
        if contact is None:
            log.warning("detractor of an unknown contact", contact_id=str(command.contact_id))
            return None
        task = detractor_call_back(
            datetime.now(UTC),
            contact_id=contact.id,
            assignee_id=contact.owner_id,
            language=contact.language,
            response_id=command.response_id,
            score=command.score,
            due_at=command.due_at,
        )
        uow.tasks.add(task)
        task_handlers.publish(uow, task)
        await uow.commit()
        return task
