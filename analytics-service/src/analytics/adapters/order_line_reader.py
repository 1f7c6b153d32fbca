"""The association run's read of every order line (migrations 0022, 0024): by binary COPY,
a share of the table's pages per connection, all of them in one snapshot, so the run's
reads go on in as many Postgres backends (cores) as it has connections and see the same
lines."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import numpy as np
from numpy.typing import NDArray
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from analytics.adapters.associations import tune_for_counting
from analytics.adapters.clv_repository import copy_rows_out_in_parts
from analytics.adapters.memory import release_freed_memory
from analytics.domain.associations import number_customers
from analytics.domain.line_sums import LineSums
from analytics.domain.margins import Lines

_REPEATABLE_READ = text("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
_EXPORT_SNAPSHOT = text("SELECT pg_export_snapshot()")
# What pg_export_snapshot() returns (hex numbers and dashes): checked before it goes into
# SET TRANSACTION SNAPSHOT, which takes no parameter.
_SNAPSHOT_ID = re.compile(r"[0-9A-F]+(-[0-9A-F]+)+")
_PAGES = text(
    "SELECT pg_relation_size('order_lines') / current_setting('block_size')::int8 AS pages"
)
# The currencies of the lines: one scan, which Postgres may share among parallel workers
# (a plain SELECT, unlike the run's statements that write).
_CURRENCIES = text("SELECT DISTINCT currency FROM order_lines ORDER BY currency")
# Past every page a table can have (block numbers are 32 bits).
_END = (0xFFFFFFFF, 0)

# The order lines on the pages [$4, $5): contact and order ids, the positions of the
# product in $1 and of the currency in $2 (the run's lists, from 1), when placed, whether
# the run counts the line for the margins (placed before the cutoff $3 and recorded before
# it: not an order recorded since), and its quantity in thousandths and revenue and cost in
# cents (numeric(12,3) and numeric(14,2): exact). Binary COPY, every field of fixed width,
# so numpy takes the rows as they come; grouped by numpy, not by Postgres.
_LINES = """
    SELECT l.contact_id, l.order_id, p.product::int4, c.currency::int4, l.ordered_at,
           l.ordered_at < $3 AND l.order_id NOT IN (
               SELECT order_id FROM orders WHERE recorded_at >= $3),
           (l.quantity * 1000)::int8, (l.revenue * 100)::int8, (l.cost * 100)::int8
    FROM order_lines AS l
    JOIN unnest($1::uuid[]) WITH ORDINALITY AS p(product_id, product)
      ON p.product_id = l.product_id
    JOIN unnest($2::text[]) WITH ORDINALITY AS c(code, currency) ON c.code = l.currency
    WHERE l.ctid >= $4::tid AND l.ctid < $5::tid
