import uuid
from datetime import UTC, datetime
from decimal import Decimal

import pytest

from contacts.domain.model import Contact, ContactUpdated
from contacts.domain.orders import LineRequest, Order, OrderRecorded
from contacts.domain.products import Product
from contacts.domain.rules import RuleViolated

NOW = datetime(2026, 3, 1, tzinfo=UTC)
SPINDLE = Product.create(
    NOW, sku="ET-1", name="Spindel", price=Decimal("1200"), unit_cost=Decimal("700"), currency="EUR"
)
SCREW = Product.create(
    NOW,
    sku="ET-2",
    name="Schraube",
    price=Decimal("0.35"),
    unit_cost=Decimal("0.12"),
    currency="EUR",
)


def record(*requests: LineRequest, currency: str = "EUR") -> Order:
    return Order.record(
        contact_id=uuid.uuid4(),
        external_id="SHOP-1",
        ordered_at=NOW,
        currency=currency,
        requests=requests,
        now=NOW,
    )


def test_lines_default_to_the_product_and_totals_sum_the_rounded_lines() -> None:
    order = record(
        LineRequest(SPINDLE, Decimal("2")),
        LineRequest(SCREW, Decimal("3"), unit_price=Decimal("0.333")),
    )

    spindle, screws = order.lines
    assert (spindle.unit_price, spindle.unit_cost, spindle.line_no) == (1200, 700, 1)
    # 3 x 0.33 (the given price, rounded to the cent) and 3 x 0.12 at the product's cost.
    assert (screws.revenue, screws.cost) == (Decimal("0.99"), Decimal("0.36"))
    assert (order.revenue, order.cost) == (Decimal("2400.99"), Decimal("1400.36"))
    assert [type(e) for e in order.pull_events()] == [OrderRecorded]


def test_a_price_in_another_currency_must_be_given_not_defaulted() -> None:
    with pytest.raises(RuleViolated) as violated:
        record(LineRequest(SPINDLE, Decimal("1")), currency="USD")

    given = record(
        LineRequest(SPINDLE, Decimal("1"), Decimal("1300"), Decimal("760")), currency="USD"
    )

    assert violated.value.field_name == "lines[0].unit_price"
    assert given.revenue == Decimal("1300.00")


@pytest.mark.parametrize(
    ("requests", "field"),
    [
        ((), "lines"),
        (
            (LineRequest(SPINDLE, Decimal("1")), LineRequest(SCREW, Decimal("0"))),
            "lines[1].quantity",
        ),
        ((LineRequest(SPINDLE, Decimal("-1")),), "lines[0].quantity"),
        ((LineRequest(SPINDLE, Decimal("1"), Decimal("-1")),), "lines[0].unit_price"),
        ((LineRequest(SPINDLE, Decimal("1"), None, Decimal("-1")),), "lines[0].unit_cost"),
    ],
)
def test_rules_name_the_line_and_field(requests: tuple[LineRequest, ...], field: str) -> None:
    with pytest.raises(RuleViolated) as violated:
        record(*requests)

    assert violated.value.field_name == field


def test_a_lead_who_buys_becomes_a_customer_and_others_stay_what_they_are() -> None:
    lead = Contact.create(NOW, first_name="Jana", last_name="Becker", lifecycle_stage="lead")
    churned = Contact.create(NOW, first_name="Tom", last_name="Alt", lifecycle_stage="customer")
    churned.churn(NOW, "competitor", "went to a competitor")
    for contact in (lead, churned):
        contact.pull_events()
        contact.record_purchase(NOW)

    [event] = lead.pull_events()
    assert isinstance(event, ContactUpdated)
    assert (lead.lifecycle_stage, event.changed_fields) == ("customer", ("lifecycle_stage",))
    assert churned.lifecycle_stage == "churned"
    assert churned.pull_events() == []
