"""Which read-model columns each saved-segment filter reads: a segment is left alone by a
change of other columns, so the map must hold for every filter and every computed column
(a gap would be a missed membership)."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import Column
from sqlalchemy.sql import visitors

from analytics.adapters.orm import customers
from analytics.domain.segment_reads import COMPUTED_FROM, FILTER_READS, columns_read, may_change
from analytics.service_layer.filters import SegmentFilters
from treue.events.contracts import ContactStateV1

SAMPLES: dict[str, Any] = {
    "abc_class": ["A"],
    "lifecycle_stage": ["lead"],
    "tags": ["vip"],
    "last_order_after": datetime(2026, 1, 1, tzinfo=UTC),
    "last_order_before": datetime(2026, 1, 1, tzinfo=UTC),
}


def stored_columns_of(filters: SegmentFilters) -> set[str]:
    """The columns the filters' SQL conditions name, computed ones resolved."""
    named = {
        element.name
        for condition in filters.query().conditions()
        for element in visitors.iterate(condition)
        if isinstance(element, Column) and element.table is customers
    }
    return {stored for name in named for stored in COMPUTED_FROM.get(name, {name})}


def test_every_filter_is_mapped() -> None:
    assert set(FILTER_READS) == set(SegmentFilters.model_fields)


@pytest.mark.parametrize("name", sorted(SegmentFilters.model_fields))
def test_a_filter_reads_every_column_its_condition_names(name: str) -> None:
    filters = SegmentFilters.model_validate({name: SAMPLES.get(name, 1)})
    assert stored_columns_of(filters) == filters.reads()
    assert filters.reads() >= {"erased_at"}


def test_the_computed_columns_are_resolved_into_what_the_table_computes_them_from() -> None:
    computed = {c.name: c.computed for c in customers.columns if c.computed is not None}
    assert set(COMPUTED_FROM) == set(computed)
    for name, expression in computed.items():
        assert expression is not None
        words = set(re.findall(r"[a-z_]+", str(expression.sqltext)))
        assert COMPUTED_FROM[name] == words & set(customers.columns.keys())


def test_a_contacts_fields_are_stored_under_their_own_names() -> None:
    """The contact handler takes `changed_fields` for read-model columns."""
    stored = set(customers.columns.keys())
    fields = set(ContactStateV1.model_fields) - {"contact_id", "version"}
    assert fields <= stored


def test_a_segment_may_change_only_with_a_column_it_reads() -> None:
    gold_leads = SegmentFilters(tags=["gold"], lifecycle_stage=["lead"]).reads()
    assert gold_leads == {"tags", "lifecycle_stage", "erased_at"}
    assert may_change(gold_leads, {"tags", "email"})
    assert not may_change(gold_leads, {"last_name", "email", "acquisition_cost"})
    assert not may_change(gold_leads, set())
    assert may_change(gold_leads, None)  # a customer new here: anything may match


def test_net_value_follows_what_it_is_computed_from() -> None:
    costly = columns_read(["max_net_value"])
    assert may_change(costly, {"acquisition_cost"})
    assert may_change(costly, {"service_cost"})
    assert not may_change(costly, {"tags", "churn_risk"})
    assert columns_read(["min_margin"]) == {"revenue", "cost", "erased_at"}


def test_an_unknown_filter_is_an_error_not_a_filter_reading_nothing() -> None:
    with pytest.raises(KeyError):
        columns_read(["colour"])
