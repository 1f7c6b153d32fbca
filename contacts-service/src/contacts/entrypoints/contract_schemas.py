"""Request and response bodies of contracts."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationInfo,
    field_validator,
)

from contacts.domain.contracts import ContractStatus
from contacts.entrypoints.schemas import Currency, Money

NoticeDays = Annotated[int, Field(ge=0, le=3650)]


class ContractCreate(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "contact_id": "0b8f3c36-3f55-4a0c-9a55-2f1d6f0e6b11",
                    "product_id": "5d0f8a57-46a3-4d0e-8a7a-0a3c2b9f4e21",
                    "start_date": "2026-01-01",
                    "end_date": "2026-12-31",
                    "notice_period_days": 90,
                    "auto_renew": True,
                    "monthly_value": "400.00",
                    "currency": "EUR",
                }
            ]
        },
    )

    contact_id: uuid.UUID
    product_id: uuid.UUID
    start_date: date
    end_date: date
    notice_period_days: NoticeDays = 0
    auto_renew: bool = False
    monthly_value: Money
    currency: Currency

    @field_validator("end_date")
    @classmethod
    def ends_after_start(cls, end_date: date, info: ValidationInfo) -> date:
        start_date = info.data.get("start_date")
        if start_date is not None and end_date < start_date:
            raise ValueError("must not be before start_date")
        return end_date


class ContractUpdate(BaseModel):
    """Only the fields sent are changed; the status changes through renew and cancel."""

    model_config = ConfigDict(extra="forbid")

    product_id: uuid.UUID | None = None
    start_date: date | None = None
    end_date: date | None = None
    notice_period_days: NoticeDays | None = None
    auto_renew: bool | None = None
    monthly_value: Money | None = None
    currency: Currency | None = None


class ContractCancel(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reason: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000)]


class ContractRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    contact_id: uuid.UUID
    product_id: uuid.UUID
    start_date: date
    end_date: date
    notice_period_days: int
    notice_date: date = Field(description="end_date - notice_period_days")
    auto_renew: bool
    monthly_value: Decimal
    currency: str
    status: ContractStatus
    cancellation_reason: str | None
    cancelled_at: datetime | None
    version: int
    created_at: datetime
    updated_at: datetime


class RenewalRunRead(BaseModel):
    announced: int = Field(description="Contract terms announced as due for renewal")
