"""Who an API key or access token belongs to, remembered for a few seconds per replica.

Looking the caller up costs a database round trip on every request; the answer changes only
when a key is revoked, a token logged out or a user changed. Such a change clears the cache
of every replica at once: the writing transaction sends a NOTIFY (SignInChanges) and each
replica LISTENs (SignInChangeListener). While a replica is not listening (its connection
dropped) it does not use the cache at all, and the TTL bounds what a lost notification
could leave behind.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Callable, Hashable

import asyncpg
import structlog

from gateway.domain.policy import Principal
from treue.outbox import asyncpg_dsn

log = structlog.get_logger("gateway.sign_in")
NOTIFY_CHANNEL = "treue_gateway_sign_in"
# Beyond this many callers the oldest entries go first (a dict keeps insertion order).
MAX_ENTRIES = 10_000


class PrincipalCache:
    """Principals by credential (a key's hash, a token's user and id) for `ttl` seconds.

    `generation` counts the clears: a lookup that started before a clear does not store
    its (possibly revoked) answer after it.
    """

    def __init__(self, ttl_seconds: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.ttl = ttl_seconds
        self.clock = clock
        self.listening = False
        self.generation = 0
        self._entries: dict[Hashable, tuple[float, Principal]] = {}

    @property
    def active(self) -> bool:
        return self.listening and self.ttl > 0

    def get(self, credential: Hashable) -> Principal | None:
        if not self.active:
            return None
        entry = self._entries.get(credential)
        if entry is None:
            return None
        if entry[0] <= self.clock():
            del self._entries[credential]
            return None
        return entry[1]

    def put(self, credential: Hashable, principal: Principal, generation: int) -> None:
        if not self.active or generation != self.generation:
            return
        if len(self._entries) >= MAX_ENTRIES:
            del self._entries[next(iter(self._entries))]
        self._entries[credential] = (self.clock() + self.ttl, principal)

    def clear(self) -> None:
        self.generation += 1
        self._entries.clear()


class SignInChangeListener:
    """LISTENs for sign-in changes on a connection of its own and clears `cache` on each.
    Reconnects in the background; the cache is off until it listens again."""

    def __init__(
        self, database_url: str, cache: PrincipalCache, retry_seconds: float = 1.0
    ) -> None:
        self.database_url = database_url
        self.cache = cache
        self.retry_seconds = retry_seconds
        self._connection: asyncpg.Connection | None = None
        self._task: asyncio.Task[None] | None = None
        self._lost = asyncio.Event()

    async def __aenter__(self) -> SignInChangeListener:
        await self._listen()
        self._task = asyncio.create_task(self._keep_listening(), name="sign-in-listener")
        return self

    async def __aexit__(self, *_: object) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        self._stop_using_cache()
        if self._connection is not None:
            with contextlib.suppress(Exception):
                await asyncio.shield(self._connection.close(timeout=2))

    async def _keep_listening(self) -> None:
        while True:
            await self._lost.wait()
            await asyncio.sleep(self.retry_seconds)
            await self._listen()

    async def _listen(self) -> None:
        self._lost.clear()
        try:
            connection = await asyncpg.connect(asyncpg_dsn(self.database_url))
            await connection.add_listener(NOTIFY_CHANNEL, lambda *_: self.cache.clear())
            connection.add_termination_listener(lambda _: self._on_lost())
        except (OSError, asyncpg.PostgresError) as error:
            log.warning("sign-in notifications unavailable; not caching", error=str(error))
            self._on_lost()
            return
        self._connection = connection
        # Changes made while nobody listened are unknown: start empty.
        self.cache.clear()
        self.cache.listening = True

    def _on_lost(self) -> None:
        self._stop_using_cache()
        self._lost.set()

    def _stop_using_cache(self) -> None:
        self.cache.listening = False
        self.cache.clear()
