"""The ranks in numpy (ABC by cumulative value, RFM quintiles) against the SQL they replace,
written out row by row: a running sum in Decimal and ntile(5), ties broken by uuid order."""

from __future__ import annotations

import uuid
from decimal import Decimal

import numpy as np
import pytest
from numpy.typing import NDArray

from analytics.domain.segments import AbcThresholds, abc_classes, quintiles


def as_ids(ids: list[uuid.UUID]) -> NDArray[np.void]:
    return np.frombuffer(b"".join(i.bytes for i in ids), dtype="V16")


def reference_abc(ids: list[uuid.UUID], cents: list[int], thresholds: AbcThresholds) -> list[str]:
    """sum(value) OVER (ORDER BY value DESC, contact_id): A while the value before is under
    a_share of the total, B under ab_share, C otherwise or without value."""
    values = [Decimal(max(c, 0)) / 100 for c in cents]
    total = sum(values, Decimal(0))
    order = sorted(range(len(ids)), key=lambda i: (-cents[i], ids[i].bytes))
    classes = ["C"] * len(ids)
    running = Decimal(0)
    for i in order:
        before, running = running, running + values[i]
        if values[i] <= 0 or total <= 0:
            continue
        if before < thresholds.a_share * total:
            classes[i] = "A"
        elif before < thresholds.ab_share * total:
            classes[i] = "B"
    return classes


def reference_ntile(ids: list[uuid.UUID], key: list[float], ranked: list[bool]) -> list[int]:
    """ntile(5) OVER (ORDER BY key, contact_id) among the ranked: PostgreSQL gives the first
    n mod 5 buckets one row more."""
    members = sorted(
        (i for i in range(len(ids)) if ranked[i]), key=lambda i: (key[i], ids[i].bytes)
    )
    size, larger = divmod(len(members), 5)
    result = [0] * len(ids)
    position = 0
    for bucket in range(1, 6):
        for _ in range(size + (1 if bucket <= larger else 0)):
            result[members[position]] = bucket
            position += 1
    return result


@pytest.mark.parametrize("seed", range(8))
@pytest.mark.parametrize(("a", "b"), [(80, 15), (50, 30), (Decimal("33.3"), Decimal("33.3"))])
def test_abc_classes_match_the_running_sum(seed: int, a: Decimal, b: Decimal) -> None:
    rng = np.random.default_rng(seed)
    count = int(rng.integers(1, 300))
    ids = [uuid.UUID(bytes=rng.bytes(16)) for _ in range(count)]
    # Few distinct amounts, so ties (broken by id) and negative or zero values are common.
    cents = [int(v) for v in rng.choice([-500, 0, 1, 99, 1000, 1000, 25000, 25000], count)]
    thresholds = AbcThresholds(Decimal(a), Decimal(b))
    found = abc_classes(as_ids(ids), np.array(cents, dtype=np.int64), thresholds)
    assert [c.decode() for c in found] == reference_abc(ids, cents, thresholds)


def test_abc_boundary_is_exact_in_cents() -> None:
    # 0.80 of 10.00 is 8.00 and 0.95 is 9.50 exactly: the customer with 8.00 before them is B,
    # not A, and the one with 9.50 before them is C, not B.
    ids = [uuid.UUID(int=n) for n in range(1, 4)]
    cents = [800, 150, 50]
    found = abc_classes(as_ids(ids), np.array(cents, dtype=np.int64), AbcThresholds())
    assert [c.decode() for c in found] == ["A", "B", "C"]


def test_without_any_value_everyone_is_c() -> None:
    ids = [uuid.UUID(int=n) for n in range(1, 4)]
    found = abc_classes(as_ids(ids), np.array([0, -5, 0], dtype=np.int64), AbcThresholds())
    assert [c.decode() for c in found] == ["C", "C", "C"]


@pytest.mark.parametrize("seed", range(8))
def test_quintiles_match_ntile(seed: int) -> None:
    rng = np.random.default_rng(100 + seed)
    count = int(rng.integers(0, 60))
    ids = [uuid.UUID(bytes=rng.bytes(16)) for _ in range(count)]
    key = [float(k) for k in rng.integers(0, 4, count)]
    ranked = [bool(r) for r in rng.random(count) < 0.8]
    found = quintiles(as_ids(ids), np.array(key), np.array(ranked, dtype=bool))
    assert found.tolist() == reference_ntile(ids, key, ranked)


def test_fewer_customers_than_quintiles_get_the_lowest_ones() -> None:
    ids = [uuid.UUID(int=n) for n in (3, 1, 2)]
    found = quintiles(as_ids(ids), np.array([5.0, 5.0, 1.0]), np.ones(3, dtype=bool))
    assert found.tolist() == [3, 2, 1]
