"""The event catalogue: each webhook type, the Kafka event it comes from and its `data`.

The models pick the public fields out of the services' event contracts (extra fields are
ignored), and the same models document the webhooks in the OpenAPI document.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime

from pydantic import BaseModel, ConfigDict, Field

from gateway.domain.webhooks import TEST_EVENT_TYPE, EventType
from treue.events.contracts import (
    ContactCreatedV1,
    ContractRenewalDueV1,
    CustomerChurnedV1,
    CustomerChurnRiskV1,
    EventContract,
    NpsDetractorV1,
    NpsPromoterV1,
    OrderRecordedV1,
    SegmentChangedV1,
)

CONTACT = "5b8f0c3e-9d2a-4e71-8f3b-2c6d1a0e9b47"
SURVEY = "0e4c7a91-3b6d-4f28-9a15-7d2e8c4b6f03"
RESPONSE = "8a1d5e27-6c4b-4093-b8f2-1e7a9d3c5b60"


class WebhookData(BaseModel):
    model_config = ConfigDict(extra="ignore")


class NpsDetractorData(WebhookData):
    contact_id: uuid.UUID
    survey_id: uuid.UUID
    response_id: uuid.UUID
    score: int = Field(ge=0, le=6)
    comment: str | None
    responded_at: datetime
    feedback_case_id: uuid.UUID = Field(description="The feedback case opened for the answer")


class NpsPromoterData(WebhookData):
    contact_id: uuid.UUID
    survey_id: uuid.UUID
    response_id: uuid.UUID
    score: int = Field(ge=9, le=10)
    comment: str | None
    responded_at: datetime


class CustomerChurnedData(WebhookData):
    contact_id: uuid.UUID
    reason: str = Field(
        description="price, service, product_fit, competitor, moved_or_closed, no_need or other"
    )
    note: str
    churned_at: datetime


class CustomerChurnRiskData(WebhookData):
    contact_id: uuid.UUID
    score: float = Field(description="The churn-risk score after the change")
    previous_score: float | None
    drivers: list[str] = Field(description="What raised the score, strongest first")


class ContractRenewalDueData(WebhookData):
    contract_id: uuid.UUID
    contact_id: uuid.UUID
    product_id: uuid.UUID
    end_date: date
    notice_date: date = Field(description="The last day to give notice (end_date - notice)")
    notice_period_days: int
    auto_renew: bool
    monthly_value: str = Field(description="Decimal string")
    currency: str
    task_id: uuid.UUID = Field(description="The renewal task created for the term")


class SegmentChangedData(WebhookData):
    contact_id: uuid.UUID
    kind: str = Field(description="`abc` (classes A, B, C) or `segment` (a saved segment)")
    segment_id: uuid.UUID | None
    previous: str | None
    current: str | None
    changed_at: datetime


class ContactCreatedData(WebhookData):
    contact_id: uuid.UUID
    first_name: str
    last_name: str
    email: str | None
    company: str | None
    language: str
    lifecycle_stage: str
    tags: list[str]
    created_at: datetime


class OrderLineData(WebhookData):
    line_no: int
    product_id: uuid.UUID
    sku: str
    quantity: str
    unit_price: str
    revenue: str


class OrderRecordedData(WebhookData):
    order_id: uuid.UUID
    contact_id: uuid.UUID
    external_id: str | None
    ordered_at: datetime
    currency: str
    revenue: str = Field(description="Sum of the lines, a decimal string")
    lines: list[OrderLineData]


class WebhookTestData(WebhookData):
    endpoint_id: uuid.UUID
    message: str


@dataclass(frozen=True)
class CatalogueEntry:
    event_type: str
    source: type[EventContract] | None
    data: type[WebhookData]
    summary: str
    example: dict[str, object]


CATALOGUE: list[CatalogueEntry] = [
    CatalogueEntry(
        EventType.NPS_DETRACTOR,
        NpsDetractorV1,
        NpsDetractorData,
        "A customer answered an NPS survey with 0-6; a feedback case is open",
        {
            "contact_id": CONTACT,
            "survey_id": SURVEY,
            "response_id": RESPONSE,
            "score": 3,
            "comment": "Lieferung kam zu spät.",
            "responded_at": "2026-11-27T09:14:03+00:00",
            "feedback_case_id": "c2f6e8a4-1b3d-4c5e-9f7a-0d2b4e6a8c13",
        },
    ),
    CatalogueEntry(
        EventType.NPS_PROMOTER,
        NpsPromoterV1,
        NpsPromoterData,
        "A customer answered an NPS survey with 9-10: time to ask for a referral",
        {
            "contact_id": CONTACT,
            "survey_id": SURVEY,
            "response_id": RESPONSE,
            "score": 10,
            "comment": "Immer zuverlässig.",
            "responded_at": "2026-11-27T09:14:03+00:00",
        },
    ),
    CatalogueEntry(
        EventType.CUSTOMER_CHURNED,
        CustomerChurnedV1,
        CustomerChurnedData,
        "A customer was marked as churned",
        {
            "contact_id": CONTACT,
            "reason": "competitor",
            "note": "Wechselt zum Wettbewerber.",
            "churned_at": "2026-11-27T10:00:00+00:00",
        },
    ),
    CatalogueEntry(
        EventType.CUSTOMER_CHURN_RISK,
        CustomerChurnRiskV1,
        CustomerChurnRiskData,
        "A customer's churn risk crossed the threshold upwards",
        {
            "contact_id": CONTACT,
            "score": 0.72,
            "previous_score": 0.41,
            "drivers": ["recency", "detractor_answer"],
        },
    ),
    CatalogueEntry(
        EventType.CONTRACT_RENEWAL_DUE,
        ContractRenewalDueV1,
        ContractRenewalDueData,
        "A contract's notice date is near; a renewal task was created",
        {
            "contract_id": "3d9b1f6c-7e2a-4b8d-a5c1-6f0e2d4b8a97",
            "contact_id": CONTACT,
            "product_id": "9c7e5a3b-1d2f-4e6a-8b0c-4d6f8a2c0e15",
            "end_date": "2027-01-31",
            "notice_date": "2026-12-31",
            "notice_period_days": 31,
            "auto_renew": True,
            "monthly_value": "249.00",
            "currency": "EUR",
            "task_id": "6e2a4c8b-0d1f-4a3b-9c5e-7f1b3d5a9e28",
        },
    ),
    CatalogueEntry(
        EventType.SEGMENT_CHANGED,
        SegmentChangedV1,
        SegmentChangedData,
        "A customer moved between ABC classes, or into or out of a saved segment",
        {
            "contact_id": CONTACT,
            "kind": "abc",
            "segment_id": None,
            "previous": "B",
            "current": "A",
            "changed_at": "2026-11-27T02:00:00+00:00",
        },
    ),
    CatalogueEntry(
        EventType.CONTACT_CREATED,
        ContactCreatedV1,
        ContactCreatedData,
        "A contact was created",
        {
            "contact_id": CONTACT,
            "first_name": "Jana",
            "last_name": "Becker",
            "email": "jana.becker@example.de",
            "company": "Becker Maschinenbau GmbH",
            "language": "de",
            "lifecycle_stage": "customer",
            "tags": ["maschinenbau"],
            "created_at": "2026-11-27T08:30:00+00:00",
        },
    ),
    CatalogueEntry(
        EventType.ORDER_RECORDED,
        OrderRecordedV1,
        OrderRecordedData,
        "An order was recorded (once per order)",
        {
            "order_id": "1f3b5d7e-9a2c-4e6f-8b0d-2a4c6e8f0b13",
            "contact_id": CONTACT,
            "external_id": "SHOP-100231",
            "ordered_at": "2026-11-27T07:45:00+00:00",
            "currency": "EUR",
            "revenue": "119.80",
            "lines": [
                {
                    "line_no": 1,
                    "product_id": "9c7e5a3b-1d2f-4e6a-8b0c-4d6f8a2c0e15",
                    "sku": "FLT-200",
                    "quantity": "2",
                    "unit_price": "59.90",
                    "revenue": "119.80",
                }
            ],
        },
    ),
    CatalogueEntry(
        TEST_EVENT_TYPE,
        None,
        WebhookTestData,
        "Sent by POST /api/v1/webhooks/{id}/test to that endpoint alone",
        {"endpoint_id": "4a6c8e0b-2d4f-4b6a-8c0e-1b3d5f7a9c24", "message": "a test from Treue"},
    ),
]
BY_SOURCE = {entry.source.event_type: entry for entry in CATALOGUE if entry.source is not None}
