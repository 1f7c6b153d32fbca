"""HTTP routes of one contact's survey data: the answers across surveys (the NPS history of
the contact's page) and the GDPR export, which the gateway joins with the other services'."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Literal

from fastapi import APIRouter, Depends
from pydantic import BaseModel, ConfigDict, Field

from survey.entrypoints.dependencies import UowDep, problem_responses
from survey.entrypoints.response_schemas import CaseRead
from treue.identity import CurrentIdentity, current_identity
from treue.pagination import Cursor, Limit, Page, decode_cursor

router = APIRouter(
    prefix="/api/v1/surveys/contacts",
    tags=["responses"],
    dependencies=[Depends(current_identity)],
)

Category = Literal["detractor", "passive", "promoter"]


class ContactResponseRead(BaseModel):
    """One answer of the contact, with the survey it answered."""

    model_config = ConfigDict(
        from_attributes=True,
        json_schema_extra={
            "examples": [
                {
                    "id": "0b7c6f0e-2f59-4a8e-9d0a-3f0c1c8e5a11",
                    "survey_id": "5d1f3c2a-8b4e-4f6a-9c7d-2e1b0a9f8c7d",
                    "survey_name": "Nach dem Kauf",
                    "score": 9,
                    "category": "promoter",
                    "comment": "Schnelle Lieferung",
                    "responded_at": "2026-03-02T10:15:00+00:00",
                    "channel": "link",
                }
            ]
        },
    )

    id: uuid.UUID
    survey_id: uuid.UUID
    survey_name: str
    score: int
    category: Category = Field(description="0-6 detractor, 7-8 passive, 9-10 promoter")
    comment: str | None
    responded_at: datetime
    channel: Literal["link", "api"]


class ContactCopyRead(BaseModel):
    first_name: str
    email: str | None
    language: str
    tags: list[str]


class InvitationExport(BaseModel):
    id: uuid.UUID
    survey_id: uuid.UUID
    survey_name: str
    channel: str
    created_at: datetime
    expires_at: datetime
    reminders_sent: int


class ResponseExport(ContactResponseRead):
    external_id: str | None
    revision: int
    created_at: datetime
    updated_at: datetime


class MailExport(BaseModel):
    id: uuid.UUID
    invitation_id: uuid.UUID
    kind: str
    recipient: str
    subject: str
    status: str
    created_at: datetime
    sent_at: datetime | None


class ScheduledInvitationExport(BaseModel):
    id: uuid.UUID
    survey_id: uuid.UUID
    reason: str = Field(description="`order` or `renewal`: what the invitation follows")
    source_id: uuid.UUID = Field(description="The order or the renewal task")
    due_at: datetime
    status: str
    outcome: str | None
    invitation_id: uuid.UUID | None


class SurveySegmentMembershipExport(BaseModel):
    segment_id: uuid.UUID
    member: bool = Field(description="false: left the segment at changed_at")
    changed_at: datetime


class SurveyContactExport(BaseModel):
    """Everything survey-service holds under the contact id. After an erasure the contact
    copy, mails, schedule and memberships are gone and answers are kept without comment or
    external id (the NPS counts stay right); `erased_at` tells when."""

    service: str = "survey"
    exported_at: datetime
    contact_id: uuid.UUID
    erased_at: datetime | None
    contact: ContactCopyRead | None = Field(
        description="The copy kept for invitations (language, greeting, address)"
    )
    invitations: list[InvitationExport] = Field(description="Without their tokens")
    responses: list[ResponseExport]
    feedback_cases: list[CaseRead]
    mails: list[MailExport] = Field(description="Without their bodies (they hold the link)")
    scheduled_invitations: list[ScheduledInvitationExport]
    segment_memberships: list[SurveySegmentMembershipExport]


@router.get(
    "/{contact_id}/responses",
    response_model=Page[ContactResponseRead],
    responses=problem_responses(403),
)
async def list_contact_responses(
    contact_id: uuid.UUID,
    uow: UowDep,
    identity: CurrentIdentity,
    limit: Limit = 50,
    cursor: Cursor = None,
) -> Page[ContactResponseRead]:
    """The contact's answers to every survey, newest first. A contact who never answered
    (or whom survey-service does not know) has an empty list."""
    identity.require_scope("surveys:read")
    position = decode_cursor(cursor, 2) if cursor else None
    async with uow:
        rows = await uow.personal_data.answers_page(contact_id, limit + 1, position)
    return Page.of(
        rows,
        limit,
        key=lambda answer: [answer["responded_at"].isoformat(), str(answer["id"])],
        item=ContactResponseRead.model_validate,
    )


@router.get(
    "/{contact_id}/export",
    response_model=SurveyContactExport,
    responses=problem_responses(403),
)
async def export_contact(
    contact_id: uuid.UUID, uow: UowDep, identity: CurrentIdentity
) -> SurveyContactExport:
    """GDPR access: survey-service's part of GET /api/v1/contacts/{id}/export, which
    gathers every service's. Lists are oldest first and empty for an unknown contact."""
    identity.require_scope("surveys:read")
    async with uow:
        data = await uow.personal_data.export(contact_id)
    return SurveyContactExport.model_validate(
        {
            **vars(data),
            "exported_at": datetime.now(UTC),
            "contact_id": contact_id,
        }
    )
