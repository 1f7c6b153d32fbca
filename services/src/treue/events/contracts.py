"""Versioned event contracts: one pydantic model per event type.

Types are `treue.<aggregate>.<verb>.v<N>`. A change that breaks consumers gets a new
version; producers emit both while consumers move over.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any, ClassVar, TypeVar

from pydantic import BaseModel, ConfigDict

C = TypeVar("C", bound="EventContract")

_REGISTRY: dict[str, type[EventContract]] = {}


class EventContract(BaseModel):
    """Base of every event payload; subclasses name their CloudEvents type."""

    model_config = ConfigDict(frozen=True, extra="ignore")
    event_type: ClassVar[str]

    @classmethod
    def __pydantic_init_subclass__(cls, **kwargs: Any) -> None:
        super().__pydantic_init_subclass__(**kwargs)
        event_type = cls.__dict__.get("event_type")
        if event_type is not None:
            if event_type in _REGISTRY:
                raise ValueError(f"event type {event_type} is defined twice")
            _REGISTRY[event_type] = cls


def contract_for(event_type: str) -> type[EventContract] | None:
    return _REGISTRY.get(event_type)


def event_type_of(contract: type[EventContract]) -> str:
    return contract.event_type


class ContactStateV1(EventContract):
    """The contact as it is after the change: consumers keep their copy from it."""

    contact_id: uuid.UUID
    version: int
    first_name: str
    last_name: str
    email: str | None
    company: str | None
    language: str
    lifecycle_stage: str
    tags: list[str]
    acquisition_channel: str | None
    acquisition_cost: str | None


class ContactCreatedV1(ContactStateV1):
    event_type: ClassVar[str] = "treue.contact.created.v1"
    created_at: datetime


class ContactUpdatedV1(ContactStateV1):
    event_type: ClassVar[str] = "treue.contact.updated.v1"
    updated_at: datetime
    changed_fields: list[str]


class InteractionLoggedV1(EventContract):
    """A touchpoint with a contact. Subject and body stay in contacts-service: consumers
    count, cost and weigh interactions, and free text is personal data best kept in one
    place that GDPR erasure reaches."""

    event_type: ClassVar[str] = "treue.interaction.logged.v1"
    interaction_id: uuid.UUID
    contact_id: uuid.UUID
    kind: str
    direction: str | None
    channel: str | None
    occurred_at: datetime
    sentiment: str | None
    cost: str | None
    currency: str | None
    logged_at: datetime


class ProductStateV1(EventContract):
    """The product as it is after the change: price and unit cost give consumers margins."""

    product_id: uuid.UUID
    version: int
    sku: str
    name: str
    price: str
    unit_cost: str
    currency: str
    active: bool


class ProductCreatedV1(ProductStateV1):
    event_type: ClassVar[str] = "treue.product.created.v1"
    created_at: datetime


class ProductUpdatedV1(ProductStateV1):
    event_type: ClassVar[str] = "treue.product.updated.v1"
    updated_at: datetime
    changed_fields: list[str]


class OrderLineV1(BaseModel):
    """One line as sold; money and quantity are decimal strings, revenue and cost are
    quantity * unit amount rounded to the cent."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    line_no: int
    product_id: uuid.UUID
    sku: str
    quantity: str
    unit_price: str
    unit_cost: str
    revenue: str
    cost: str


class OrderRecordedV1(EventContract):
    """An order, once per order: a repeated external id records nothing and emits nothing.
    `revenue` and `cost` are the sums of the lines' (margin = revenue - cost)."""

    event_type: ClassVar[str] = "treue.order.recorded.v1"
    order_id: uuid.UUID
    contact_id: uuid.UUID
    external_id: str | None
    ordered_at: datetime
    currency: str
    revenue: str
    cost: str
    lines: list[OrderLineV1]
    recorded_at: datetime


class NpsResponseRecordedV1(EventContract):
    """An NPS answer, emitted again (with a higher `revision`) when it is edited; consumers
    keep the latest revision of each `response_id`. Category: 0-6 detractor, 7-8 passive,
    9-10 promoter."""

    event_type: ClassVar[str] = "treue.nps.response_recorded.v1"
    response_id: uuid.UUID
    survey_id: uuid.UUID
    contact_id: uuid.UUID
    score: int
    category: str
    comment: str | None
    responded_at: datetime
    channel: str
    revision: int
    recorded_at: datetime


class NpsDetractorV1(EventContract):
    """A detractor answer (0-6) and the feedback case opened for it; the webhook
    `nps.detractor` carries these fields. `due_at` is the case's SLA deadline, for the
    call-back task."""

    event_type: ClassVar[str] = "treue.nps.detractor.v1"
    contact_id: uuid.UUID
    survey_id: uuid.UUID
    response_id: uuid.UUID
    score: int
    comment: str | None
    responded_at: datetime
    feedback_case_id: uuid.UUID
    due_at: datetime


class FeedbackCaseUpdatedV1(EventContract):
    """A feedback case as it is after it was opened (with nps.detractor) or changed: status,
    owner, due date. `updated_at` orders the versions of one case: consumers keep the
    latest."""

    event_type: ClassVar[str] = "treue.feedback_case.updated.v1"
    feedback_case_id: uuid.UUID
    contact_id: uuid.UUID
    survey_id: uuid.UUID
    status: str
    owner_id: uuid.UUID | None
    due_at: datetime
    opened_at: datetime
    resolved_at: datetime | None
    updated_at: datetime


