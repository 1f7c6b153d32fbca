"""The segmentation recompute: every customer's ABC class, RFM score and churn risk from the
read model, then every saved segment's members; after each CLV run (in its transaction) and
on demand (as a job)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime

from analytics.domain.churn import ChurnModel
from analytics.domain.segments import AbcThresholds
from analytics.service_layer.saved_segments import evaluate_segments
from analytics.service_layer.unit_of_work import AnalyticsUnitOfWork

RECOMPUTE = "segments-recompute"


@dataclass(frozen=True)
class SegmentationRules:
    thresholds: AbcThresholds
    churn: ChurnModel


async def recompute(
    uow: AnalyticsUnitOfWork, rules: SegmentationRules, clv_run_id: uuid.UUID | None = None
) -> int:
    """Within the caller's unit of work; the caller commits. With `clv_run_id`, the
    predictions that run staged in this unit of work become the customers'. Returns how
    many customers' scores changed."""
    changed = await uow.segmentation.rescore(
        rules.thresholds, rules.churn.parameters(datetime.now(UTC)), clv_run_id
    )
    await evaluate_segments(uow.segments)
    return changed
