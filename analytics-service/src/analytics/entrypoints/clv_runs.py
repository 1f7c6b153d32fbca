"""HTTP routes of the CLV fit: start a run (a 202 job) and follow it."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from typing import Annotated

from fastapi import APIRouter, Body, Depends, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from analytics.domain.clv import TimeUnit
from analytics.entrypoints.job_routes import find_job, start_job
from analytics.service_layer.clv_fit import CLV_FIT, FitClv
from treue.identity import CurrentIdentity, current_identity
from treue.jobs import JobRead, JobStatus
from treue.problems import problem_responses

router = APIRouter(
    prefix="/api/v1/analytics/clv", tags=["analytics"], dependencies=[Depends(current_identity)]
)


class ClvRunCreate(BaseModel):
    as_of: date | None = Field(
        None, description="End of the calibration period (inclusive, UTC days); default today"
    )
    time_unit: TimeUnit = TimeUnit.WEEK
    horizon_months: int = Field(12, ge=1, le=120)
    monthly_discount_rate: float = Field(0.01, ge=0, le=1)


class ClvParams(BaseModel):
    r: float
    alpha: float
    a: float
    b: float
    p: float
    q: float
    gamma: float


class ClvRunRead(BaseModel):
    id: uuid.UUID
    status: JobStatus
    progress: float
    as_of: date
    time_unit: TimeUnit
    horizon_months: int
    monthly_discount_rate: float
    params: ClvParams | None
    log_likelihood: float | None
    customers: int | None
    repeat_buyers: int | None
    duration_s: float | None
    currency: str | None = Field(
        description="The reporting currency the run converted every order's value into"
    )
    left_out_orders: int | None = Field(
        description="Orders not fitted: their currency had no exchange rate"
    )
    left_out_customers: int | None = Field(
        description="Customers with no prediction: none of their orders had a rate"
    )
    left_out_currencies: list[str] | None = Field(description="The currencies left out")
    error: str | None
    created_at: datetime
    finished_at: datetime | None

    @classmethod
    def of(cls, job: JobRead) -> ClvRunRead:
        command = FitClv.from_params(job.params)
        result = job.result or {}
        duration = None
        if job.started_at is not None and job.finished_at is not None:
            duration = (job.finished_at - job.started_at).total_seconds()
        return cls(
            id=job.id,
            status=job.status,
            progress=job.progress,
            as_of=command.as_of,
            time_unit=command.time_unit,
            horizon_months=command.horizon_months,
            monthly_discount_rate=command.monthly_discount_rate,
            params=result.get("params"),
            log_likelihood=result.get("log_likelihood"),
            customers=result.get("customers"),
            repeat_buyers=result.get("repeat_buyers"),
            duration_s=result.get("duration_s", duration),
            currency=result.get("currency"),
            left_out_orders=result.get("left_out_orders"),
            left_out_customers=result.get("left_out_customers"),
            left_out_currencies=result.get("left_out_currencies"),
            error=job.error,
            created_at=job.created_at,
            finished_at=job.finished_at,
        )


@router.post("/runs", status_code=202, response_model=JobRead)
async def start_clv_run(
    request: Request,
    identity: CurrentIdentity,
    body: Annotated[ClvRunCreate, Body()],
) -> JSONResponse:
    """Fit BG/NBD and Gamma-Gamma on every customer's purchases up to `as_of` and write
    each customer's CLV, expected purchases in 12 months and P(alive); poll the run at
    the Location given. Spend is converted into the reporting currency of GET
    /api/v1/settings/analytics; orders in a currency without an exchange rate are left out
    of the fit (a customer with only such orders gets no prediction), and the run says how
    many. The shape parameters (r, a, b, p, q) are held within 1/1,000..1,000: on data that
    barely identify them (customers much alike) the fit stops at that limit, where it
    predicts as the limit model, rather than failing. A run fails, its reason in `error`,
    only when no fit is possible: fewer than two customers, no repeat purchase, spend too
    spread for Gamma-Gamma (q <= 1), or no convergence."""
    identity.require_scope("analytics:read")
    command = FitClv(
        as_of=body.as_of or datetime.now(UTC).date(),
        time_unit=body.time_unit,
        horizon_months=body.horizon_months,
        monthly_discount_rate=body.monthly_discount_rate,
    )
    return await start_job(
        request, CLV_FIT, command.as_params(), identity.subject, "/api/v1/analytics/clv/runs"
    )


@router.get("/runs/{run_id}", response_model=ClvRunRead, responses=problem_responses(404))
async def get_clv_run(run_id: uuid.UUID, request: Request, identity: CurrentIdentity) -> ClvRunRead:
    identity.require_scope("analytics:read")
    return ClvRunRead.of(await find_job(request, run_id, CLV_FIT, "CLV run"))
