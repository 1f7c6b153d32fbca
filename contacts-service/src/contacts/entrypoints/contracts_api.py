"""HTTP routes of contracts: thin, they parse, call a handler and shape the answer."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from fastapi import APIRouter, Depends, status

from contacts.domain.contracts import ContractStatus
from contacts.entrypoints.contract_schemas import (
    ContractCancel,
    ContractCreate,
    ContractRead,
    ContractUpdate,
    RenewalRunRead,
)
from contacts.entrypoints.dependencies import RulesDep, UowDep, problem_responses
from contacts.service_layer import contract_handlers as handlers
from contacts.service_layer.automatic_tasks import AnnounceRenewalsDue, announce_renewals_due
from treue.identity import CurrentIdentity, current_identity
from treue.pagination import Cursor, Limit, Page, decode_cursor
from treue.problems import NotFound, ValidationFailed

router = APIRouter(
    prefix="/api/v1/contracts", tags=["contracts"], dependencies=[Depends(current_identity)]
)
NOT_NULLABLE = {
    "product_id",
    "start_date",
    "end_date",
    "notice_period_days",
    "auto_renew",
    "monthly_value",
    "currency",
}


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    response_model=ContractRead,
    responses=problem_responses(403),
)
async def create_contract(
    body: ContractCreate, uow: UowDep, identity: CurrentIdentity
) -> ContractRead:
    """A contract starts active; `end_date` before `start_date` is refused (422)."""
    identity.require_scope("contacts:write")
    contract = await handlers.create_contract(handlers.CreateContract(body.model_dump()), uow)
    return ContractRead.model_validate(contract)


@router.get("", response_model=Page[ContractRead])
async def list_contracts(
    uow: UowDep,
    identity: CurrentIdentity,
    contact_id: uuid.UUID | None = None,
    status: ContractStatus | None = None,
    limit: Limit = 50,
    cursor: Cursor = None,
) -> Page[ContractRead]:
    """Newest first."""
    identity.require_scope("contacts:read")
    position = decode_cursor(cursor, 2) if cursor else None
    async with uow:
        rows = await uow.contracts.page(contact_id, status, limit + 1, position)
    return Page.of(
        rows,
        limit,
        key=lambda contract: [contract.created_at.isoformat(), str(contract.id)],
        item=ContractRead.model_validate,
    )


@router.post("/renewal-runs", response_model=RenewalRunRead, responses=problem_responses(403))
async def run_renewals(uow: UowDep, rules: RulesDep, identity: CurrentIdentity) -> RenewalRunRead:
    """Runs the daily renewal job now (it also runs at startup and then daily): contracts
    whose notice date is within `renewal_window_days` (GET /api/v1/settings/contacts) get
    a renewal task and emit contract.renewal_due, once per term. `announced` is -1 when
    another run is going on."""
    identity.require_scope("contacts:write")
    command = AnnounceRenewalsDue(datetime.now(UTC).date(), rules.renewal_window_days)
    return RenewalRunRead(announced=await announce_renewals_due(command, uow))


@router.get("/{contract_id}", response_model=ContractRead, responses=problem_responses(404))
async def get_contract(
    contract_id: uuid.UUID, uow: UowDep, identity: CurrentIdentity
) -> ContractRead:
    identity.require_scope("contacts:read")
    async with uow:
        contract = await uow.contracts.get(contract_id)
    if contract is None:
        raise NotFound(f"contract {contract_id} does not exist")
    return ContractRead.model_validate(contract)


@router.patch("/{contract_id}", response_model=ContractRead, responses=problem_responses(404))
async def update_contract(
    contract_id: uuid.UUID, body: ContractUpdate, uow: UowDep, identity: CurrentIdentity
) -> ContractRead:
    identity.require_scope("contacts:write")
    changes = body.model_dump(exclude_unset=True)
    for name in sorted(NOT_NULLABLE & changes.keys()):
        if changes[name] is None:
            raise ValidationFailed(name, "must not be null")
    command = handlers.UpdateContract(contract_id, changes)
    return ContractRead.model_validate(await handlers.update_contract(command, uow))


@router.post(
    "/{contract_id}/renew", response_model=ContractRead, responses=problem_responses(404, 409)
)
async def renew_contract(
    contract_id: uuid.UUID, uow: UowDep, identity: CurrentIdentity
) -> ContractRead:
    """Another term of the same length from the day after `end_date`; status renewed.
    A contract with notice given or ended cannot be renewed (409)."""
    identity.require_scope("contacts:write")
    contract = await handlers.renew_contract(handlers.RenewContract(contract_id), uow)
    return ContractRead.model_validate(contract)


@router.post(
    "/{contract_id}/cancel", response_model=ContractRead, responses=problem_responses(404, 409)
)
async def cancel_contract(
    contract_id: uuid.UUID, body: ContractCancel, uow: UowDep, identity: CurrentIdentity
) -> ContractRead:
    """Gives notice: status notice_given, the contract runs to its `end_date`."""
    identity.require_scope("contacts:write")
    command = handlers.CancelContract(contract_id, body.reason)
    return ContractRead.model_validate(await handlers.cancel_contract(command, uow))
