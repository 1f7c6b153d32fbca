"""HTTP routes of analytics: customers with their historical and predicted value."""

from __future__ import annotations

import inspect
import uuid
from datetime import datetime
from decimal import Decimal
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel, Field

from analytics.adapters.repository import SORTABLE, CustomerQuery, CustomerRepository
from analytics.domain.churn import DRIVERS, ChurnModel
from analytics.service_layer.filters import AbcClassName, Range
from treue.identity import CurrentIdentity, current_identity
from treue.pagination import Cursor, Limit, Page, decode_cursor
from treue.problems import NotFound, ValidationFailed, problem_responses

router = APIRouter(
    prefix="/api/v1/analytics", tags=["analytics"], dependencies=[Depends(current_identity)]
)


CHURN_MODEL = inspect.cleandoc(ChurnModel.__doc__ or "")


class CustomerRead(BaseModel):
    contact_id: uuid.UUID
    contact_version: int
    first_name: str
    last_name: str
    email: str | None
    company: str | None
    language: str
    lifecycle_stage: str
    tags: list[str]
    acquisition_channel: str | None
    became_contact_at: datetime
    updated_at: datetime
    currency: str | None = Field(
        description="The currency of the historical value (revenue, margin, service cost, "
        "net value): that of the customer's orders, as sold (the latest order's)"
    )
    revenue: Decimal
    margin: Decimal
    service_cost: Decimal
    acquisition_cost: Decimal | None
    net_value: Decimal
    orders: int
    first_order_at: datetime | None
    last_order_at: datetime | None
    clv: Decimal | None = Field(
        description="Predicted value of the horizon (A2); 0 for a churned customer "
        "(customer.churned, not won back since), none without a prediction (also after a "
        "win-back, until the next CLV run)"
    )
    expected_purchases_12m: float | None = Field(description="0 for a churned customer")
    p_alive: float | None = Field(
        description="Probability that the customer is still active; 0 once churned"
    )
    clv_run_id: uuid.UUID | None
    clv_currency: str | None = Field(
        None,
        description="The currency of clv: the reporting currency of the CLV run that "
        "predicted it (it converts every order); none without a prediction",
    )
    abc_class: str | None = Field(None, description="A, B or C by value share; /segments/abc")
    rfm_recency: int | None = None
    rfm_frequency: int | None = None
    rfm_monetary: int | None = None
    rfm: str | None = Field(
        None,
        description="Recency, frequency and monetary quintiles (5 = best), e.g. 545; "
        "only for customers with an order",
    )
    churn_risk: float | None = Field(
        None,
        ge=0,
        le=1,
        description="Churn risk in [0, 1]; none for a churned customer (no longer at risk). "
        + CHURN_MODEL,
    )
    churn_drivers: list[str] | None = Field(
        None,
        description="What drives the risk, strongest first: " + ", ".join(DRIVERS),
        examples=[["contract_cancelled", "detractor"]],
    )


SORT_DESCRIPTION = (
    "One of " + ", ".join(SORTABLE) + "; a leading `-` sorts descending. "
    "Customers without the value come last."
)


def _query(
    sort: str,
    ranges: Range,
    lifecycle_stage: str | None,
    tag: str | None,
    abc_class: str | None,
) -> CustomerQuery:
    contradiction = ranges.contradiction()
    if contradiction is not None:
        raise ValidationFailed(*contradiction)
    descending = sort.startswith("-")
    name = sort.removeprefix("-")
    if name not in SORTABLE:
        raise ValidationFailed("sort", f"cannot sort by {name!r}; {SORT_DESCRIPTION}")
    return CustomerQuery(
        sort=name,
        descending=descending,
        minimum=ranges.bounds("min"),
        maximum=ranges.bounds("max"),
        lifecycle_stages=(lifecycle_stage,) if lifecycle_stage else (),
        tags=(tag,) if tag else (),
        abc_classes=(abc_class,) if abc_class else (),
    )


def _position(cursor: str | None, sort: str) -> list[Any] | None:
    if cursor is None:
        return None
    position = decode_cursor(cursor, 3)
    if position[0] != sort:
        raise ValidationFailed("cursor", "the cursor belongs to another sort order")
    return position[1:]


@router.get("/customers", response_model=Page[CustomerRead])
async def list_customers(
    request: Request,
    identity: CurrentIdentity,
    ranges: Annotated[Range, Depends()],
    limit: Limit = 50,
    cursor: Cursor = None,
    sort: Annotated[str, Query(description=SORT_DESCRIPTION)] = "-became_contact_at",
    lifecycle_stage: str | None = None,
    tag: str | None = None,
    abc_class: Annotated[AbcClassName | None, Query(description="Only this ABC class")] = None,
) -> Page[CustomerRead]:
    identity.require_scope("analytics:read")
    query = _query(sort, ranges, lifecycle_stage, tag, abc_class)
    position = _position(cursor, sort)
    async with request.app.state.runtime.session_factory() as session:
        rows = await CustomerRepository(session).page(query, limit + 1, position)
        currencies = await CustomerRepository(session).run_currencies(
            {row.clv_run_id for row in rows[:limit] if row.clv_run_id is not None}
        )
    return Page.of(
        rows,
        limit,
        key=lambda customer: [sort, str(customer.sort_key), str(customer.contact_id)],
        item=lambda customer: _read(customer, currencies),
    )


@router.get(
    "/customers/{contact_id}", response_model=CustomerRead, responses=problem_responses(404)
)
async def get_customer(
    contact_id: uuid.UUID, request: Request, identity: CurrentIdentity
) -> CustomerRead:
    identity.require_scope("analytics:read")
    async with request.app.state.runtime.session_factory() as session:
        repository = CustomerRepository(session)
        row = await repository.get(contact_id)
        if row is None:
            raise NotFound(f"analytics knows no customer {contact_id} (yet)")
        currencies = await repository.run_currencies({row.clv_run_id} - {None})
    return _read(row, currencies)


def _read(row: Any, run_currencies: dict[uuid.UUID, str]) -> CustomerRead:
    found = CustomerRead.model_validate(row, from_attributes=True)
    found.clv_currency = run_currencies.get(row.clv_run_id) if row.clv is not None else None
    return found
