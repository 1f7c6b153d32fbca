"""Rate limit counters in the gateway's database, shared by every replica.

One statement per request: an upsert that counts the request in the caller's current
window and returns the count, run outside a transaction (autocommit) on a connection that
is not pinged first, so one round trip.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncEngine

from gateway.adapters.throttle import FixedWindow, Quota

COUNT = text(
    "INSERT INTO rate_limit_counters (key, window_start, expires_at, count)"
    " VALUES (:key, :window_start, :expires_at, 1)"
    " ON CONFLICT (key, window_start)"
    " DO UPDATE SET count = rate_limit_counters.count + 1"
    " RETURNING count"
)
PRUNE = text("DELETE FROM rate_limit_counters WHERE expires_at < :now")
# Windows that ended are deleted by whichever replica makes the n-th request.
PRUNE_EVERY = 5_000


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
        self._hits = 0

    async def hit(self, caller: object) -> Quota:
        now = self.clock()
        start = self.window.start_of(now)
        values = {
            "key": f"{self.name}:{caller}"[:400],
            "window_start": start,
            "expires_at": start + self.window.window_seconds,
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
        return self.window.quota(count, now)

    async def _count(self, values: dict[str, object], now: int) -> int:
        async with self.engine.connect() as conn:
            conn = await conn.execution_options(isolation_level="AUTOCOMMIT")
            count: int = (await conn.execute(COUNT, values)).scalar_one()
            self._hits += 1
            if self._hits % PRUNE_EVERY == 0:
                await conn.execute(PRUNE, {"now": now})
        return count
