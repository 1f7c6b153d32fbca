from datetime import UTC, datetime
from decimal import Decimal

import pytest

from contacts.domain.products import Product, ProductCreated, ProductUpdated
from contacts.domain.rules import RuleViolated

NOW = datetime(2026, 3, 1, tzinfo=UTC)


def spindle() -> Product:
    return Product.create(
        NOW,
        sku="ET-SPINDEL",
        name="Spindel",
        price=Decimal("1200"),
        unit_cost=Decimal("700"),
        currency="EUR",
    )


def test_a_new_product_is_active_priced_in_cents_with_one_event() -> None:
    product = spindle()

    assert product.active is True
    assert (str(product.price), str(product.unit_cost)) == ("1200.00", "700.00")
    assert [type(e) for e in product.pull_events()] == [ProductCreated]


def test_an_update_names_only_what_really_changed() -> None:
    product = spindle()
    product.pull_events()

    product.update(
        NOW, {"price": Decimal("1200.00"), "unit_cost": Decimal("760"), "name": "Spindel"}
    )

    [event] = product.pull_events()
    assert isinstance(event, ProductUpdated)
    assert event.changed_fields == ("unit_cost",)
    assert product.version == 2


def test_an_update_that_changes_nothing_emits_nothing() -> None:
    product = spindle()
    product.pull_events()

    product.update(NOW, {"price": Decimal("1200"), "active": True})

    assert product.version == 1
    assert product.pull_events() == []


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"price": Decimal("-0.01")}, "price"),
        ({"unit_cost": Decimal("-5")}, "unit_cost"),
        ({"currency": "EURO"}, "currency"),
        ({"sku": "  "}, "sku"),
        ({"name": ""}, "name"),
        ({"version": 7}, "version"),
    ],
)
def test_rules_name_the_field_they_protect(changes: dict[str, object], field: str) -> None:
    with pytest.raises(RuleViolated) as violated:
        spindle().update(NOW, changes)

    assert violated.value.field_name == field
