"""Request and response bodies of orders."""

from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal
from typing import Annotated

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, model_validator

from contacts.domain.orders import MAX_LINES
from contacts.entrypoints.product_schemas import Sku
from contacts.entrypoints.schemas import Currency, Money

Quantity = Annotated[Decimal, Field(gt=0, max_digits=12, decimal_places=3)]


class OrderLineCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    product_id: uuid.UUID | None = None
    sku: Sku | None = None
    quantity: Quantity
    unit_price: Money | None = Field(None, description="Defaults to the product's price")
    unit_cost: Money | None = Field(None, description="Defaults to the product's unit cost")

    @model_validator(mode="after")
    def names_a_product(self) -> OrderLineCreate:
        if self.product_id is None and self.sku is None:
            raise ValueError("product_id or sku is required")
        return self


class OrderCreate(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "contact_id": "0b8f3c36-3f55-4a0c-9a55-2f1d6f0e6b11",
                    "external_id": "SHOP-ORD-100231",
                    "ordered_at": "2026-03-02T10:00:00+01:00",
                    "currency": "EUR",
                    "lines": [
                        {"sku": "ET-SPINDEL-HSK63", "quantity": 1},
                        {"sku": "SCH-CNC-GRUND", "quantity": 2, "unit_price": "890.00"},
                    ],
                }
            ]
        },
    )

    contact_id: uuid.UUID
    external_id: Annotated[str, Field(min_length=1, max_length=200)] | None = None
    ordered_at: AwareDatetime
    currency: Currency
    lines: Annotated[list[OrderLineCreate], Field(min_length=1, max_length=MAX_LINES)]


class OrderLineRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    line_no: int
    product_id: uuid.UUID
    sku: str
    quantity: Decimal
    unit_price: Decimal
    unit_cost: Decimal
    revenue: Decimal
    cost: Decimal


class OrderRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    contact_id: uuid.UUID
    external_id: str | None
    ordered_at: datetime
    currency: str
    revenue: Decimal
    cost: Decimal
    lines: list[OrderLineRead]
    created_at: datetime
