"""Saved-segment filters: what they ask of the read model, and the contradictions refused."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest
from pydantic import ValidationError

from analytics.service_layer.filters import Range, SegmentFilters


def test_filters_become_the_customer_query() -> None:
    after = datetime(2026, 1, 1, tzinfo=UTC)
    filters = SegmentFilters.model_validate(
        {
            "abc_class": ["A", "B"],
            "tags": ["vip", "b2b"],
            "lifecycle_stage": ["customer"],
            "min_churn_risk": 0.6,
            "max_clv": "1000.50",
            "min_rfm_recency": 4,
            "last_order_after": after.isoformat(),
        }
    )
    query = filters.query()
    assert query.abc_classes == ("A", "B")
    assert query.tags == ("vip", "b2b")
    assert query.lifecycle_stages == ("customer",)
    assert query.minimum == {"churn_risk": 0.6, "rfm_recency": 4, "last_order_at": after}
    assert query.maximum == {"clv": Decimal("1000.50")}
    assert filters.contradiction() is None


@pytest.mark.parametrize(
    ("given", "field"),
    [
        ({"min_clv": 10, "max_clv": 5}, "filters.max_clv"),
        ({"min_rfm_monetary": 4, "max_rfm_monetary": 2}, "filters.max_rfm_monetary"),
        (
            {
                "last_order_after": "2026-02-01T00:00:00Z",
                "last_order_before": "2026-01-01T00:00:00Z",
            },
            "filters.last_order_before",
        ),
    ],
)
def test_an_upper_bound_below_the_lower_one_is_named(given: dict[str, object], field: str) -> None:
    found = SegmentFilters.model_validate(given).contradiction()
    assert found is not None
    assert found[0] == field


def test_the_list_names_its_query_parameter_without_the_filters_prefix() -> None:
    assert Range(min_orders=3, max_orders=1).contradiction() == (
        "max_orders",
        "is below min_orders (3)",
    )


@pytest.mark.parametrize(
    "given", [{"colour": "red"}, {"abc_class": ["D"]}, {"min_churn_risk": 1.5}, {"tags": "vip"}]
)
def test_unknown_or_out_of_range_filters_are_refused(given: dict[str, object]) -> None:
    with pytest.raises(ValidationError):
        SegmentFilters.model_validate(given)
