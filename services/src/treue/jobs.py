"""Long work as a 202 job: `{status, progress, error}` a client polls until it is done.

A route creates the job (with the business write, in one unit of work) and answers 202 with
`accepted(job)`; the service's JobRunner claims queued jobs with SKIP LOCKED, so any replica
may run one and no job runs twice at once. The runner beats a heartbeat while a handler works,
however long it goes without reporting progress; a job whose runner died (no heartbeat for
two minutes) is queued again, so handlers must be safe to restart, and the runner that lost
its job that way does not overwrite the new run's outcome.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

import structlog
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from sqlalchemy import func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from treue.tables import BackboneTables

log = structlog.get_logger("treue.jobs")


class JobFailed(Exception):
    """A job that could not do its work for a reason its message explains to the user (no
    data to fit, say): the job is recorded as failed with that message, and the log says
    it as a warning, without a traceback, because nothing in the code went wrong."""


STALE_AFTER_SECONDS = 120


class JobStatus(StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    SUCCEEDED = "succeeded"
    FAILED = "failed"


class JobRead(BaseModel):
    id: uuid.UUID
    kind: str
    status: JobStatus
    progress: float = Field(ge=0, le=1)
    params: dict[str, Any]
    result: dict[str, Any] | None
    error: str | None
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None


class JobRepository:
    def __init__(self, session: AsyncSession, tables: BackboneTables) -> None:
        self.session = session
        self.jobs = tables.jobs

    async def add(self, kind: str, params: dict[str, Any], created_by: str | None) -> JobRead:
        row = (
            await self.session.execute(
                insert(self.jobs)
                .values(id=uuid.uuid4(), kind=kind, params=params, created_by=created_by)
                .returning(self.jobs)
            )
        ).one()
        return JobRead.model_validate(row, from_attributes=True)

    async def get(self, job_id: uuid.UUID, kind: str) -> JobRead | None:
        query = select(self.jobs).where(self.jobs.c.id == job_id, self.jobs.c.kind == kind)
        row = (await self.session.execute(query)).one_or_none()
        return JobRead.model_validate(row, from_attributes=True) if row else None

    async def claim_next(self, kinds: list[str]) -> JobRead | None:
        candidate = (
            select(self.jobs.c.id)
            .where(self.jobs.c.status == JobStatus.QUEUED, self.jobs.c.kind.in_(kinds))
            .order_by(self.jobs.c.created_at)
            .limit(1)
            .with_for_update(skip_locked=True)
            .scalar_subquery()
        )
        row = (
            await self.session.execute(
                update(self.jobs)
                .where(self.jobs.c.id == candidate)
                .values(status=JobStatus.RUNNING, started_at=func.now(), heartbeat_at=func.now())
                .returning(self.jobs)
            )
        ).one_or_none()
        return JobRead.model_validate(row, from_attributes=True) if row else None

    async def beat(self, job_id: uuid.UUID) -> None:
        await self.session.execute(
            update(self.jobs)
            .where(self.jobs.c.id == job_id, self.jobs.c.status == JobStatus.RUNNING)
            .values(heartbeat_at=func.now())
        )

    async def report(self, job_id: uuid.UUID, progress: float) -> None:
        await self.session.execute(
            update(self.jobs)
            .where(self.jobs.c.id == job_id)
            .values(progress=min(max(progress, 0.0), 1.0), heartbeat_at=func.now())
        )

    async def finish(
        self, claimed: JobRead, result: dict[str, Any] | None, error: str | None
    ) -> bool:
        """Records the outcome, unless the job was requeued and claimed again since; says which."""
        values: dict[str, Any] = {"finished_at": func.now(), "result": result, "error": error}
        values["status"] = JobStatus.FAILED if error else JobStatus.SUCCEEDED
        if not error:
            values["progress"] = 1.0
        finished = await self.session.execute(
            update(self.jobs)
            .where(
                self.jobs.c.id == claimed.id,
                self.jobs.c.status == JobStatus.RUNNING,
                self.jobs.c.started_at == claimed.started_at,
            )
            .values(values)
            .returning(self.jobs.c.id)
        )
        return finished.first() is not None

    async def requeue_stale(self, stale_after_seconds: float = STALE_AFTER_SECONDS) -> int:
        result = await self.session.execute(
            update(self.jobs)
            .where(
                self.jobs.c.status == JobStatus.RUNNING,
                self.jobs.c.heartbeat_at
                < func.now() - func.make_interval(0, 0, 0, 0, 0, 0, stale_after_seconds),
            )
            .values(status=JobStatus.QUEUED)
            .returning(self.jobs.c.id)
        )
        return len(result.all())


def accepted(job: JobRead, location: str) -> JSONResponse:
    """The 202 answer: the job as it is now, and where to poll it."""
    return JSONResponse(
        job.model_dump(mode="json"), status_code=202, headers={"Location": location}
    )


@dataclass(frozen=True)
class JobContext:
    job: JobRead
    report: Callable[[float], Awaitable[None]]


JobHandler = Callable[[JobContext], Awaitable[dict[str, Any] | None]]


class JobRunner:
    """Runs the service's queued jobs, one at a time per replica, until cancelled."""

    def __init__(
        self,
        session_factory: async_sessionmaker[AsyncSession],
        tables: BackboneTables,
        handlers: dict[str, JobHandler],
        idle_poll_seconds: float = 1.0,
        stale_after_seconds: float = STALE_AFTER_SECONDS,
    ) -> None:
        self.session_factory = session_factory
        self.tables = tables
        self.handlers = handlers
        self.idle_poll_seconds = idle_poll_seconds
        self.stale_after_seconds = stale_after_seconds

    async def run(self) -> None:
        while True:
            try:
                if not await self.run_next():
                    await asyncio.sleep(self.idle_poll_seconds)
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("job runner failed; retrying")
                await asyncio.sleep(self.idle_poll_seconds)

    async def run_next(self) -> bool:
        async with self.session_factory() as session, session.begin():
            jobs = JobRepository(session, self.tables)
            await jobs.requeue_stale(self.stale_after_seconds)
            job = await jobs.claim_next(list(self.handlers))
        if job is None:
            return False
        log.info("job started", job_id=str(job.id), kind=job.kind)
        heartbeat = asyncio.create_task(self._beat(job.id), name=f"job-heartbeat-{job.id}")
        try:
            result = await self.handlers[job.kind](JobContext(job, self._reporter(job.id)))
            error = None
        except JobFailed as failure:
            log.warning("job failed", job_id=str(job.id), kind=job.kind, error=str(failure))
            result, error = None, str(failure)
        except Exception as failure:
            log.exception("job failed", job_id=str(job.id), kind=job.kind)
            result, error = None, f"{type(failure).__name__}: {failure}"
        finally:
            heartbeat.cancel()
        async with self.session_factory() as session, session.begin():
            recorded = await JobRepository(session, self.tables).finish(job, result, error)
        if not recorded:
            log.warning("job was taken over by another runner", job_id=str(job.id), kind=job.kind)
        return True

    async def _beat(self, job_id: uuid.UUID) -> None:
        while True:
            await asyncio.sleep(self.stale_after_seconds / 4)
            try:
                async with self.session_factory() as session, session.begin():
                    await JobRepository(session, self.tables).beat(job_id)
            except Exception:
                log.warning("job heartbeat failed; retrying", job_id=str(job_id), exc_info=True)

    def _reporter(self, job_id: uuid.UUID) -> Callable[[float], Awaitable[None]]:
        async def report(progress: float) -> None:
            async with self.session_factory() as session, session.begin():
                await JobRepository(session, self.tables).report(job_id, progress)

        return report
