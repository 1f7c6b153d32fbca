"""HTTP routes of churn and win-back."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends
from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, StringConstraints

from contacts.domain.model import ChurnReason
from contacts.entrypoints.dependencies import UowDep, problem_responses
from contacts.entrypoints.schemas import ContactRead
from contacts.service_layer import churn_handlers as handlers
from treue.identity import CurrentIdentity, current_identity

router = APIRouter(
    prefix="/api/v1/contacts", tags=["contacts"], dependencies=[Depends(current_identity)]
)


class ChurnRequest(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [{"reason": "competitor", "note": "Wechsel zu einem Anbieter vor Ort"}]
        },
    )

    reason: ChurnReason
    note: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=4000)]
    churned_at: AwareDatetime | None = Field(
        None, description="When the customer was lost, if before now; defaults to now"
    )


@router.post(
    "/{contact_id}/churn", response_model=ContactRead, responses=problem_responses(404, 409)
)
async def churn_contact(
    contact_id: uuid.UUID, body: ChurnRequest, uow: UowDep, identity: CurrentIdentity
) -> ContactRead:
    """Marks the customer as churned (lifecycle_stage churned) with a reason code and a
    note; emits customer.churned. A churned contact cannot churn again (409)."""
    identity.require_scope("contacts:write")
    command = handlers.ChurnCustomer(contact_id, body.reason, body.note, body.churned_at)
    return ContactRead.model_validate(await handlers.churn_customer(command, uow))


@router.post(
    "/{contact_id}/win-back", response_model=ContactRead, responses=problem_responses(404, 409)
)
async def win_back_contact(
    contact_id: uuid.UUID, uow: UowDep, identity: CurrentIdentity
) -> ContactRead:
    """A churned contact is a customer again; emits customer.won_back. 409 when the
    contact is not churned."""
    identity.require_scope("contacts:write")
    command = handlers.WinBackCustomer(contact_id)
    return ContactRead.model_validate(await handlers.win_back_customer(command, uow))
