"""Segmentation rules (A3): ABC classes by value share and RFM quintiles.

The ranks are computed here over every customer at once (numpy arrays, a million customers
at a time), next to the CLV fit; the database only joins them in. This module holds what
the rules are, so they are stated and checked once.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

import numpy as np
from numpy.typing import NDArray

ABC_CLASSES = ("A", "B", "C")


class InvalidThresholds(ValueError):
    pass


@dataclass(frozen=True)
class AbcThresholds:
    """Shares of the total value in percent: A holds the customers making the first `a`
    percent of the value (most valuable first), B the next `b` percent, C the rest.

    A customer's value is the predicted CLV of the last run, or, for a customer the run did
    not cover (no order up to its as_of), the historical net value. Customers whose value is
    zero or negative add nothing to the total and are C.
    """

    a: Decimal = Decimal(80)
    b: Decimal = Decimal(15)

    def __post_init__(self) -> None:
        if self.a <= 0 or self.b <= 0 or self.a + self.b >= 100:
            raise InvalidThresholds(
                f"A ({self.a}) and B ({self.b}) must be positive and leave a share for C"
            )

    @property
    def c(self) -> Decimal:
        return 100 - self.a - self.b

    @property
    def a_share(self) -> Decimal:
        return self.a / 100

    @property
    def ab_share(self) -> Decimal:
        return (self.a + self.b) / 100

    def as_dict(self) -> dict[str, Decimal]:
        return {"A": self.a, "B": self.b, "C": self.c}


# How many quintiles RFM has; 0 stands for "not ranked" (a customer without orders).
QUINTILES = 5


def _by_id(ids: NDArray[np.void]) -> tuple[NDArray[np.uint64], NDArray[np.uint64]]:
    """The 16 bytes of each uuid as two big-endian halves: sorting by them (high first) is
    PostgreSQL's order of uuids (memcmp), the tie-breaker of every rank."""
    halves = np.frombuffer(np.ascontiguousarray(ids).tobytes(), dtype=">u8").reshape(-1, 2)
    return halves[:, 0].astype(np.uint64), halves[:, 1].astype(np.uint64)


def abc_classes(
    ids: NDArray[np.void], value_cents: NDArray[np.int64], thresholds: AbcThresholds
) -> NDArray[np.bytes_]:
    """Each customer's class (b"A", b"B", b"C") from their value in cents: most valuable
    first (ties by id), a customer is A while the value before them is under the A share
    of the total, B under the A+B share. In whole cents, so the sums are exact."""
    value = np.maximum(value_cents, 0)
    total = int(value.sum())
    classes = np.full(len(value), b"C", dtype="S1")
    if total <= 0:
        return classes
    high, low = _by_id(ids)
    # lexsort: the last key is the primary one.
    order = np.lexsort((low, high, -value_cents))
    before = np.cumsum(value[order]) - value[order]
    # before < share * total, for a whole number `before`, is before < ceil(share * total).
    a_limit = math.ceil(Fraction(thresholds.a_share) * total)
    ab_limit = math.ceil(Fraction(thresholds.ab_share) * total)
    ranked = np.where(before < a_limit, b"A", np.where(before < ab_limit, b"B", b"C"))
    classes[order] = np.where(value[order] > 0, ranked, b"C")
    return classes


def quintiles(
    ids: NDArray[np.void], key: NDArray[np.generic], ranked: NDArray[np.bool_]
) -> NDArray[np.int16]:
    """SQL's ntile(5) over the `ranked` customers ordered by `key` (ties by id): 1..5, the
    first n mod 5 quintiles one customer larger; 0 for the customers not ranked."""
    result = np.zeros(len(key), dtype=np.int16)
    members = np.flatnonzero(ranked)
    high, low = _by_id(ids[members])
    order = members[np.lexsort((low, high, key[members]))]
    size, larger = divmod(len(order), QUINTILES)
    sizes = [size + 1] * larger + [size] * (QUINTILES - larger)
    result[order] = np.repeat(np.arange(1, QUINTILES + 1, dtype=np.int16), sizes)
    return result
