"""What the routes that start and follow analytics jobs share."""

from __future__ import annotations

import uuid
from typing import Any

from fastapi import Request
from fastapi.responses import JSONResponse

from treue.jobs import JobRead, JobRepository, accepted
from treue.problems import NotFound


async def start_job(
    request: Request, kind: str, params: dict[str, Any], created_by: str, location: str
) -> JSONResponse:
    """Queue the job and answer 202 with its Location (`location` + the job id)."""
    runtime = request.app.state.runtime
    async with runtime.session_factory() as session, session.begin():
        job = await JobRepository(session, runtime.tables).add(kind, params, created_by)
    return accepted(job, f"{location}/{job.id}")


async def find_job(request: Request, job_id: uuid.UUID, kind: str, what: str) -> JobRead:
    runtime = request.app.state.runtime
    async with runtime.session_factory() as session:
        job = await JobRepository(session, runtime.tables).get(job_id, kind)
    if job is None:
        raise NotFound(f"there is no {what} {job_id}")
    return job
