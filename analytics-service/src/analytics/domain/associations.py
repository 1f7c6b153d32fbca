"""Co-purchase counts for next best offers (A7), counted for all products at once.

With X the customer x product incidence matrix (1 where the customer bought the product at
least once), XᵀX holds, off the diagonal, the customers who bought both products of a pair,
and on it the buyers of each product; the rows of X are the buying customers. The offers
and prospects take confidence and lift from these counts (analytics.domain.offers).

Prospects for a product P are the customers who have not bought it, each through the
product of theirs with the highest confidence(owned -> P); `prospect_batches` walks the
associated products in that order so only as many products' buyers are read as the
requested number of prospects needs.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

import numpy as np
from numpy.typing import NDArray
from scipy import sparse

_CONFIDENCE_PLACES = Decimal("0.0001")


@dataclass(frozen=True)
class Incidence:
    """The distinct (customer, product) pairs of the order lines: `customers[i]` bought
    `products[i]`; customers are numbered 0 .. customer_count - 1, products 0 .. product_count
    - 1."""

    customers: NDArray[np.int32]
    products: NDArray[np.int32]
    customer_count: int
    product_count: int


@dataclass(frozen=True)
class CoPurchaseCounts:
    """`together[a, b]`: customers who bought products a and b; the diagonal: buyers."""

    together: NDArray[np.int32]
    population: int

    @property
    def buyers(self) -> NDArray[np.int32]:
        return np.ascontiguousarray(np.diagonal(self.together))

    @property
    def pairs(self) -> int:
        """Pairs of different products bought together (each pair once)."""
        return int((np.count_nonzero(self.together) - np.count_nonzero(self.buyers)) // 2)

    def rows(self) -> list[bytes]:
        """Each product's row, as little-endian int32s."""
        return [row.astype("<i4").tobytes() for row in self.together]


def number_customers(contact_ids: NDArray[np.void]) -> tuple[NDArray[np.int32], int]:
    """Each contact id (16 bytes) as a number 0 .. n - 1 (equal ids alike), and n. Numbered
    by the first 8 bytes (random in a uuid4: a sort of integers, not of 16-byte strings);
    should two ids share them, by all 16."""
    halves = np.ascontiguousarray(contact_ids).view("<u8").reshape(-1, 2)
    _, first, numbers = np.unique(halves[:, 0], return_index=True, return_inverse=True)
    if not np.array_equal(halves[first][numbers], halves):
        _, numbers = np.unique(halves, axis=0, return_inverse=True)
    numbers = numbers.reshape(-1)
    return numbers.astype(np.int32), int(numbers.max()) + 1 if len(numbers) else 0


def count_co_purchases(incidence: Incidence) -> CoPurchaseCounts:
    x = sparse.csr_matrix(
        (
            np.ones(len(incidence.customers), dtype=np.int32),
            (incidence.customers, incidence.products),
        ),
        shape=(incidence.customer_count, incidence.product_count),
    )
    # A pair listed twice still means "bought it".
    x.sum_duplicates()
    x.data[:] = 1
    together = np.asarray((x.T @ x).toarray(), dtype=np.int32)
    return CoPurchaseCounts(together, incidence.customer_count)


def row_of(together: bytes) -> NDArray[np.int32]:
    return np.frombuffer(together, dtype="<i4").astype(np.int32)


@dataclass(frozen=True)
class Owned:
    """A product the customer owns: its position, id, SKU, name, buyers and row of XᵀX."""

    position: int
    product_id: uuid.UUID
    sku: str
    name: str | None
    buyers: int
    together: NDArray[np.int32]


@dataclass(frozen=True)
class Strongest:
    """For each candidate position: the owned product of the strongest association (its
    index in the list given) and the customers who bought both."""

    positions: NDArray[np.intp]
    owned: NDArray[np.intp]
    together: NDArray[np.int32]


def strongest_associations(owned: list[Owned]) -> Strongest:
    """Per product the customer does not own and that was bought with one they do, the
    owned product with the highest confidence (together / its buyers; ties: the lower SKU)."""
    if not owned:
        empty = np.zeros(0, dtype=np.intp)
        return Strongest(empty, empty, np.zeros(0, dtype=np.int32))
    by_sku = sorted(range(len(owned)), key=lambda i: owned[i].sku)
    together = np.stack([owned[i].together for i in by_sku])
    buyers = np.array([owned[i].buyers for i in by_sku], dtype=np.float64)
    # argmax takes the first of equal confidences: the lowest SKU.
    best = np.argmax(together / buyers[:, None], axis=0)
    best_together = together[best, np.arange(together.shape[1])]
    candidate = best_together > 0
    candidate[[o.position for o in owned]] = False
    positions = np.nonzero(candidate)[0]
    return Strongest(positions, np.array(by_sku)[best[positions]], best_together[positions])


@dataclass(frozen=True)
class Association:
    """`together` of the `owners` (buyers) of `owned` also bought the product asked about."""

    owned: uuid.UUID
    owned_sku: str
    together: int
    owners: int

    @property
    def confidence(self) -> float:
        """Rounded to 4 places as shown; prospects of equal shown confidence are ordered by
        contact id."""
        exact = Decimal(self.together) / Decimal(self.owners)
        return float(exact.quantize(_CONFIDENCE_PLACES, rounding=ROUND_HALF_UP))


def strongest_first(associations: list[Association]) -> list[Association]:
    return sorted(associations, key=lambda a: (-a.together / a.owners, a.owned_sku))


def prospect_batches(associations: list[Association], first: int = 4) -> Iterator[range]:
    """Successive slices of `associations` (strongest first), doubling in size, each ending
    where the shown confidence changes: once the prospects found cover the limit, the ones
    of later slices all show a lower confidence and cannot make the cut."""
    start, size = 0, first
    while start < len(associations):
        end = min(start + size, len(associations))
        while end < len(associations) and (
            associations[end].confidence == associations[end - 1].confidence
        ):
            end += 1
        yield range(start, end)
        start, size = end, size * 2
