"""Request and response bodies of surveys and invitations."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=1000)]
Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
QuietPeriod = Annotated[int, Field(ge=0, le=3650, description="Days nobody is surveyed again")]
ReminderAfter = Annotated[
    int,
    Field(
        ge=1,
        le=60,
        description="Days after an unanswered e-mail invitation (and after each reminder) "
        "until the next reminder",
    ),
]
MaxReminders = Annotated[
    int, Field(ge=0, le=2, description="Reminders per unanswered e-mail invitation (0-2)")
]
AfterOrder = Annotated[
    int,
    Field(
        ge=0,
        le=365,
        description="Makes this a post-order survey: each contact is invited by e-mail this "
        "many days after each order (quiet period respected)",
    ),
]
BeforeRenewal = Annotated[
    int,
    Field(
        ge=0,
        le=365,
        description="Invites by e-mail this many days before a contract's notice date, when "
        "contacts-service announces the renewal (quiet period respected)",
    ),
]


class LocalizedText(BaseModel):
    model_config = ConfigDict(extra="forbid")

    de: Text
    en: Text


class SurveyCreate(BaseModel):
    """Without `question` and `follow_up_question`, the standard NPS wording is used; without
    `quiet_period_days`, `reminder_after_days` or `max_reminders`, the defaults of GET
    /api/v1/settings/surveys."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "name": "Kundenzufriedenheit 2027",
                    "quiet_period_days": 90,
                    "active": True,
                    "reminder_after_days": 5,
                    "max_reminders": 1,
                    "after_order_days": 14,
                }
            ]
        },
    )

    name: Name
    question: LocalizedText | None = None
    follow_up_question: LocalizedText | None = None
    quiet_period_days: QuietPeriod | None = None
    active: bool = True
    reminder_after_days: ReminderAfter | None = None
    max_reminders: MaxReminders | None = None
    after_order_days: AfterOrder | None = None
    before_renewal_days: BeforeRenewal | None = None


class SurveyUpdate(BaseModel):
    """Only the fields sent are changed; none of them may be null except
    `after_order_days` and `before_renewal_days` (null: no automatic invitations)."""

    model_config = ConfigDict(extra="forbid")

    name: Name | None = None
    question: LocalizedText | None = None
    follow_up_question: LocalizedText | None = None
    quiet_period_days: QuietPeriod | None = None
    active: bool | None = None
    reminder_after_days: ReminderAfter | None = None
    max_reminders: MaxReminders | None = None
    after_order_days: AfterOrder | None = None
    before_renewal_days: BeforeRenewal | None = None


class SurveyRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    name: str
    question: LocalizedText
    follow_up_question: LocalizedText
    quiet_period_days: int
    active: bool
    reminder_after_days: int
    max_reminders: int
    after_order_days: int | None
    before_renewal_days: int | None
    created_at: datetime
    updated_at: datetime


class SurveyListItem(SurveyRead):
    """A survey in the list, with how it is doing: all its answers so far."""

    responses: int = Field(description="Answers so far")
    nps: float | None = Field(description="NPS over all answers so far; null without answers")
    last_response_on: date | None = Field(description="UTC day of the latest answer")


class InvitationCreate(BaseModel):
    """Either `contact_ids` or `segment_id` (the contacts now in a saved segment)."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {"contact_ids": ["0b6f7d1e-3c1a-4f3e-9a55-1d2b3c4d5e6f"], "channel": "email"},
                {"segment_id": "5f0c2a9e-8d7b-4c6a-b1e2-3f4a5b6c7d8e", "channel": "email"},
            ]
        },
    )

    contact_ids: Annotated[list[uuid.UUID], Field(min_length=1, max_length=1000)] | None = None
    segment_id: uuid.UUID | None = Field(
        None, description="Invite the members of this saved segment (from analytics-service)"
    )
    channel: Literal["email", "link"] = Field(
        "link",
        description="`email`: Treue sends the link by e-mail; `link`: hand the URL out yourself",
    )


class InvitationRead(BaseModel):
    id: uuid.UUID
    survey_id: uuid.UUID
    contact_id: uuid.UUID
    channel: str
    token: str
    url: str
    created_at: datetime
    expires_at: datetime


class SkippedRead(BaseModel):
    contact_id: uuid.UUID
    reason: Literal["quiet_period", "no_email", "unknown_contact"] = Field(
        description="`quiet_period`: surveyed recently; `no_email`: no address to send to; "
        "`unknown_contact`: a segment member survey-service has no contact copy of"
    )
    last_surveyed_at: datetime | None = Field(
        None, description="When the contact was last invited or answered (quiet_period)"
    )


class InvitationBatch(BaseModel):
    items: list[InvitationRead]
    skipped: list[SkippedRead] = Field(
        description="Contacts not invited: surveyed within the quiet period, or no e-mail"
    )


class InvitationStatusRead(BaseModel):
    """An invitation without its token (the token is shown once, to whoever invites)."""

    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    survey_id: uuid.UUID
    contact_id: uuid.UUID
    channel: Literal["email", "link"]
    origin: Literal["manual", "order", "renewal"] = Field(
        description="`manual`: through this API; `order`/`renewal`: automatic"
    )
    created_at: datetime
    expires_at: datetime
    reminders_sent: int
    mail_status: Literal["queued", "sent", "failed"] | None = Field(
        description="The invitation mail: queued (or waiting for a retry), sent, or failed "
        "after the last attempt; null for link invitations"
    )
    answered: bool
