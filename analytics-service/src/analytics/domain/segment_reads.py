"""Which columns of the customer read model each saved-segment filter reads.

A segment's membership can only change when a column its filters read changes, so an event
that changes none of them need not re-evaluate the segment (bench/README.md: re-evaluating
every segment for every contact run halved the consumer's throughput). The map is explicit
and complete (a unit test holds it to the filters), because a filter missing here would
silently stop following the events: a missed membership.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Set

# The customer's figures a segment bounds from below and above (`min_<name>`, `max_<name>`).
RANGE_FILTERS = (
    "revenue",
    "margin",
    "service_cost",
    "net_value",
    "orders",
    "clv",
    "expected_purchases_12m",
    "p_alive",
    "rfm_recency",
    "rfm_frequency",
    "rfm_monetary",
    "churn_risk",
)

# Generated columns change when what they are computed from changes; no event names them.
COMPUTED_FROM: Mapping[str, frozenset[str]] = {
    "margin": frozenset({"revenue", "cost"}),
    "net_value": frozenset({"revenue", "cost", "service_cost", "acquisition_cost"}),
}

# Every segment leaves erased customers out, whatever its filters.
READ_BY_EVERY_SEGMENT = frozenset({"erased_at"})

FILTER_READS: Mapping[str, str] = {
    **{f"{bound}_{name}": name for name in RANGE_FILTERS for bound in ("min", "max")},
    "abc_class": "abc_class",
    "lifecycle_stage": "lifecycle_stage",
    "tags": "tags",
    "last_order_after": "last_order_at",
    "last_order_before": "last_order_at",
}


def columns_read(filters: Iterable[str]) -> frozenset[str]:
    """The stored columns a segment with these filters (by name) reads, computed columns
    resolved into what they are computed from. Raises KeyError for an unknown filter."""
    read = set(READ_BY_EVERY_SEGMENT)
    for name in filters:
        column = FILTER_READS[name]
        read |= COMPUTED_FROM.get(column, {column})
    return frozenset(read)


def may_change(read: Set[str], changed: Set[str] | None) -> bool:
    """Whether a change of the columns `changed` (None: any column, as for a customer new
    to the read model) can change the membership of a segment reading `read`."""
    return changed is None or not read.isdisjoint(changed)
