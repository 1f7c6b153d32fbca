"""The co-purchase associations as a background job (on a schedule, on demand and once after
the demo's orders), and the prospects read from them."""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import Awaitable, Callable
from contextlib import AsyncExitStack
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import numpy as np
from numpy.typing import NDArray
from sqlalchemy import RowMapping

from analytics.adapters.associations import AssociationRepository
from analytics.adapters.order_line_reader import joined_lines, page_shares
from analytics.domain.associations import (
    CoPurchaseCounts,
    Incidence,
    Strongest,
    count_co_purchases,
    prospect_batches,
    strongest_associations,
    strongest_first,
)
from analytics.domain.line_sums import LineSums
from analytics.domain.margins import (
    LastPurchases,
    LineCounts,
    Lines,
    count_lines,
    last_purchases,
)
from analytics.domain.money import ReportingCurrency
from analytics.domain.offers import CoPurchase, shortlist
from analytics.service_layer.unit_of_work import AnalyticsUnitOfWork

ASSOCIATIONS = "product-associations"


# The connections the run reads the order lines on, each a share of the table's pages:
# one Postgres backend per core of the database's machine (two here) does the reading.
LINE_READERS = 2


@dataclass(frozen=True)
class _Read:
    """What the run read of the lines and orders, in one snapshot."""

    products: list[RowMapping]
    currencies: list[str]
    contact_ids: NDArray[np.void]
    sums: LineSums
    counted: LineCounts
    last: LastPurchases
    counts: CoPurchaseCounts
    cohorts: list[RowMapping]


async def count_associations(
    unit_of_work: Callable[[], AnalyticsUnitOfWork],
    report: Callable[[float], Awaitable[None]],
) -> dict[str, Any]:
    """Counts every co-purchase, the cohorts and the margins from the order lines and
    orders, and replaces the last run's counts in one transaction: readers see the old
    counts or the new, and a failed run leaves the old ones as they were."""
    started = time.perf_counter()
    async with unit_of_work() as uow:
        cutoff = await uow.associations.clear()
        read = await _read(unit_of_work, cutoff, report)
        pairs = await uow.associations.replace(read.products, read.counts, read.cohorts, cutoff)
        await report(0.8)
        await uow.margins.add_counts(
            [row["product_id"] for row in read.products],
            read.currencies,
            read.sums,
            read.counted,
            read.last,
            read.contact_ids,
        )
        await report(0.9)
        await uow.commit()
    return {
        "customers": read.counts.population,
        "products": len(read.products),
        "pairs": pairs,
        "duration_s": round(time.perf_counter() - started, 3),
    }


async def _read(
    unit_of_work: Callable[[], AnalyticsUnitOfWork],
    cutoff: datetime,
    report: Callable[[float], Awaitable[None]],
) -> _Read:
    """The lines read on LINE_READERS connections in one snapshot (a share of the pages
    each), then counted by numpy while the first connection counts the cohorts."""
    async with AsyncExitStack() as stack:
        readers = [await stack.enter_async_context(unit_of_work()) for _ in range(LINE_READERS)]
        snapshot = await readers[0].order_lines.share_snapshot()
        for reader in readers[1:]:
            await reader.order_lines.use_snapshot(snapshot)
        products = await readers[0].associations.products_sold()
        currencies = await readers[0].order_lines.currencies()
        shares = page_shares(await readers[0].order_lines.pages(), LINE_READERS)
        await report(0.2)
        ids = [row["product_id"] for row in products]
        parts = await asyncio.gather(
            *(
                reader.order_lines.lines(ids, currencies, cutoff, share)
                for reader, share in zip(readers, shares, strict=True)
            )
        )
        await report(0.4)
        # The cohorts need only the orders: counted on a connection of the same snapshot
        # while numpy counts the lines (numpy's sorts and scipy's sparse product release
        # the GIL for most of the work; the service keeps answering).
        counting_cohorts = asyncio.create_task(readers[0].associations.cohorts(cutoff))
        try:
            lines, contact_ids, sums = await asyncio.to_thread(
                joined_lines, [part for share in parts for part in share], len(currencies)
            )
            del parts
            counted, last, counts = await asyncio.to_thread(_count, lines, len(products))
            del lines
            await report(0.6)
            cohorts = await counting_cohorts
        finally:
            counting_cohorts.cancel()
    return _Read(products, currencies, contact_ids, sums, counted, last, counts, cohorts)


def _count(lines: Lines, products: int) -> tuple[LineCounts, LastPurchases, CoPurchaseCounts]:
    counted = count_lines(lines)
    purchases = counted.purchases
    incidence = Incidence(
        customers=purchases.customers,
        products=purchases.products,
        customer_count=int(lines.customers.max()) + 1 if len(lines.customers) else 0,
        product_count=products,
    )
    return counted, last_purchases(counted), count_co_purchases(incidence)


async def co_purchases(
    repository: AssociationRepository,
    contact_id: uuid.UUID,
    money: ReportingCurrency,
    limit: int,
) -> list[CoPurchase]:
    """Per product the customer does not own (as of now), its strongest association with
    one they do (as of the last count): of those that can be among rank_offers' best
    `limit`."""
    owned = await repository.owned(contact_id)
    found = strongest_associations(owned)
    if not len(found.positions):
        return []
    owners = np.array([owned[i].buyers for i in found.owned], dtype=np.float64)
    margins = (await repository.margins(money))[found.positions]
    kept = shortlist(found.together / owners, margins, limit)
    strongest = Strongest(found.positions[kept], found.owned[kept], found.together[kept])
    offers = await repository.candidates(strongest.positions.tolist(), money)
    return [
        CoPurchase(
            owned=owned[index].product_id,
            owned_sku=owned[index].sku,
            owned_name=owned[index].name,
            offer=offers[position]["product_id"],
            offer_sku=offers[position]["sku"],
            offer_name=offers[position]["name"],
            together=int(together),
            owners=owned[index].buyers,
            buyers=offers[position]["buyers"],
            population=offers[position]["population"],
            margin_per_sale=offers[position]["margin_per_sale"],
        )
        for position, index, together in zip(
            strongest.positions.tolist(),
            strongest.owned.tolist(),
            strongest.together.tolist(),
            strict=True,
        )
    ]


async def prospects(
    repository: AssociationRepository, product_id: uuid.UUID, limit: int
) -> list[dict[str, Any]]:
    """Customers who have not bought the product (as of now), each through the product of
    theirs whose buyers most often bought it too (as of the last count), most likely first
    (ties by contact id); with their name and value. Only the buyers of the strongest
    associations are read, as many as the limit needs."""
    associations = strongest_first(await repository.associated(product_id))
    best: dict[uuid.UUID, int] = {}
    for batch in prospect_batches(associations):
        owned = [associations[i].owned for i in batch]
        for contact_id, position in await repository.owners_without(owned, product_id):
            best.setdefault(contact_id, batch.start + position)
        if len(best) >= limit:
            break
    chosen = sorted(best.items(), key=lambda found: (-associations[found[1]].confidence, found[0]))
    chosen = chosen[:limit]
    details = await repository.prospects(
        [contact_id for contact_id, _ in chosen], [associations[i].owned for _, i in chosen]
    )
    return [
        {
            **row,
            "owned_sku": associations[index].owned_sku,
            "together": associations[index].together,
            "owners": associations[index].owners,
            "confidence": associations[index].confidence,
        }
        for row, (_, index) in zip(details, chosen, strict=True)
    ]
