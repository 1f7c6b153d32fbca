"""Co-purchase counts from the incidence matrix, and the order prospects are looked for in."""

from __future__ import annotations

import uuid
from itertools import combinations

import numpy as np

from analytics.domain.associations import (
    Association,
    Incidence,
    Owned,
    count_co_purchases,
    number_customers,
    prospect_batches,
    strongest_associations,
    strongest_first,
)

# Customer -> products bought (product 3 nobody bought; customer 1 bought product 0 twice).
BOUGHT = {0: [0, 1], 1: [0, 0, 2], 2: [0, 1, 2], 3: [1], 4: [4]}


def incidence() -> Incidence:
    pairs = [(c, p) for c, products in BOUGHT.items() for p in products]
    return Incidence(
        customers=np.array([c for c, _ in pairs], dtype=np.int32),
        products=np.array([p for _, p in pairs], dtype=np.int32),
        customer_count=len(BOUGHT),
        product_count=5,
    )


def test_the_counts_equal_a_count_by_hand() -> None:
    counts = count_co_purchases(incidence())

    assert counts.population == 5
    assert counts.buyers.tolist() == [3, 3, 2, 0, 1]
    found = {
        (a, b): int(counts.together[a, b])
        for a in range(5)
        for b in range(5)
        if a != b and counts.together[a, b]
    }
    by_hand: dict[tuple[int, int], int] = {}
    for products in BOUGHT.values():
        for a, b in combinations(sorted(set(products)), 2):
            by_hand[a, b] = by_hand.get((a, b), 0) + 1
            by_hand[b, a] = by_hand.get((b, a), 0) + 1
    assert found == by_hand == {(0, 1): 2, (1, 0): 2, (0, 2): 2, (2, 0): 2, (1, 2): 1, (2, 1): 1}
    assert counts.pairs == 3
    assert [len(row) for row in counts.rows()] == [20] * 5
    # A service without orders: nothing to count, and nothing fails.
    empty = np.zeros(0, dtype=np.int32)
    nothing = count_co_purchases(Incidence(empty, empty, 0, 0))
    assert (nothing.population, nothing.pairs, nothing.rows()) == (0, 0, [])


def owned(position: int, sku: str, buyers: int, together: list[int]) -> Owned:
    return Owned(position, uuid.uuid4(), sku, None, buyers, np.array(together, dtype=np.int32))


def test_each_candidate_takes_its_strongest_association_ties_by_sku() -> None:
    # Positions 0 and 1 are owned; 2 is bought with both (1 of 4 = 1 of 4: the lower SKU);
    # 3 with position 1 only (2 of 4); 4 with neither.
    mine = [owned(1, "B", 4, [1, 4, 1, 2, 0]), owned(0, "A", 4, [4, 1, 1, 0, 0])]

    found = strongest_associations(mine)

    assert found.positions.tolist() == [2, 3]
    assert [mine[i].sku for i in found.owned] == ["A", "B"]
    assert found.together.tolist() == [1, 2]
    assert strongest_associations([]).positions.tolist() == []


def association(together: int, owners: int, sku: str) -> Association:
    return Association(uuid.uuid4(), sku, together, owners)


def test_associations_are_walked_strongest_first_in_growing_slices_that_keep_ties_whole() -> None:
    ranked = strongest_first(
        [association(1, 3, "B"), association(2, 3, "C"), association(1, 2, "A")]
        + [association(1, 10, f"Z{i}") for i in range(6)]
        + [association(1, 3, "A")]
    )

    assert [(a.owned_sku, a.confidence) for a in ranked[:4]] == [
        ("C", 0.6667),
        ("A", 0.5),
        ("A", 0.3333),
        ("B", 0.3333),
    ]
    # 4, then 8 (the slice ends with the list); the tie of 1/3 at positions 2-3 stays whole.
    assert list(prospect_batches(ranked)) == [range(0, 4), range(4, 10)]
    assert list(prospect_batches(ranked, first=3)) == [range(0, 4), range(4, 10)]
    assert list(prospect_batches([])) == []


def test_customers_are_numbered_by_their_whole_id_even_when_the_first_half_is_shared() -> None:
    ids = [uuid.UUID(int=(7 << 64) | 1), uuid.UUID(int=(7 << 64) | 2), uuid.UUID(int=3 << 64)]
    found = np.frombuffer(b"".join(i.bytes for i in [*ids, ids[1], ids[2]]), dtype="V16")

    numbers, count = number_customers(found)

    assert count == 3
    assert numbers[3] == numbers[1]
    assert numbers[4] == numbers[2]
    assert len(set(numbers[:3].tolist())) == 3
    unique = np.frombuffer(b"".join(uuid.uuid4().bytes for _ in range(100)), dtype="V16")
    assert number_customers(np.concatenate([unique, unique]))[1] == 100
    assert number_customers(unique[:0])[1] == 0
