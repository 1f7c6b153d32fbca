"""Rate limit counters in the gateway's database, shared by every replica.

A replica takes a caller's requests from the shared count in blocks: an upsert adds the
block's size to the caller's count in the current window and returns the new count, and the
replica hands out the block's numbers to that caller's next requests without asking again.
A block is one request at first and doubles with each block in the window, up to a
hundredth of the limit, so a caller who sends a few requests is counted exactly (limits
under 200 always are), and a busy one costs a round trip per hundredth of its limit.

The limit is never exceeded across replicas: every number is handed out once. What is
given up: a block a replica reserved but did not use before the window ended counts
against the caller, so with N replicas a caller can be refused up to N - 1 blocks (1 % of
the limit each) before reaching the limit, and RateLimit-Remaining is what this replica
knows. Once a replica saw the count over the limit it refuses the caller's requests until
the window ends without asking the database.

Each upsert runs outside a transaction (autocommit) on a connection that is not pinged
first, so one round trip.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncEngine

from gateway.adapters.throttle import FixedWindow, Quota

COUNT = text(
    "INSERT INTO rate_limit_counters (key, window_start, expires_at, count)"
    " VALUES (:key, :window_start, :expires_at, :size)"
    " ON CONFLICT (key, window_start)"
    " DO UPDATE SET count = rate_limit_counters.count + :size"
    " RETURNING count"
)
PRUNE = text("DELETE FROM rate_limit_counters WHERE expires_at < :now")
# Windows that ended are deleted by whichever replica makes the n-th request.
PRUNE_EVERY = 5_000
# A block is at most this share of the limit (see the module's docstring).
BLOCK_SHARE_OF_LIMIT = 100
# Blocks of ended windows are forgotten when there are more than this many callers.
MAX_BLOCKS = 10_000


@dataclass
class Block:
    """Numbers first..last of a caller's count in one window, reserved by this replica."""

    window_start: int
    first: int
    last: int
    size: int
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)

    def take(self) -> int | None:
        if self.first > self.last:
            return None
        number = self.first
        self.first += 1
        return number


class SharedRateLimiter:
    """A fixed-window limit for one kind of caller (users, API keys, login addresses…)."""

    def __init__(
        self,
        engine: AsyncEngine,
        name: str,
        window: FixedWindow,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.engine = engine
        self.name = name
        self.window = window
        self.clock = clock
        self.max_block = max(1, window.limit // BLOCK_SHARE_OF_LIMIT)
        self._blocks: dict[str, Block] = {}
        self._hits = 0

    async def hit(self, caller: object) -> Quota:
        now = self.clock()
        start = self.window.start_of(now)
        key = f"{self.name}:{caller}"[:400]
        block = self._blocks.get(key)
        if block is None or block.window_start != start:
            block = self._new_block(key, start)
        while (number := block.take()) is None:
            if block.last >= self.window.limit:
                # The caller's count is over the limit on every replica until the window ends.
                return self.window.quota(self.window.limit + 1, now)
            async with block.lock:
                if block.first > block.last and block.window_start == start:
                    await self._reserve(key, block, now)
        return self.window.quota(number, now)

    def _new_block(self, key: str, start: int) -> Block:
        if len(self._blocks) >= MAX_BLOCKS:
            self._blocks = {k: b for k, b in self._blocks.items() if b.window_start >= start}
        block = Block(window_start=start, first=1, last=0, size=0)
        self._blocks[key] = block
        return block

    async def _reserve(self, key: str, block: Block, now: float) -> None:
        size = min(max(1, block.size * 2), self.max_block)
        values = {
            "key": key,
            "window_start": block.window_start,
            "expires_at": block.window_start + self.window.window_seconds,
            "size": size,
        }
        for attempt in (1, 2):
            try:
                count = await self._count(values, int(now))
                break
            except DBAPIError as error:
                # Pooled connections are not pinged first; one Postgres dropped (a restart,
                # a failover) is discarded now, and the next try gets a fresh one.
                if attempt == 2 or not error.connection_invalidated:
                    raise
        block.first, block.last, block.size = count - size + 1, count, size

    async def _count(self, values: dict[str, object], now: int) -> int:
        async with self.engine.connect() as conn:
            conn = await conn.execution_options(isolation_level="AUTOCOMMIT")
            count: int = (await conn.execute(COUNT, values)).scalar_one()
            self._hits += 1
            if self._hits % PRUNE_EVERY == 0:
                await conn.execute(PRUNE, {"now": now})
        return count
