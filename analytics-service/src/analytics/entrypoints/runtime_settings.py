"""The scoring rules an admin changes at run time: where the routes and the jobs find them,
and the recompute a change of the ABC or churn-risk threshold queues."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends
from sqlalchemy.ext.asyncio import AsyncSession

from analytics.adapters.orm import backbone, runtime_settings
from analytics.service_layer.segmentation import RECOMPUTE, SegmentationRules
from analytics.settings import AnalyticsRuntimeSettings, AnalyticsSettings
from treue.jobs import JobRead, JobRepository
from treue.runtime_settings import RuntimeSettingsStore, current_settings
from treue.runtime_settings_routes import runtime_settings_router

AnalyticsSettingsStore = RuntimeSettingsStore[AnalyticsRuntimeSettings]
# Fields whose change re-classifies customers: a recompute applies them to everyone.
RECLASSIFYING = ("abc_a_percent", "abc_b_percent", "churn_risk_threshold")
APPLIES = (
    "A change of the ABC thresholds or the churn-risk threshold queues a recompute of every "
    "customer's class and score (its job is in `queued_jobs`; GET "
    "/api/v1/analytics/segments/recompute/{id} follows it); until it finishes the classes "
    "are those of the old thresholds. The margin threshold applies to the next request."
)


def settings_store(settings: AnalyticsSettings) -> AnalyticsSettingsStore:
    return RuntimeSettingsStore.of_service(AnalyticsRuntimeSettings, settings, runtime_settings)


def segmentation_rules(values: AnalyticsRuntimeSettings) -> SegmentationRules:
    return SegmentationRules(thresholds=values.abc_thresholds(), churn=values.churn_model())


RulesDep = Annotated[AnalyticsRuntimeSettings, Depends(current_settings)]


async def queue_recompute(
    session: AsyncSession, before: AnalyticsRuntimeSettings, after: AnalyticsRuntimeSettings
) -> list[JobRead]:
    if all(getattr(before, name) == getattr(after, name) for name in RECLASSIFYING):
        return []
    return [await JobRepository(session, backbone).add(RECOMPUTE, {}, "settings")]


def router(store: AnalyticsSettingsStore) -> APIRouter:
    return runtime_settings_router(
        "analytics", store, applies=APPLIES, after_change=queue_recompute
    )