"""
_LINE_ROW = np.dtype(
    [
        ("fields", ">i2"),
        ("contact_len", ">i4"),
        ("contact_id", "V16"),
        ("order_len", ">i4"),
        ("order", ">u8"),
        ("order_rest", "V8"),
        ("product_len", ">i4"),
        ("product", ">i4"),
        ("currency_len", ">i4"),
        ("currency", ">i4"),
        ("at_len", ">i4"),
        # Microseconds since 2000-01-01 UTC.
        ("ordered_at", ">i8"),
        ("counted_len", ">i4"),
        ("counted", "?"),
        ("quantity_len", ">i4"),
        ("quantity", ">i8"),
        ("revenue_len", ">i4"),
        ("revenue", ">i8"),
        ("cost_len", ">i4"),
        ("cost", ">i8"),
    ]
)
_POSTGRES_EPOCH_US = 946_684_800_000_000


@dataclass(frozen=True)
class LinePart:
    """What the run keeps of a part of the lines (37 bytes a line of the COPY's 111): the
    lines' fields for numpy's counts, and the sums of their amounts."""

    fields: dict[str, NDArray[Any]]
    sums: LineSums


def _part_of(currencies: int) -> Callable[[NDArray[Any]], LinePart]:
    def take(rows: NDArray[Any]) -> LinePart:
        at = (rows["ordered_at"] + _POSTGRES_EPOCH_US).astype("datetime64[us]")
        fields = {
            "contact_id": rows["contact_id"].copy(),
            "order": rows["order"].astype(np.uint64),
            "product": (rows["product"] - 1).astype(np.int32),
            "currency": (rows["currency"] - 1).astype(np.int32),
            "month": at.astype("datetime64[M]").astype(np.int32),
            "counted": rows["counted"].copy(),
        }
        amounts = np.stack(
            [rows[name].astype(np.int64) for name in ("quantity", "revenue", "cost")]
        )
        sums = LineSums.of(
            currencies,
            fields["product"],
            fields["currency"],
            fields["month"],
            fields["counted"],
            amounts,
        )
        return LinePart(fields, sums)

    return take


def joined_lines(
    parts: list[LinePart], currencies: int
) -> tuple[Lines, NDArray[np.void], LineSums]:
    """Every part's lines as one (customers numbered), the contact id of each customer
    number, and the sums of all lines."""

    def joined(field: str, kind: Any) -> NDArray[Any]:
        """One field of every part as one array, the parts' copies let go of (and their
        memory handed back) as it goes: at 16.6M lines a field is up to 265 MB."""
        found = np.concatenate([part.fields.pop(field) for part in parts] or [np.zeros(0, kind)])
        release_freed_memory()
        return found

    sums = LineSums.joined(currencies, [part.sums for part in parts])
    contact_ids = joined("contact_id", "V16")
    customers, contacts = number_customers(contact_ids)
    first = np.zeros(contacts, dtype=np.intp)
    first[customers] = np.arange(len(customers))
    lines = Lines(
        customers=customers,
        orders=joined("order", np.uint64),
        products=joined("product", np.int32),
        currencies=joined("currency", np.int32),
        months=joined("month", np.int32),
        counted=joined("counted", np.bool_),
    )
    return lines, contact_ids[first], sums


def page_shares(pages: int, readers: int) -> list[tuple[int, int]]:
    """The pages [start, end) each of `readers` reads: equal shares of the `pages` the table
    has, the last one open-ended (pages added since hold no line of the snapshot, but cost
    nothing to ask for)."""
    starts = [pages * reader // readers for reader in range(readers)]
    return list(zip(starts, [*starts[1:], _END[0]], strict=True))


class OrderLineReader:
    """One connection's share of the run's read of the lines, in its own read-only
    transaction (never committed)."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def share_snapshot(self) -> str:
        """This transaction's snapshot (repeatable read: every statement sees it), for
        use_snapshot on the other connections."""
        await self.session.execute(_REPEATABLE_READ)
        await tune_for_counting(self.session)
        snapshot: str = await self.session.scalar(_EXPORT_SNAPSHOT)
        return snapshot

    async def use_snapshot(self, snapshot: str) -> None:
        """This transaction sees what the one that shared `snapshot` sees (it must still be
        open); before any other statement."""
        if not _SNAPSHOT_ID.fullmatch(snapshot):
            raise ValueError(f"not a snapshot id: {snapshot!r}")
        await self.session.execute(_REPEATABLE_READ)
        await self.session.execute(text(f"SET TRANSACTION SNAPSHOT '{snapshot}'"))
        await tune_for_counting(self.session)

    async def pages(self) -> int:
        pages: int = await self.session.scalar(_PAGES)
        return pages

    async def currencies(self) -> list[str]:
        """Every currency of the lines, in order."""
        return list((await self.session.scalars(_CURRENCIES)).all())

    async def lines(
        self,
        products: list[uuid.UUID],
        currencies: list[str],
        cutoff: datetime,
        pages: tuple[int, int],
    ) -> list[LinePart]:
        """The lines on `pages` of `products` and `currencies` (numbered by their positions
        there), a part of about 32 MB of the COPY at a time."""
        start, end = pages
        return await copy_rows_out_in_parts(
            self.session,
            _LINES,
            _LINE_ROW,
            _part_of(len(currencies)),
            products,
            currencies,
            cutoff,
            (start, 0),
            (end, 0),
        )
