"""Round robin over the replicas of each service, skipping the ones that failed lately.

A replica that refused a connection (or dropped one) is passed over for `down_seconds`;
it is tried again after that, and before giving up when every replica is marked down.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import httpx

IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE"})
# Nothing reached the replica: trying another one can never apply a request twice.
NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)


@dataclass
class Replica:
    url: str
    down_until: float = 0.0


class ReplicaSet:
    """The replicas of one service, handed out in turn."""

    def __init__(
        self,
        urls: Sequence[str],
        down_seconds: float,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if not urls:
            raise ValueError("a service needs at least one upstream URL")
        self.replicas = [Replica(url.rstrip("/")) for url in urls]
        self.down_seconds = down_seconds
        self.clock = clock
        self._next = 0

    def attempt_order(self) -> list[str]:
        """Every replica once: the next in turn first, the ones marked down last (the one
        back soonest first), so a request still gets a chance when all of them are marked."""
        count = len(self.replicas)
        start = self._next
        self._next = (start + 1) % count
        turn = [self.replicas[(start + i) % count] for i in range(count)]
        now = self.clock()
        up = [replica for replica in turn if replica.down_until <= now]
        down = sorted((r for r in turn if r.down_until > now), key=lambda r: r.down_until)
        return [replica.url for replica in up + down]

    def mark_down(self, url: str) -> None:
        self._find(url).down_until = self.clock() + self.down_seconds

    def mark_up(self, url: str) -> None:
        self._find(url).down_until = 0.0

    def is_down(self, url: str) -> bool:
        return self._find(url).down_until > self.clock()

    def _find(self, url: str) -> Replica:
        return next(replica for replica in self.replicas if replica.url == url)


def replica_sets(upstreams: dict[str, list[str]], down_seconds: float) -> dict[str, ReplicaSet]:
    return {service: ReplicaSet(urls, down_seconds) for service, urls in upstreams.items()}


def means_down(error: httpx.TransportError) -> bool:
    """Refused or dropped connections mean the replica is gone; a slow answer does not."""
    return isinstance(error, NOT_SENT) or not isinstance(error, httpx.TimeoutException)


def may_retry(
    error: httpx.TransportError, method: str, *, idempotency_key: bool, body_replayable: bool
) -> bool:
    """Whether the request may go to another replica after this error.

    Before anything was sent, always. After, the replica may have applied it: only requests
    that are idempotent by method or carry an Idempotency-Key (the service answers a replay
    with the first result) are repeated, and only when their body can be sent again.
    Timeouts are not retried: the slow replica may still be working on it.
    """
    if isinstance(error, NOT_SENT):
        return True
    if isinstance(error, httpx.TimeoutException) or not body_replayable:
        return False
    return method.upper() in IDEMPOTENT_METHODS or idempotency_key
