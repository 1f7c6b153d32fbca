"""Products (offers) with their price and unit cost: what margins are computed from."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

from contacts.domain.rules import (
    RuleViolated,
    check_currency,
    check_editable,
    check_not_negative,
    to_cents,
)

PRODUCT_FIELDS = ("sku", "name", "price", "unit_cost", "currency", "active")


@dataclass(frozen=True)
class ProductCreated:
    product: Product


@dataclass(frozen=True)
class ProductUpdated:
    product: Product
    changed_fields: tuple[str, ...]


ProductEvent = ProductCreated | ProductUpdated


@dataclass(eq=False)
class Product:
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
    events: list[ProductEvent] = field(default_factory=list, repr=False)

    @classmethod
    def create(cls, now: datetime, **details: Any) -> Product:
        product = cls(
            id=uuid.uuid4(),
            sku=details["sku"],
            name=details["name"],
            price=to_cents(details["price"]),
            unit_cost=to_cents(details["unit_cost"]),
            currency=details["currency"],
            active=details.get("active", True),
            version=1,
            created_at=now,
            updated_at=now,
        )
        product._check()
        product.events.append(ProductCreated(product))
        return product

    def update(self, now: datetime, changes: dict[str, Any]) -> None:
        check_editable(changes, PRODUCT_FIELDS)
        changes = {
            name: to_cents(value) if name in ("price", "unit_cost") and value is not None else value
            for name, value in changes.items()
        }
        changed = tuple(
            name
            for name in PRODUCT_FIELDS
            if name in changes and getattr(self, name) != changes[name]
        )
        if not changed:
            return
        for name in changed:
            setattr(self, name, changes[name])
        self._check()
        self.version += 1
        self.updated_at = now
        self.events.append(ProductUpdated(self, changed))

    def pull_events(self) -> list[ProductEvent]:
        events, self.events = self.events, []
        return events

    def _check(self) -> None:
        if not self.sku.strip():
            raise RuleViolated("sku", "must not be empty")
        if not self.name.strip():
            raise RuleViolated("name", "must not be empty")
        check_not_negative(self.price, "price")
        check_not_negative(self.unit_cost, "unit_cost")
        check_currency(self.currency)
