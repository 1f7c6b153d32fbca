"""Settings an admin changes at run time, kept in each service's own database.

A service states its tunable rules once, as a typed model (a subclass of RuntimeSettings
whose validators say what a valid value is). The environment gives the defaults; a value
stored through the admin route overrides them, without a restart. Reads are cached for a
few seconds, so the code that applies a rule (an event handler, a job) does not query the
table each time, and every replica sees a change within `cache_seconds`.

The table is added to the service's metadata with `add_runtime_settings_table` and created
by the service's own migration with `treue.migration_ops.create_runtime_settings_table_v1`.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Generic, Self, TypeVar

import structlog
from fastapi import Request
from pydantic import BaseModel, ConfigDict, Field, ValidationError
from pydantic_settings import BaseSettings
from sqlalchemy import Column, DateTime, MetaData, String, Table, delete, insert, select
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from treue.jobs import JobRead

log = structlog.get_logger("treue.runtime_settings")
DEFAULT_CACHE_SECONDS = 5.0


class RuntimeSettings(BaseModel):
    """Base of each service's run-time settings: every field has a valid value, unknown
    fields are refused (a typo must not pass as a change)."""

    model_config = ConfigDict(extra="forbid")

    @classmethod
    def defaults_from(cls, settings: BaseSettings) -> Self:
        """The defaults: the service's environment settings of the same names."""
        return cls.model_validate({name: getattr(settings, name) for name in cls.model_fields})


S = TypeVar("S", bound=RuntimeSettings)


class SettingsRead(BaseModel, Generic[S]):
    """The settings in force, the defaults from the environment, and the last change."""

    values: S = Field(description="The values in force (stored values over the defaults)")
    defaults: S = Field(description="The defaults, from the service's environment variables")
    updated_at: datetime | None = Field(None, description="When an admin last changed them")
    updated_by: str | None = Field(None, description="Who changed them last")
    queued_jobs: list[JobRead] = Field(
        default_factory=list,
        description="Work this change queued so it takes effect (e.g. a recompute)",
    )


def add_runtime_settings_table(metadata: MetaData) -> Table:
    return Table(
        "runtime_settings",
        metadata,
        Column("key", String(100), primary_key=True),
        Column("value", JSONB, nullable=False),
        Column("updated_at", DateTime(timezone=True), nullable=False),
        Column("updated_by", String(200)),
    )


@dataclass(frozen=True)
class StoredSettings:
    values: dict[str, Any]
    updated_at: datetime | None
    updated_by: str | None


class RuntimeSettingsRepository:
    """One row per stored field; a field without a row has its default."""

    def __init__(self, session: AsyncSession, table: Table) -> None:
        self.session = session
        self.table = table

    async def stored(self) -> StoredSettings:
        rows = (await self.session.execute(select(self.table))).all()
        latest = max(rows, key=lambda row: row.updated_at, default=None)
        return StoredSettings(
            values={row.key: row.value for row in rows},
            updated_at=latest.updated_at if latest else None,
            updated_by=latest.updated_by if latest else None,
        )

    async def replace(self, values: dict[str, Any], by: str, now: datetime) -> None:
        await self.session.execute(delete(self.table))
        if values:
            await self.session.execute(
                insert(self.table),
                [
                    {"key": key, "value": value, "updated_at": now, "updated_by": by}
                    for key, value in values.items()
                ],
            )


class RuntimeSettingsStore(Generic[S]):
    """The service's settings of model `model`: the defaults, the stored overrides, a cache."""

    @classmethod
    def of_service(
        cls, model: type[S], settings: BaseSettings, table: Table
    ) -> RuntimeSettingsStore[S]:
        """The store of `model`, its defaults from the service's environment `settings`."""
        return cls(model, model.defaults_from(settings), table)

    def __init__(
        self,
        model: type[S],
        defaults: S,
        table: Table,
        cache_seconds: float = DEFAULT_CACHE_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.model = model
        self.defaults = defaults
        self.table = table
        self.cache_seconds = cache_seconds
        self._clock = clock
        self._cached: tuple[float, S] | None = None
        # The concrete response model, so OpenAPI and the JSON name every field of `model`.
        self.read_model: type[SettingsRead[S]] = SettingsRead[model]  # type: ignore[valid-type]

    async def current(self, session: AsyncSession) -> S:
        """The values in force, at most `cache_seconds` old."""
        now = self._clock()
        if self._cached is not None and now - self._cached[0] < self.cache_seconds:
            return self._cached[1]
        stored = await RuntimeSettingsRepository(session, self.table).stored()
        values = self.merge(stored.values)
        self._cached = (now, values)
        return values

    async def read(self, session: AsyncSession) -> SettingsRead[S]:
        stored = await RuntimeSettingsRepository(session, self.table).stored()
        return self.read_model(
            values=self.merge(stored.values),
            defaults=self.defaults,
            updated_at=stored.updated_at,
            updated_by=stored.updated_by,
        )

    async def replace(self, session: AsyncSession, values: S, by: str, now: datetime) -> None:
        """Store every field (the caller commits); the defaults no longer apply to them."""
        await RuntimeSettingsRepository(session, self.table).replace(
            values.model_dump(mode="json"), by, now
        )
        self.invalidate()

    async def reset(self, session: AsyncSession, by: str, now: datetime) -> None:
        """Forget the stored values (the caller commits): the defaults apply again."""
        await RuntimeSettingsRepository(session, self.table).replace({}, by, now)
        self.invalidate()

    async def current_in(self, session_factory: async_sessionmaker[AsyncSession]) -> S:
        """`current` for callers without a session of their own (routes, loops, jobs)."""
        async with session_factory() as session:
            return await self.current(session)

    def invalidate(self) -> None:
        self._cached = None

    def merge(self, stored: dict[str, Any]) -> S:
        """The defaults with the stored values over them. Stored fields the model no longer
        has are ignored; stored values a newer release considers invalid give way to the
        defaults (logged), so a release never fails on old settings."""
        known = {key: value for key, value in stored.items() if key in self.model.model_fields}
        try:
            return self.model.model_validate({**self.defaults.model_dump(), **known})
        except ValidationError as error:
            log.warning("stored settings are not valid; using the defaults", error=str(error))
            return self.defaults


async def current_settings(request: Request) -> Any:
    """A route dependency: the run-time settings of the service, as in force now. Each
    service annotates it with its own model, e.g.
    `Annotated[ContactsRuntimeSettings, Depends(current_settings)]`."""
    store: RuntimeSettingsStore[Any] = request.app.state.runtime_settings
    return await store.current_in(request.app.state.runtime.session_factory)
