"""HTTP route of the GDPR export: analytics-service's part of a contact's data, which the
gateway joins with the other services' at GET /api/v1/contacts/{id}/export."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from decimal import Decimal

from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel, Field

from analytics.adapters.personal_data import PersonalDataRepository
from analytics.entrypoints.api import CustomerRead
from treue.identity import CurrentIdentity, current_identity

router = APIRouter(
    prefix="/api/v1/analytics", tags=["analytics"], dependencies=[Depends(current_identity)]
)


class CustomerExport(CustomerRead):
    """The customer row as kept: the contact copy, the value figures and the predictions."""

    cost: Decimal
    churned_at: datetime | None
    won_back_at: datetime | None
    churn_alerted: bool = Field(description="Whether the crossing of the risk threshold was told")


class OrderExport(BaseModel):
    order_id: uuid.UUID
    ordered_at: datetime
    currency: str
    revenue: Decimal
    cost: Decimal


class OrderLineExport(BaseModel):
    order_id: uuid.UUID
    line_no: int
    ordered_at: datetime
    product_id: uuid.UUID
    sku: str
    currency: str
    quantity: Decimal
    revenue: Decimal
    cost: Decimal


class InteractionExport(BaseModel):
    interaction_id: uuid.UUID
    kind: str
    sentiment: str | None
    occurred_at: datetime
    cost: Decimal | None


class ContractExport(BaseModel):
    contract_id: uuid.UUID
    version: int
    status: str
    end_date: date
    auto_renew: bool


class NpsResponseExport(BaseModel):
    response_id: uuid.UUID
    survey_id: uuid.UUID | None
    revision: int
    category: str
    responded_at: datetime


class ChurnExport(BaseModel):
    churned_at: datetime
    reason: str


class SegmentMembershipExport(BaseModel):
    segment_id: uuid.UUID
    name: str


class AnalyticsContactExport(BaseModel):
    """Everything analytics-service holds under the contact id: scores, CLV and segments
    (`customer`), the orders read model, the signals of the churn risk and the churn events.
    After an erasure the figures live on under a random id that nothing ties to the person:
    under the contact id only `erased_at` is left."""

    service: str = "analytics"
    exported_at: datetime
    contact_id: uuid.UUID
    erased_at: datetime | None
    customer: CustomerExport | None = Field(description="null until contact.created arrived")
    orders: list[OrderExport]
    order_lines: list[OrderLineExport]
    interactions: list[InteractionExport]
    contracts: list[ContractExport]
    nps_responses: list[NpsResponseExport]
    churns: list[ChurnExport]
    segment_memberships: list[SegmentMembershipExport] = Field(
        description="The saved segments the customer is in as of their last evaluation"
    )


@router.get("/customers/{contact_id}/export", response_model=AnalyticsContactExport)
async def export_customer(
    contact_id: uuid.UUID, request: Request, identity: CurrentIdentity
) -> AnalyticsContactExport:
    """GDPR access: analytics-service's part of GET /api/v1/contacts/{id}/export. Lists are
    oldest first and empty for a contact analytics-service has not heard of."""
    identity.require_scope("analytics:read")
    async with request.app.state.runtime.session_factory() as session:
        data = await PersonalDataRepository(session).export(contact_id)
    return AnalyticsContactExport.model_validate(
        {**vars(data), "exported_at": datetime.now(UTC), "contact_id": contact_id}
    )
