"""HTTP routes of segmentation: the ABC split and the on-demand recompute."""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from analytics.adapters.repository import CustomerRepository
from analytics.domain.segments import ABC_CLASSES
from analytics.entrypoints.job_routes import find_job, start_job
from analytics.service_layer.segmentation import RECOMPUTE
from analytics.settings import AnalyticsSettings
from treue.identity import CurrentIdentity, current_identity
from treue.jobs import JobRead

router = APIRouter(
    prefix="/api/v1/analytics/segments",
    tags=["analytics"],
    dependencies=[Depends(current_identity)],
)


class AbcClass(BaseModel):
    class_: Annotated[str, Field(alias="class", serialization_alias="class")]
    customers: int
    value: Decimal = Field(description="Sum of the class's customer values (negatives as 0)")
    value_share: float = Field(description="The class's share of the total value, 0..1")

    model_config = {"populate_by_name": True}


class AbcSplit(BaseModel):
    thresholds: dict[str, Decimal] = Field(
        description="Percent of the total value per class, e.g. {A: 80, B: 15, C: 5}"
    )
    classes: list[AbcClass]

    model_config = {
        "json_schema_extra": {
            "examples": [
                {
                    "thresholds": {"A": "80", "B": "15", "C": "5"},
                    "classes": [
                        {"class": "A", "customers": 212, "value": "801234.50", "value_share": 0.8},
                        {"class": "B", "customers": 301, "value": "150112.00", "value_share": 0.15},
                        {"class": "C", "customers": 987, "value": "49876.10", "value_share": 0.05},
                    ],
                }
            ]
        }
    }


@router.get("/abc", response_model=AbcSplit, response_model_by_alias=True)
async def get_abc_split(request: Request, identity: CurrentIdentity) -> AbcSplit:
    """The ABC split as of the last recompute. A customer's value is the predicted CLV of
    the last CLV run or, where that run made no prediction (no order up to its as_of), the
    historical net value; customers are ranked by value and A holds those making the first
    A percent of the total value, B the next B percent, C the rest (and everyone whose
    value is zero or negative). The classes are recomputed after each CLV run and by
    POST /segments/recompute."""
    identity.require_scope("analytics:read")
    runtime = request.app.state.runtime
    settings: AnalyticsSettings = runtime.settings
    async with runtime.session_factory() as session:
        rows = await CustomerRepository(session).abc_summary()
    summary = {row.abc_class: row for row in rows}
    total = sum((s.value for s in summary.values()), Decimal(0))
    classes = []
    for name in ABC_CLASSES:
        found = summary.get(name)
        value = found.value if found else Decimal(0)
        classes.append(
            AbcClass(
                class_=name,
                customers=found.customers if found else 0,
                value=value,
                value_share=float(value / total) if total > 0 else 0.0,
            )
        )
    return AbcSplit(thresholds=settings.abc_thresholds().as_dict(), classes=classes)


@router.post("/recompute", status_code=202, response_model=JobRead)
async def start_recompute(request: Request, identity: CurrentIdentity) -> JSONResponse:
    """Recompute every customer's ABC class and RFM score now (it also runs after each CLV
    run); each class change is a `segment.changed` event. Poll the job at the Location."""
    identity.require_scope("analytics:read")
    return await start_job(
        request, RECOMPUTE, {}, identity.subject, "/api/v1/analytics/segments/recompute"
    )


@router.get("/recompute/{job_id}", response_model=JobRead)
async def get_recompute(job_id: uuid.UUID, request: Request, identity: CurrentIdentity) -> JobRead:
    identity.require_scope("analytics:read")
    return await find_job(request, job_id, RECOMPUTE, "recompute")
