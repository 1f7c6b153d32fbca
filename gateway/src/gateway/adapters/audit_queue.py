"""Audit entries leave the request path through a small in-process queue, written in batches.

A request only enqueues its entry; one task inserts what has gathered. An entry that
cannot be written is logged in full at error level, so it is never lost silently.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections import deque
from dataclasses import asdict

import structlog
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from gateway.adapters.repository import AuditRepository
from gateway.domain.audit import AuditEntry

log = structlog.get_logger("gateway.audit")


class AuditQueue:
    def __init__(
        self,
        session_factory: async_sessionmaker[AsyncSession],
        batch_size: int = 500,
        flush_seconds: float = 0.2,
        max_pending: int = 50_000,
    ) -> None:
        self.session_factory = session_factory
        self.batch_size = batch_size
        self.flush_seconds = flush_seconds
        self.max_pending = max_pending
        self._pending: deque[AuditEntry] = deque()
        self._arrived = asyncio.Event()
        self._closing = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    def record(self, entry: AuditEntry) -> None:
        if len(self._pending) >= self.max_pending:
            log.error("audit queue full; entry not stored", entry=_loggable(entry))
            return
        self._pending.append(entry)
        self._arrived.set()

    async def __aenter__(self) -> AuditQueue:
        self._task = asyncio.create_task(self._run(), name="audit-writer")
        return self

    async def __aexit__(self, *_: object) -> None:
        # Not cancelled: a cancelled INSERT would drop the batch it was writing.
        self._closing.set()
        self._arrived.set()
        if self._task is not None:
            await self._task
        await self.flush()

    async def _run(self) -> None:
        while not self._closing.is_set():
            await self._arrived.wait()
            # A short pause lets a burst gather into one INSERT; closing cuts it short.
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._closing.wait(), self.flush_seconds)
            self._arrived.clear()
            await self.flush()

    async def flush(self) -> None:
        while self._pending:
            size = min(self.batch_size, len(self._pending))
            await self._write([self._pending.popleft() for _ in range(size)])

    async def _write(self, batch: list[AuditEntry]) -> None:
        try:
            async with self.session_factory() as session, session.begin():
                await AuditRepository(session).add_all(batch)
        except Exception:
            log.exception("audit entries could not be stored", count=len(batch))
            for entry in batch:
                log.error("audit entry not stored", entry=_loggable(entry))


def _loggable(entry: AuditEntry) -> dict[str, object]:
    return {key: str(value) if value is not None else None for key, value in asdict(entry).items()}