class NpsPromoterV1(EventContract):
    """A promoter answer (9-10): a moment to ask for a referral or a review."""

    event_type: ClassVar[str] = "treue.nps.promoter.v1"
    contact_id: uuid.UUID
    survey_id: uuid.UUID
    response_id: uuid.UUID
    score: int
    comment: str | None
    responded_at: datetime


class ContractStateV1(EventContract):
    """The contract as it is after the change; money is a decimal string. The notice date
    is `end_date - notice_period_days`."""

    contract_id: uuid.UUID
    contact_id: uuid.UUID
    product_id: uuid.UUID
    version: int
    start_date: date
    end_date: date
    notice_period_days: int
    auto_renew: bool
    monthly_value: str
    currency: str
    status: str


class ContractCreatedV1(ContractStateV1):
    event_type: ClassVar[str] = "treue.contract.created.v1"
    created_at: datetime


class ContractUpdatedV1(ContractStateV1):
    event_type: ClassVar[str] = "treue.contract.updated.v1"
    updated_at: datetime
    changed_fields: list[str]


class ContractRenewedV1(ContractStateV1):
    """The contract runs for another term: `start_date` and `end_date` are the new term's,
    `previous_end_date` the end of the term before."""

    event_type: ClassVar[str] = "treue.contract.renewed.v1"
    previous_end_date: date
    renewed_at: datetime


class ContractCancelledV1(ContractStateV1):
    """Notice was given (status notice_given): the contract ends at `end_date`."""

    event_type: ClassVar[str] = "treue.contract.cancelled.v1"
    reason: str
    cancelled_at: datetime


class ContractRenewalDueV1(ContractStateV1):
    """The term's notice date is near; emitted once per contract term, with the renewal
    task created for it."""

    event_type: ClassVar[str] = "treue.contract.renewal_due.v1"
    notice_date: date
    task_id: uuid.UUID
    detected_at: datetime


class TaskStateV1(EventContract):
    """A task as it is after the change. `origin`: manual, order_follow_up, renewal or
    detractor_call_back. An automatic task's `title` is written in the contact's language;
    `title_code` (its origin) and `title_params` (order: the order's label; end_date and
    notice_date: ISO dates; score: 0-10) let a reader show it in their own. Both are null
    for manual tasks and once someone rewrote the title."""

    task_id: uuid.UUID
    contact_id: uuid.UUID
    version: int
    title: str
    title_code: str | None = None
    title_params: dict[str, str | int] | None = None
    due_at: datetime
    assignee_id: uuid.UUID | None
    status: str
    origin: str
    completed_at: datetime | None


class TaskCreatedV1(TaskStateV1):
    event_type: ClassVar[str] = "treue.task.created.v1"
    created_at: datetime


class TaskUpdatedV1(TaskStateV1):
    event_type: ClassVar[str] = "treue.task.updated.v1"
    updated_at: datetime
    changed_fields: list[str]


class TaskCompletedV1(TaskStateV1):
    event_type: ClassVar[str] = "treue.task.completed.v1"


class CustomerChurnedV1(EventContract):
    """A customer was marked as churned. `reason`: price, service, product_fit, competitor,
    moved_or_closed, no_need or other. The note is free text about the customer."""

    event_type: ClassVar[str] = "treue.customer.churned.v1"
    contact_id: uuid.UUID
    reason: str
    note: str
    churned_at: datetime


class CustomerWonBackV1(EventContract):
    """A churned customer is a customer again; `churned_at` and `reason` are the churn's."""

    event_type: ClassVar[str] = "treue.customer.won_back.v1"
    contact_id: uuid.UUID
    reason: str | None
    churned_at: datetime | None
    won_back_at: datetime


class ContactErasedV1(EventContract):
    """GDPR erasure of a contact: every service deletes the person's data it holds and keeps
    only anonymous aggregates (revenue totals, NPS counts) so figures stay correct."""

    event_type: ClassVar[str] = "treue.contact.erased.v1"
    contact_id: uuid.UUID
    erased_at: datetime


class SegmentChangedV1(EventContract):
    """A customer moved from one class to another. `kind` is `abc` (classes A, B, C) or
    `segment` (a saved dynamic segment; `previous`/`current` are `in` or `out`)."""

    event_type: ClassVar[str] = "treue.segment.changed.v1"
    contact_id: uuid.UUID
    kind: str
    segment_id: uuid.UUID | None
    previous: str | None
    current: str | None
    changed_at: datetime


class CustomerChurnRiskV1(EventContract):
    """The churn-risk score crossed the threshold upwards: emitted once per crossing, not on
    every recompute. `drivers` names what raised the score, strongest first."""

    event_type: ClassVar[str] = "treue.customer.churn_risk.v1"
    contact_id: uuid.UUID
    score: float
    previous_score: float | None
    drivers: list[str]
    assessed_at: datetime


class ContactMergedV1(EventContract):
    """Two contacts were one person: the duplicate's history (interactions, orders,
    contracts, tasks) belongs to the survivor `contact_id` now, and the duplicate is gone.
    Consumers move what they hold under `duplicate_id` to `contact_id`. The subject is the
    duplicate's id, so the event comes after everything said about the duplicate."""

    event_type: ClassVar[str] = "treue.contact.merged.v1"
    contact_id: uuid.UUID
    duplicate_id: uuid.UUID
    merged_at: datetime
