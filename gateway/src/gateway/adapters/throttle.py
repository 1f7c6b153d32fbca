"""In-process rate limiting: a token bucket per caller.

Each gateway process counts on its own. With several replicas the limit multiplies by
their number; a shared store (Postgres or Redis) would then hold the buckets.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Hashable
from dataclasses import dataclass

PRUNE_EVERY = 10_000


@dataclass(frozen=True)
class Quota:
    """The answer for one request, with what the RateLimit-* headers say."""

    allowed: bool
    limit: int
    remaining: int
    reset_seconds: int  # until the bucket is full again
    retry_after_seconds: int  # until the next request would be allowed (0 when allowed)

    def headers(self) -> dict[str, str]:
        return {
            "RateLimit-Limit": str(self.limit),
            "RateLimit-Remaining": str(self.remaining),
            "RateLimit-Reset": str(self.reset_seconds),
        }


class TokenBucketLimiter:
    """`limit` requests per `window_seconds`, refilled smoothly, bursts up to `limit`."""

    def __init__(
        self,
        limit: int,
        window_seconds: float,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.limit = limit
        self.rate = limit / window_seconds
        self.clock = clock
        self._buckets: dict[Hashable, tuple[float, float]] = {}
        self._calls = 0

    def hit(self, key: Hashable) -> Quota:
        now = self.clock()
        tokens, last = self._buckets.get(key, (float(self.limit), now))
        tokens = min(float(self.limit), tokens + (now - last) * self.rate)
        allowed = tokens >= 1.0
        if allowed:
            tokens -= 1.0
        self._buckets[key] = (tokens, now)
        self._prune(now)
        return Quota(
            allowed=allowed,
            limit=self.limit,
            remaining=int(tokens),
            reset_seconds=math.ceil((self.limit - tokens) / self.rate),
            retry_after_seconds=0 if allowed else max(1, math.ceil((1.0 - tokens) / self.rate)),
        )

    def _prune(self, now: float) -> None:
        """Forget callers whose bucket has refilled: they are indistinguishable from new ones."""
        self._calls += 1
        if self._calls % PRUNE_EVERY:
            return
        full_after = self.limit / self.rate
        self._buckets = {
            key: value for key, value in self._buckets.items() if now - value[1] < full_after
        }


class IntervalGate:
    """Says yes at most once per `interval_seconds` per key (e.g. recording last use)."""

    def __init__(self, interval_seconds: float, clock: Callable[[], float] = time.monotonic):
        self.interval = interval_seconds
        self.clock = clock
        self._last: dict[Hashable, float] = {}

    def due(self, key: Hashable) -> bool:
        now = self.clock()
        last = self._last.get(key)
        if last is not None and now - last < self.interval:
            return False
        self._last[key] = now
        return True
