"""Request and response bodies of products."""

from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal
from typing import Annotated

from pydantic import BaseModel, ConfigDict, StringConstraints

from contacts.entrypoints.schemas import Currency, Money

Sku = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]
ProductName = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=300)]


class ProductCreate(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "sku": "WV-DMU50",
                    "name": "Wartungsvertrag DMU 50 (12 Monate)",
                    "price": "4800.00",
                    "unit_cost": "3100.00",
                    "currency": "EUR",
                    "active": True,
                }
            ]
        },
    )

    sku: Sku
    name: ProductName
    price: Money
    unit_cost: Money
    currency: Currency
    active: bool = True


class ProductUpdate(BaseModel):
    """Only the fields sent are changed; none of them may be null."""

    model_config = ConfigDict(extra="forbid")

    sku: Sku | None = None
    name: ProductName | None = None
    price: Money | None = None
    unit_cost: Money | None = None
    currency: Currency | None = None
    active: bool | None = None


class ProductRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    sku: str
    name: str
    price: Decimal
    unit_cost: Decimal
    currency: str
    active: bool
    version: int
    created_at: datetime
    updated_at: datetime
