"""Request and response bodies of the contacts API (apart from the ORM and the events)."""

from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, EmailStr, Field, StringConstraints

from contacts.domain.model import Language, LifecycleStage

Name = Annotated[str, StringConstraints(strip_whitespace=True, max_length=100)]
Tag = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=50)]
Money = Annotated[Decimal, Field(ge=0, max_digits=14, decimal_places=2)]
Currency = Annotated[
    str, StringConstraints(pattern=r"^[A-Z]{3}$"), Field(description="ISO 4217, e.g. EUR")
]


class ContactFields(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=False)

    phone: Annotated[str, StringConstraints(max_length=50)] | None = None
    company: Annotated[str, StringConstraints(strip_whitespace=True, max_length=200)] | None = None
    language: Language = Language.DE
    tags: Annotated[list[Tag], Field(max_length=50)] = []
    custom_fields: dict[str, Any] = {}
    lifecycle_stage: LifecycleStage = LifecycleStage.LEAD
    owner_id: uuid.UUID | None = None
    marketing_consent: bool = False
    acquisition_channel: Annotated[str, StringConstraints(max_length=100)] | None = None
    acquisition_cost: Money | None = None
    external_id: Annotated[str, StringConstraints(max_length=200)] | None = None


class ContactCreate(ContactFields):
    first_name: Name
    last_name: Name
    email: EmailStr | None = None

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "first_name": "Jana",
                    "last_name": "Becker",
                    "email": "jana.becker@example.de",
                    "company": "Becker Werkzeugbau GmbH",
                    "language": "de",
                    "tags": ["maschinenbau"],
                    "lifecycle_stage": "customer",
                    "acquisition_channel": "trade fair",
                    "acquisition_cost": "250.00",
                }
            ]
        },
    )


class ContactUpdate(BaseModel):
    """Only the fields sent are changed (JSON merge semantics)."""

    model_config = ConfigDict(extra="forbid")

    first_name: Name | None = None
    last_name: Name | None = None
    email: EmailStr | None = None
    phone: Annotated[str, StringConstraints(max_length=50)] | None = None
    company: Annotated[str, StringConstraints(strip_whitespace=True, max_length=200)] | None = None
    language: Language | None = None
    tags: Annotated[list[Tag], Field(max_length=50)] | None = None
    custom_fields: dict[str, Any] | None = None
    lifecycle_stage: LifecycleStage | None = None
    owner_id: uuid.UUID | None = None
    marketing_consent: bool | None = None
    acquisition_channel: Annotated[str, StringConstraints(max_length=100)] | None = None
    acquisition_cost: Money | None = None
    external_id: Annotated[str, StringConstraints(max_length=200)] | None = None


class ContactRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    first_name: str
    last_name: str
    email: str | None
    phone: str | None
    company: str | None
    language: str
    tags: list[str]
    custom_fields: dict[str, Any]
    lifecycle_stage: str
    owner_id: uuid.UUID | None
    marketing_consent: bool
    marketing_consent_at: datetime | None
    acquisition_channel: str | None
    acquisition_cost: Decimal | None
    external_id: str | None
    churn_reason: str | None
    churn_note: str | None
    churned_at: datetime | None
    version: int
    created_at: datetime
    updated_at: datetime
