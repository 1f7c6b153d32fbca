"""Rate limit arithmetic: fixed windows per caller, counted in a store every gateway
replica shares (adapters/rate_limit_store.py), so N replicas still allow the limit once."""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Hashable
from dataclasses import dataclass


@dataclass(frozen=True)
class Quota:
    """The answer for one request, with what the RateLimit-* headers say."""

    allowed: bool
    limit: int
    remaining: int
    reset_seconds: int  # until the window ends and the full quota is back
    retry_after_seconds: int  # until the next request would be allowed (0 when allowed)

    def raw_headers(self) -> list[tuple[bytes, bytes]]:
        """RateLimit-Limit, RateLimit-Remaining and RateLimit-Reset, as ASGI sends them."""
        return [
            (b"ratelimit-limit", b"%d" % self.limit),
            (b"ratelimit-remaining", b"%d" % self.remaining),
            (b"ratelimit-reset", b"%d" % self.reset_seconds),
        ]


@dataclass(frozen=True)
class FixedWindow:
    """`limit` requests per window of `window_seconds`, windows aligned on the epoch so that
    every gateway replica counts in the same one."""

    limit: int
    window_seconds: int

    def start_of(self, now: float) -> int:
        return int(now // self.window_seconds) * self.window_seconds

    def quota(self, count: int, now: float) -> Quota:
        """The answer for the request that made the window's count `count`."""
        reset = max(1, math.ceil(self.start_of(now) + self.window_seconds - now))
        allowed = count <= self.limit
        return Quota(
            allowed=allowed,
            limit=self.limit,
            remaining=max(0, self.limit - count),
            reset_seconds=reset,
            retry_after_seconds=0 if allowed else reset,
        )


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
