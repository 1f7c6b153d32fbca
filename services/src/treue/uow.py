"""The unit of work: the one place that commits, writing the business change and its events
(into the outbox) in one transaction."""

from __future__ import annotations

from types import TracebackType
from typing import Self

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from treue.events.contracts import EventContract
from treue.idempotency import mark_committed
from treue.outbox import OutboxWriter
from treue.problems import ALREADY_USED, Conflict, FieldError
from treue.tables import BackboneTables


class UnitOfWork:
    """Subclasses open their repositories in `open_repositories` and name the field behind
    each unique constraint, so a lost race on a unique value answers 409, not 500."""

    session: AsyncSession
    unique_constraint_fields: dict[str, str] = {}

    def __init__(
        self,
        session_factory: async_sessionmaker[AsyncSession],
        tables: BackboneTables,
        source: str,
        topic: str,
    ) -> None:
        self._session_factory = session_factory
        self._tables = tables
        self._source = source
        self._topic = topic

    async def __aenter__(self) -> Self:
        self.session = self._session_factory()
        self._outbox = OutboxWriter(self._tables, self._source)
        self.open_repositories()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        # close() rolls back what was not committed and keeps the loaded objects readable
        # (a rollback() would expire them, and the routes still render them).
        await self.session.close()

    def open_repositories(self) -> None:
        """Hook: bind the service's repositories to `self.session`."""

    def publish(self, contract: EventContract, subject: str | None) -> None:
        """Queue an event; it is written to the outbox by `commit`, with the change."""
        self._outbox.add(contract, subject, self._topic)

    async def commit(self) -> None:
        try:
            await self._outbox.flush(self.session)
            await mark_committed(self.session, self._tables)
            await self.session.commit()
        except IntegrityError as error:
            await self.session.rollback()
            field = self.unique_constraint_fields.get(_constraint_name(error))
            if field is None:
                raise
            raise Conflict(
                f"another record has the same {field}",
                errors=[FieldError(field=field, message="already used", code=ALREADY_USED)],
            ) from error

    async def rollback(self) -> None:
        self._outbox.pending.clear()
        await self.session.rollback()


def _constraint_name(error: IntegrityError) -> str:
    # SQLAlchemy wraps asyncpg's exception, which carries the constraint's name.
    for candidate in (error.orig, getattr(error.orig, "__cause__", None)):
        name = getattr(candidate, "constraint_name", None)
        if name:
            return str(name)
    return ""
