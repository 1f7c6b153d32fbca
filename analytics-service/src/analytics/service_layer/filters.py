"""Filters over the customer read model: the customer list's query parameters and the
saved segments' definitions share them."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from analytics.adapters.repository import CustomerQuery
from analytics.domain.segment_reads import RANGE_FILTERS, columns_read

AbcClassName = Literal["A", "B", "C"]


class Range(BaseModel):
    """Inclusive bounds on the customer's figures; money as decimal strings."""

    min_revenue: Decimal | None = None
    max_revenue: Decimal | None = None
    min_margin: Decimal | None = None
    max_margin: Decimal | None = None
    min_service_cost: Decimal | None = None
    max_service_cost: Decimal | None = None
    min_net_value: Decimal | None = None
    max_net_value: Decimal | None = None
    min_orders: int | None = None
    max_orders: int | None = None
    min_clv: Decimal | None = None
    max_clv: Decimal | None = None
    min_expected_purchases_12m: float | None = None
    max_expected_purchases_12m: float | None = None
    min_p_alive: float | None = None
    max_p_alive: float | None = None
    min_rfm_recency: int | None = Field(None, ge=1, le=5)
    max_rfm_recency: int | None = Field(None, ge=1, le=5)
    min_rfm_frequency: int | None = Field(None, ge=1, le=5)
    max_rfm_frequency: int | None = Field(None, ge=1, le=5)
    min_rfm_monetary: int | None = Field(None, ge=1, le=5)
    max_rfm_monetary: int | None = Field(None, ge=1, le=5)
    min_churn_risk: float | None = Field(None, ge=0, le=1)
    max_churn_risk: float | None = Field(None, ge=0, le=1)

    def bounds(self, prefix: str) -> dict[str, Any]:
        values = self.model_dump(exclude_none=True)
        named = {name: values.get(f"{prefix}_{name}") for name in RANGE_FILTERS}
        return {name: value for name, value in named.items() if value is not None}

    def contradiction(self) -> tuple[str, str] | None:
        """The first upper bound below its lower bound, as (field, message)."""
        lower, upper = self.bounds("min"), self.bounds("max")
        for name, low in lower.items():
            if name in upper and upper[name] < low:
                return f"max_{name}", f"is below min_{name} ({low})"
        return None


class SegmentFilters(Range):
    """Who is in a saved segment: every filter given must hold (bounds are inclusive)."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [{"abc_class": ["A"], "min_churn_risk": 0.6}],
        },
    )

    abc_class: list[AbcClassName] | None = Field(None, description="Any of these ABC classes")
    lifecycle_stage: list[str] | None = Field(None, description="Any of these lifecycle stages")
    tags: list[str] | None = Field(None, description="All of these tags")
    last_order_after: datetime | None = Field(None, description="Last order at or after")
    last_order_before: datetime | None = Field(None, description="Last order at or before")

    def contradiction(self) -> tuple[str, str] | None:
        found = super().contradiction()
        if found is not None:
            return f"filters.{found[0]}", found[1]
        after, before = self.last_order_after, self.last_order_before
        if after is not None and before is not None and before < after:
            return "filters.last_order_before", "is before last_order_after"
        return None

    def reads(self) -> frozenset[str]:
        """The read model's columns the filters given read: a change of no other column
        can change who is in the segment."""
        return columns_read(self.model_dump(exclude_none=True))

    def query(self) -> CustomerQuery:
        minimum: dict[str, Any] = self.bounds("min")
        maximum: dict[str, Any] = self.bounds("max")
        if self.last_order_after is not None:
            minimum["last_order_at"] = self.last_order_after
        if self.last_order_before is not None:
            maximum["last_order_at"] = self.last_order_before
        return CustomerQuery(
            minimum=minimum,
            maximum=maximum,
            lifecycle_stages=tuple(self.lifecycle_stage or ()),
            tags=tuple(self.tags or ()),
            abc_classes=tuple(self.abc_class or ()),
        )
