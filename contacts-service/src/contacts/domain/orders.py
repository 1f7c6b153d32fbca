"""Orders with their lines: revenue and cost as sold, kept apart from later price changes."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal

from contacts.domain.products import Product
from contacts.domain.rules import RuleViolated, check_currency, check_not_negative, to_cents

MAX_LINES = 500
QUANTITY_STEP = Decimal("0.001")


@dataclass(frozen=True)
class LineRequest:
    """One line as asked for; price and cost default to the product's current ones."""

    product: Product
    quantity: Decimal
    unit_price: Decimal | None = None
    unit_cost: Decimal | None = None


@dataclass(frozen=True)
class OrderRecorded:
    order: Order


@dataclass(eq=False)
class OrderLine:
    line_no: int
    product_id: uuid.UUID
    sku: str
    quantity: Decimal
    unit_price: Decimal
    unit_cost: Decimal

    @property
    def revenue(self) -> Decimal:
        return to_cents(self.quantity * self.unit_price)

    @property
    def cost(self) -> Decimal:
        return to_cents(self.quantity * self.unit_cost)


@dataclass(eq=False)
class Order:
    id: uuid.UUID
    contact_id: uuid.UUID
    external_id: str | None
    ordered_at: datetime
    currency: str
    lines: list[OrderLine]
    revenue: Decimal
    cost: Decimal
    created_at: datetime
    events: list[OrderRecorded] = field(default_factory=list, repr=False)

    @classmethod
    def record(
        cls,
        *,
        contact_id: uuid.UUID,
        external_id: str | None,
        ordered_at: datetime,
        currency: str,
        requests: Sequence[LineRequest],
        now: datetime,
    ) -> Order:
        check_currency(currency)
        if not requests:
            raise RuleViolated("lines", "an order needs at least one line")
        if len(requests) > MAX_LINES:
            raise RuleViolated("lines", f"at most {MAX_LINES} lines")
        lines = [_line(index, request, currency) for index, request in enumerate(requests)]
        order = cls(
            id=uuid.uuid4(),
            contact_id=contact_id,
            external_id=external_id,
            # In UTC, as the database gives it back, so every read shows the same time.
            ordered_at=ordered_at.astimezone(UTC),
            currency=currency,
            lines=lines,
            # Totals are sums of the rounded line amounts, so they match an invoice's.
            revenue=sum((line.revenue for line in lines), Decimal("0.00")),
            cost=sum((line.cost for line in lines), Decimal("0.00")),
            created_at=now,
        )
        order.events.append(OrderRecorded(order))
        return order

    def pull_events(self) -> list[OrderRecorded]:
        events, self.events = self.events, []
        return events


def _line(index: int, request: LineRequest, currency: str) -> OrderLine:
    where = f"lines[{index}]"
    product = request.product
    if request.quantity <= 0:
        raise RuleViolated(f"{where}.quantity", "must be greater than 0", "greater_than", {"gt": 0})
    unit_price = _amount_or_default(
        request.unit_price, product.price, product, currency, f"{where}.unit_price"
    )
    unit_cost = _amount_or_default(
        request.unit_cost, product.unit_cost, product, currency, f"{where}.unit_cost"
    )
    return OrderLine(
        line_no=index + 1,
        product_id=product.id,
        sku=product.sku,
        quantity=request.quantity.quantize(QUANTITY_STEP),
        unit_price=unit_price,
        unit_cost=unit_cost,
    )


def _amount_or_default(
    given: Decimal | None, default: Decimal, product: Product, currency: str, field_name: str
) -> Decimal:
    if given is not None:
        check_not_negative(given, field_name)
        return to_cents(given)
    # A price in another currency would silently mix currencies in revenue and margin.
    if product.currency != currency:
        raise RuleViolated(
            field_name,
            f"required: product {product.sku} is priced in {product.currency}, "
            f"the order is in {currency}",
        )
    return default
