"""The custom field definitions, kept per process between writes.

Every contact write checks its `custom_fields` against all definitions, which an admin
changes rarely; reading them costs a statement per create. A trigger on `custom_fields`
(migration 0017) NOTIFYs on every change, however made, and each process LISTENs on its
own connection and forgets what it kept. How stale a process's definitions can be:
- changed through this process: not at all (the unit of work forgets them at its commit);
- changed elsewhere (another replica, SQL): until the NOTIFY arrives, a few milliseconds;
- while the listening connection is down: nothing is kept, every write reads them;
- if notifications stopped silently (a half-open connection): at most `MAX_AGE_SECONDS`.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import AsyncIterator, Callable, Mapping

import asyncpg
import structlog

from contacts.domain.custom_fields import CustomField
from treue.outbox import asyncpg_dsn

CHANNEL = "treue_custom_fields"
MAX_AGE_SECONDS = 30.0
RECONNECT_SECONDS = 1.0
log = structlog.get_logger("contacts.custom_fields")


class DefinitionsCache:
    """Keeps the definitions only while it hears about changes. A read that began before
    a change (its `generation` is older) is not kept: it may predate the change."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._definitions: Mapping[str, CustomField] | None = None
        self._kept_at = 0.0
        self._generation = 0
        self._listening = False

    @property
    def generation(self) -> int:
        return self._generation

    @property
    def hears_changes(self) -> bool:
        return self._listening

    def current(self) -> Mapping[str, CustomField] | None:
        if self._definitions is None or self._clock() - self._kept_at > MAX_AGE_SECONDS:
            return None
        return self._definitions

    def keep(self, generation: int, definitions: Mapping[str, CustomField]) -> None:
        if self.hears_changes and generation == self._generation:
            self._definitions = definitions
            self._kept_at = self._clock()

    def forget(self) -> None:
        self._generation += 1
        self._definitions = None

    @contextlib.asynccontextmanager
    async def listening(self, database_url: str) -> AsyncIterator[None]:
        """Listens in a task while the context is open (the service's lifespan)."""
        task = asyncio.create_task(self._listen(database_url), name="custom-field-changes")
        try:
            yield
        finally:
            task.cancel()
            await asyncio.gather(task, return_exceptions=True)

    async def _listen(self, database_url: str) -> None:
        while True:
            try:
                await self._listen_once(database_url)
            except asyncio.CancelledError:
                raise
            except Exception:
                # Nothing is kept meanwhile (see _listen_once), so a failure costs reads only.
                log.warning("not hearing of custom field changes; reconnecting", exc_info=True)
            await asyncio.sleep(RECONNECT_SECONDS)

    async def _listen_once(self, database_url: str) -> None:
        conn = await asyncpg.connect(asyncpg_dsn(database_url))
        lost = asyncio.Event()
        conn.add_termination_listener(lambda _: lost.set())
        try:
            await conn.add_listener(CHANNEL, lambda *_: self.forget())
            # What was read before this LISTEN may have missed a change.
            self.forget()
            self._listening = True
            await lost.wait()
        finally:
            self._listening = False
            self.forget()
            with contextlib.suppress(Exception):
                await asyncio.shield(conn.close(timeout=2))
