"""HTTP routes of GDPR (DSGVO): a contact's data as one document, and its erasure."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from fastapi import APIRouter, Depends
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from contacts.entrypoints.contract_schemas import ContractRead
from contacts.entrypoints.dependencies import UowDep, problem_responses
from contacts.entrypoints.interaction_schemas import InteractionRead
from contacts.entrypoints.order_schemas import OrderRead
from contacts.entrypoints.schemas import ContactRead
from contacts.entrypoints.task_schemas import TaskRead
from contacts.service_layer import gdpr_handlers
from treue.identity import CurrentIdentity, current_identity

router = APIRouter(
    prefix="/api/v1/contacts", tags=["contacts"], dependencies=[Depends(current_identity)]
)


class ContactErasure(BaseModel):
    contact_id: uuid.UUID
    erased_at: datetime
    status: str = Field(
        "erased",
        description="Erased here; the other services erase their data when they get the "
        "contact.erased event, shortly after",
    )


class SurveyResponseCopy(BaseModel):
    response_id: uuid.UUID
    survey_id: uuid.UUID
    score: int
    category: str
    comment: str | None
    responded_at: datetime
    channel: str


class AnalyticsFlagCopy(BaseModel):
    id: uuid.UUID
    flag: str
    occurred_at: datetime
    score: float | None
    previous_score: float | None
    drivers: list[str] | None
    previous_class: str | None
    current_class: str | None
    recorded_at: datetime


class LifecycleChangeRead(BaseModel):
    id: uuid.UUID
    change: str
    reason: str | None
    note: str | None
    occurred_at: datetime
    recorded_at: datetime


class ContactExport(BaseModel):
    """Everything contacts-service holds about the contact. Survey answers and analytics'
    flags are the copies this service keeps for the timeline; survey-service and
    analytics-service export their own. `lifecycle_changes` is the churn history."""

    service: str = "contacts"
    exported_at: datetime
    contact: ContactRead
    interactions: list[InteractionRead]
    orders: list[OrderRead]
    contracts: list[ContractRead]
    tasks: list[TaskRead]
    survey_responses: list[SurveyResponseCopy]
    analytics_flags: list[AnalyticsFlagCopy]
    lifecycle_changes: list[LifecycleChangeRead]


@router.delete(
    "/{contact_id}",
    status_code=202,
    response_model=ContactErasure,
    responses={
        202: {"description": "Erased here; the erasure spreads to the other services by event"},
        **problem_responses(403, 404),
    },
)
async def erase_contact(
    contact_id: uuid.UUID, uow: UowDep, identity: CurrentIdentity
) -> JSONResponse:
    """GDPR erasure. Removes the person's data held here: name, e-mail, phone, company,
    tags, custom fields, external id, consent, churn note; the subject, body and channel of
    interactions; task titles; contract cancellation reasons; the copy of survey answers,
    analytics' flags and the churn history (each churn's reason and note, each win-back).
    Orders, contracts and interactions stay with their amounts and times, tied to no one,
    so revenue and costs stay right. Emits `contact.erased`; the contact is then gone from
    every read (404). Erasing an erased contact again answers 202 and does nothing."""
    identity.require_scope("contacts:write")
    erased_at = await gdpr_handlers.erase_contact(gdpr_handlers.EraseContact(contact_id), uow)
    body = ContactErasure(contact_id=contact_id, erased_at=erased_at)
    return JSONResponse(body.model_dump(mode="json"), status_code=202)


@router.get(
    "/{contact_id}/export", response_model=ContactExport, responses=problem_responses(403, 404)
)
async def export_contact(
    contact_id: uuid.UUID, uow: UowDep, identity: CurrentIdentity
) -> ContactExport:
    """GDPR access: everything contacts-service holds about the contact, as one document."""
    identity.require_scope("contacts:read")
    data = await gdpr_handlers.export_contact(contact_id, uow)
    history = data.history

    def each(model: Any, items: list[Any]) -> list[Any]:
        return [model.model_validate(item) for item in items]

    return ContactExport(
        exported_at=datetime.now(UTC),
        contact=ContactRead.model_validate(data.contact),
        interactions=each(InteractionRead, history.interactions),
        orders=each(OrderRead, history.orders),
        contracts=each(ContractRead, history.contracts),
        tasks=each(TaskRead, history.tasks),
        survey_responses=each(SurveyResponseCopy, history.survey_responses),
        analytics_flags=each(AnalyticsFlagCopy, history.analytics_flags),
        lifecycle_changes=each(LifecycleChangeRead, history.lifecycle_changes),
    )
