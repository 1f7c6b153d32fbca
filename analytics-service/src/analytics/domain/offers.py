"""Next best offer (A7): products a customer does not have yet, ranked by what customers
who bought the same products also bought, weighted by what the offer earns.

For an owned product a and a candidate b (among all customers who bought anything):
confidence(a -> b) = customers who bought a and b / customers who bought a;
lift = confidence / the share of all buying customers who bought b (above 1: bought together
more often than by chance). A candidate's association is its best confidence over the
customer's products; its score is that confidence times b's average margin per sale (the
margin the offer is expected to earn), so a likely offer with a thin margin can rank below
a less likely one that earns more. The margin is in the reporting currency, of the sales
whose currency converts; a product with no such sale has no known margin and scores 0.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from decimal import Decimal

import numpy as np
from numpy.typing import NDArray

# rank_offers rounds scores to 4 places: a candidate this close below the limit-th score
# may round to the same score and win on confidence or SKU.
_ROUNDING = 1e-4


@dataclass(frozen=True)
class CoPurchase:
    """Among all buying customers: `together` bought both `owned` (which `owners` bought)
    and `offer` (which `buyers` of `population` buying customers bought)."""

    owned: uuid.UUID
    owned_sku: str
    owned_name: str | None
    offer: uuid.UUID
    offer_sku: str
    offer_name: str | None
    together: int
    owners: int
    buyers: int
    population: int
    margin_per_sale: Decimal | None


@dataclass(frozen=True)
class Offer:
    product_id: uuid.UUID
    sku: str
    name: str | None
    because_of: uuid.UUID
    because_of_sku: str
    because_of_name: str | None
    confidence: float
    lift: float
    margin_per_sale: Decimal | None
    score: float
    customers_together: int
    customers_with_owned: int


def rank_offers(co_purchases: list[CoPurchase], limit: int) -> list[Offer]:
    """The best `limit` offers, highest score first (ties: higher confidence, then product)."""
    best: dict[uuid.UUID, Offer] = {}
    for co in co_purchases:
        if co.owners == 0 or co.buyers == 0 or co.together == 0:
            continue
        confidence = co.together / co.owners
        held = best.get(co.offer)
        if held is not None and held.confidence >= confidence:
            continue
        best[co.offer] = Offer(
            product_id=co.offer,
            sku=co.offer_sku,
            name=co.offer_name,
            because_of=co.owned,
            because_of_sku=co.owned_sku,
            because_of_name=co.owned_name,
            confidence=round(confidence, 4),
            lift=round(confidence / (co.buyers / co.population), 4),
            margin_per_sale=co.margin_per_sale,
            score=round(confidence * float(max(co.margin_per_sale or 0, Decimal(0))), 4),
            customers_together=co.together,
            customers_with_owned=co.owners,
        )
    ranked = sorted(best.values(), key=lambda o: (-o.score, -o.confidence, o.sku))
    return ranked[:limit]


def shortlist(
    confidence: NDArray[np.float64], margin: NDArray[np.float64], limit: int
) -> NDArray[np.intp]:
    """The candidates (by index) that can be among rank_offers' best `limit`, from each one's
    best confidence and margin per sale (NaN: unknown), so that only those need building:
    every candidate whose score, as rank_offers computes it, reaches the limit-th best."""
    if len(confidence) <= limit:
        return np.arange(len(confidence))
    score = confidence * np.nan_to_num(np.maximum(margin, 0.0))
    kth = np.partition(score, len(score) - limit)[len(score) - limit]
    return np.nonzero(score >= kth - _ROUNDING)[0]
