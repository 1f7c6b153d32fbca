"""Two batches of an import in flight, each in its own transaction on its own connection:
while Postgres writes one batch, the event loop prepares the next and a second backend
writes it, so the job keeps both cores busy instead of taking turns.

Safe because of three rules, which keep the outcome that of writing the batches one after
the other:
- A batch starts only once the batch ahead of it holds its locks (its lookup of the
  contacts its rows name returned, `Turn.locked`). A contact both batches name is then
  locked by the first; the second waits for its commit and finds it as the first left it.
- Batches that name a common key (an e-mail in lower case as Postgres lowers it for the
  unique index, an external id; see `BatchKeys`) do not overlap at all: the second starts
  after the first committed. So neither ever waits on the other's uncommitted unique
  index entries, and no wait goes unseen by Postgres.
- A batch commits only after the one ahead (`Turn.totals_before`), so the import's
  progress (`records_done`, the counts) never covers a batch that is not committed.

The events of one contact keep their order: the second batch writes them only once it
holds the contact's lock, after the first committed. Outbox ids of two batches in flight
may interleave; the relay sends every unsent row in id order whenever it was committed.

A batch that loses a race with another writer (Conflict) is tried once more, as before;
the batch behind it, which may hold locks the second try needs, is rolled back first and
tried again after it.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable, Coroutine, Hashable
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from contacts.domain.imports import ImportCounts
from treue.problems import Conflict

B = TypeVar("B")
# The keys a batch's rows name; None: it must not overlap with any other batch.
BatchKeys = frozenset[Hashable] | None


@dataclass
class Turn:
    """A batch's place behind the batch ahead of it, if any."""

    totals_before: Callable[[], Awaitable[ImportCounts]]
    # Set by the writer once the batch's lookup returned: the batch behind may start.
    locked: asyncio.Event = field(default_factory=asyncio.Event)


@dataclass
class _Flight(Generic[B]):
    batch: B
    keys: BatchKeys
    turn: Turn
    task: asyncio.Task[ImportCounts]
    attempt: int


class _Abandoned(Exception):
    """The batch ahead failed: this one rolls back, to be tried again after it."""


class BatchWriters(Generic[B]):
    """`add` each batch in file order, then `finish`; `close` in any case. `write(batch,
    turn)` writes and commits one batch and answers the totals after it."""

    def __init__(
        self,
        write: Callable[[B, Turn], Coroutine[Any, Any, ImportCounts]],
        keys: Callable[[B], Awaitable[BatchKeys]],
        totals: ImportCounts,
        settled: Callable[[B], Awaitable[None]],
    ) -> None:
        self._write = write
        self._keys = keys
        self._totals = totals
        self._settled = settled
        self._ahead: _Flight[B] | None = None

    async def add(self, batch: B) -> None:
        keys = await self._keys(batch)
        ahead = self._ahead
        if ahead is not None and not _disjoint(ahead.keys, keys):
            await self._settle()
            ahead = None
        if ahead is not None:
            await _locked_or_done(ahead)
        self._ahead = self._start(batch, keys, ahead, attempt=1)
        if ahead is not None:
            await self._settle(ahead)

    async def finish(self) -> ImportCounts:
        await self._settle()
        return self._totals

    async def close(self) -> None:
        """Rolls back what is still in flight (the job stopped early)."""
        if self._ahead is not None:
            self._ahead.task.cancel()
            await _finished(self._ahead.task)
            self._ahead = None

    def _start(
        self, batch: B, keys: BatchKeys, ahead: _Flight[B] | None, attempt: int
    ) -> _Flight[B]:
        if ahead is None:
            totals = self._totals

            async def totals_before() -> ImportCounts:
                return totals
        else:
            ahead_task = ahead.task

            async def totals_before() -> ImportCounts:
                try:
                    # Shielded: a batch rolled back must not cancel the one ahead.
                    return await asyncio.shield(ahead_task)
                except Exception as error:
                    raise _Abandoned from error

        turn = Turn(totals_before)
        task = asyncio.create_task(self._write(batch, turn))
        return _Flight(batch, keys, turn, task, attempt)

    async def _settle(self, flight: _Flight[B] | None = None) -> None:
        """Waits until `flight` (else the one batch in flight) committed; then the batch
        behind it, if any, is `self._ahead`."""
        if flight is None:
            if self._ahead is None:
                return
            flight, self._ahead = self._ahead, None
        behind = self._ahead
        try:
            totals = await _retried(flight, behind, self._start)
        except asyncio.CancelledError:
            await self.close()
            raise
        except Exception:
            # The batch behind rolls back by itself (`_Abandoned`).
            if behind is not None:
                await _finished(behind.task)
            self._ahead = None
            raise
        self._totals = totals
        if behind is not None and behind.task.done() and _abandoned(behind.task):
            self._ahead = self._start(behind.batch, behind.keys, None, attempt=behind.attempt)
        await self._settled(flight.batch)


async def _retried(
    flight: _Flight[B],
    behind: _Flight[B] | None,
    start: Callable[[B, BatchKeys, _Flight[B] | None, int], _Flight[B]],
) -> ImportCounts:
    while True:
        try:
            return await flight.task
        except Conflict:
            if flight.attempt == 2:
                raise
            if behind is not None:
                await _finished(behind.task)
            flight = start(flight.batch, flight.keys, None, flight.attempt + 1)


def _disjoint(first: BatchKeys, second: BatchKeys) -> bool:
    return first is not None and second is not None and first.isdisjoint(second)


async def _locked_or_done(flight: _Flight[B]) -> None:
    locked = asyncio.ensure_future(flight.turn.locked.wait())
    try:
        await asyncio.wait([locked, flight.task], return_when=asyncio.FIRST_COMPLETED)
    finally:
        locked.cancel()


async def _finished(task: asyncio.Task[ImportCounts]) -> None:
    with contextlib.suppress(BaseException):
        await task


def _abandoned(task: asyncio.Task[ImportCounts]) -> bool:
    return not task.cancelled() and isinstance(task.exception(), _Abandoned)
