"""Ranking next best offers: the best association per candidate, weighted by margin."""

from __future__ import annotations

import uuid
from decimal import Decimal

import numpy as np

from analytics.domain.offers import CoPurchase, rank_offers, shortlist

OWNED_1, OWNED_2, CHEAP, RICH = (uuid.uuid4() for _ in range(4))


def co(
    owned: uuid.UUID, offer: uuid.UUID, together: int, owners: int, margin: str | None
) -> CoPurchase:
    return CoPurchase(
        owned=owned,
        owned_sku=str(owned),
        owned_name=None,
        offer=offer,
        offer_sku="cheap" if offer == CHEAP else "rich",
        offer_name="Cheap one" if offer == CHEAP else "Rich one",
        together=together,
        owners=owners,
        buyers=4,
        population=10,
        margin_per_sale=None if margin is None else Decimal(margin),
    )


def test_the_best_owned_product_explains_and_margin_weighs() -> None:
    offers = rank_offers(
        [
            co(OWNED_1, CHEAP, 1, 4, "5.00"),
            co(OWNED_2, CHEAP, 3, 4, "5.00"),  # the stronger reason for CHEAP
            co(OWNED_1, RICH, 1, 4, "40.00"),  # less likely, but earns more
        ],
        limit=5,
    )
    assert [(o.sku, o.because_of, o.confidence, o.score) for o in offers] == [
        ("rich", OWNED_1, 0.25, 10.0),
        ("cheap", OWNED_2, 0.75, 3.75),
    ]
    assert offers[1].lift == 1.875  # 0.75 / (4 of 10)
    assert rank_offers([co(OWNED_1, RICH, 1, 4, "-3.00")], 5)[0].score == 0.0
    assert rank_offers([co(OWNED_1, RICH, 0, 4, "9.00")], 5) == []
    assert len(rank_offers([co(OWNED_1, RICH, 1, 4, "1"), co(OWNED_1, CHEAP, 1, 4, "1")], 1)) == 1


def test_an_offer_without_a_known_margin_scores_nothing_but_keeps_its_name() -> None:
    """Sold only in a currency without an exchange rate: its margin per sale is unknown."""
    offers = rank_offers([co(OWNED_1, RICH, 3, 4, None), co(OWNED_1, CHEAP, 1, 4, "5.00")], 5)
    assert [(o.name, o.score, o.margin_per_sale) for o in offers] == [
        ("Cheap one", 1.25, Decimal("5.00")),
        ("Rich one", 0.0, None),
    ]


def test_the_shortlist_holds_every_offer_the_ranking_would_pick() -> None:
    rng = np.random.default_rng(3)
    for _ in range(200):
        size = int(rng.integers(1, 60))
        owners = rng.integers(1, 50, size)
        together = rng.integers(1, owners + 1)
        # Few distinct margins, some unknown or negative: many scores tie after rounding.
        margins = [None, "-2.00", "0.00", "1.00", "1.50", "3.00"]
        chosen = [margins[i] for i in rng.integers(0, len(margins), size)]
        candidates = [
            CoPurchase(
                owned=OWNED_1,
                owned_sku="owned",
                owned_name=None,
                offer=uuid.UUID(int=i),
                offer_sku=f"sku-{i:02}",
                offer_name=None,
                together=int(together[i]),
                owners=int(owners[i]),
                buyers=60,
                population=100,
                margin_per_sale=None if chosen[i] is None else Decimal(chosen[i]),
            )
            for i in range(size)
        ]
        limit = int(rng.integers(1, 8))
        kept = shortlist(
            together / owners,
            np.array([np.nan if m is None else float(m) for m in chosen]),
            limit,
        )

        assert rank_offers([candidates[i] for i in kept], limit) == rank_offers(candidates, limit)
