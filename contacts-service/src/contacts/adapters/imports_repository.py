"""All SQL of bulk imports: their state, the uploaded file in chunks, the error report."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Sequence
from typing import Any

from sqlalchemy import ColumnElement, Row, Table, func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from contacts.adapters.orm import import_chunks, import_errors, imports
from contacts.domain.imports import ImportCounts, ImportState, RowError
from treue.jobs import JobRead
from treue.pagination import after


class ImportRepository:
    def __init__(self, session: AsyncSession, jobs: Table) -> None:
        self.session = session
        self.jobs = jobs

    async def create(
        self,
        job_id: uuid.UUID,
        kind: str,
        fmt: str,
        filename: str | None,
        created_by_name: str | None,
    ) -> None:
        await self.session.execute(
            insert(imports).values(
                job_id=job_id,
                kind=kind,
                format=fmt,
                filename=filename,
                size_bytes=0,
                created_by_name=created_by_name,
            )
        )

    async def add_chunk(self, job_id: uuid.UUID, seq: int, data: bytes) -> None:
        await self.session.execute(insert(import_chunks).values(job_id=job_id, seq=seq, data=data))

    async def set_size(self, job_id: uuid.UUID, size_bytes: int) -> None:
        await self.session.execute(
            update(imports).where(imports.c.job_id == job_id).values(size_bytes=size_bytes)
        )

    async def state(self, job_id: uuid.UUID) -> ImportState | None:
        row = (
            await self.session.execute(select(imports).where(imports.c.job_id == job_id))
        ).one_or_none()
        return None if row is None else _state(row)

    async def page(
        self, limit: int, position: list[Any] | None
    ) -> list[tuple[JobRead, ImportState]]:
        """Imports newest first, each with its job, from after `position` (the last one's
        `[created_at, job_id]`)."""
        keys: list[ColumnElement[Any]] = [imports.c.created_at, imports.c.job_id]
        job_columns = [column.label(f"job__{column.name}") for column in self.jobs.columns]
        query = (
            select(imports, *job_columns)
            .join(self.jobs, self.jobs.c.id == imports.c.job_id)
            .order_by(*(key.desc() for key in keys))
            .limit(limit)
        )
        if position is not None:
            query = query.where(after(keys, position, descending=True))
        rows = (await self.session.execute(query)).all()
        return [(_job(row), _state(row)) for row in rows]

    async def chunk(self, job_id: uuid.UUID, seq: int) -> bytes | None:
        """One chunk at a time, so reading the file never holds more than one."""
        query = select(import_chunks.c.data).where(
            import_chunks.c.job_id == job_id, import_chunks.c.seq == seq
        )
        data: bytes | None = await self.session.scalar(query)
        return data

    async def drop_file(self, job_id: uuid.UUID) -> None:
        """The file is not needed once imported; the error report stays."""
        await self.session.execute(import_chunks.delete().where(import_chunks.c.job_id == job_id))

    async def advance(self, job_id: uuid.UUID, records_done: int, counts: ImportCounts) -> None:
        await self.session.execute(
            update(imports)
            .where(imports.c.job_id == job_id)
            .values(
                records_done=records_done,
                created=counts.created,
                updated=counts.updated,
                skipped=counts.skipped,
                failed=counts.failed,
            )
        )

    async def add_errors(self, job_id: uuid.UUID, errors: Sequence[RowError]) -> None:
        if errors:
            rows = [
                {
                    "job_id": job_id,
                    "row": e.row,
                    "field": e.field,
                    "message": e.message,
                    "code": e.code,
                    "ctx": e.ctx,
                }
                for e in errors
            ]
            await self.session.execute(insert(import_errors), rows)

    async def count_errors(self, job_id: uuid.UUID) -> int:
        query = select(func.count()).where(import_errors.c.job_id == job_id)
        return int(await self.session.scalar(query) or 0)

    async def errors(self, job_id: uuid.UUID) -> AsyncIterator[RowError]:
        """Streamed from a server-side cursor, in row order, however many there are."""
        query = (
            select(
                import_errors.c.row,
                import_errors.c.field,
                import_errors.c.message,
                import_errors.c.code,
                import_errors.c.ctx,
            )
            .where(import_errors.c.job_id == job_id)
            .order_by(import_errors.c.row)
            .execution_options(yield_per=1000)
        )
        async for row in await self.session.stream(query):
            yield RowError(row.row, row.field, row.message, row.code, row.ctx)


def _state(row: Row[Any]) -> ImportState:
    counts = ImportCounts(row.created, row.updated, row.skipped, row.failed)
    return ImportState(
        row.kind,
        row.format,
        row.filename,
        row.size_bytes,
        row.records_done,
        counts,
        row.created_by_name,
    )


def _job(row: Row[Any]) -> JobRead:
    values = row._mapping
    return JobRead.model_validate({name: values[f"job__{name}"] for name in JobRead.model_fields})
