"""HTTP routes of the co-purchase association runs: start one (a 202 job) and follow it."""

from __future__ import annotations

import uuid
from datetime import datetime

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from analytics.entrypoints.job_routes import find_job, start_job
from analytics.service_layer.associations import ASSOCIATIONS
from treue.identity import CurrentIdentity, current_identity
from treue.jobs import JobRead, JobStatus
from treue.problems import problem_responses

router = APIRouter(
    prefix="/api/v1/analytics/associations",
    tags=["analytics"],
    dependencies=[Depends(current_identity)],
)


class AssociationRunRead(BaseModel):
    id: uuid.UUID
    status: JobStatus
    progress: float
    customers: int | None = Field(description="Customers who bought anything (the population)")
    products: int | None = Field(description="Products sold")
    pairs: int | None = Field(description="Pairs of products bought together at least once")
    duration_s: float | None
    error: str | None
    created_at: datetime
    finished_at: datetime | None

    @classmethod
    def of(cls, job: JobRead) -> AssociationRunRead:
        result = job.result or {}
        return cls(
            **job.model_dump(
                include={"id", "status", "progress", "error", "created_at", "finished_at"}
            ),
            **{name: result.get(name) for name in ("customers", "products", "pairs", "duration_s")},
        )


@router.post("/runs", status_code=202, response_model=JobRead)
async def start_association_run(request: Request, identity: CurrentIdentity) -> JSONResponse:
    """Count again, from every order line, which products customers bought together: what
    next best offers and prospects rank by. It also runs every few hours
    (TREUE_ANALYTICS_ASSOCIATIONS_EVERY_HOURS); poll the run at the Location given."""
    identity.require_scope("analytics:read")
    return await start_job(
        request, ASSOCIATIONS, {}, identity.subject, "/api/v1/analytics/associations/runs"
    )


@router.get("/runs/{run_id}", response_model=AssociationRunRead, responses=problem_responses(404))
async def get_association_run(
    run_id: uuid.UUID, request: Request, identity: CurrentIdentity
) -> AssociationRunRead:
    identity.require_scope("analytics:read")
    return AssociationRunRead.of(await find_job(request, run_id, ASSOCIATIONS, "association run"))
