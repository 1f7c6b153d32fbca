"""The scoring rules an admin changes at run time: where the routes and the jobs find them,
the recompute a change of the ABC or churn-risk threshold queues, and the CLV fit a change
of the reporting currency or of the exchange rates queues."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends
from sqlalchemy.ext.asyncio import AsyncSession

from analytics.adapters.orm import backbone, runtime_settings
from analytics.service_layer.clv_fit import CLV_FIT, scheduled_fit
from analytics.service_layer.segmentation import RECOMPUTE, SegmentationRules
from analytics.settings import AnalyticsRuntimeSettings, AnalyticsSettings
from treue.jobs import JobRead, JobRepository
from treue.runtime_settings import RuntimeSettingsStore, current_settings
from treue.runtime_settings_routes import runtime_settings_router

AnalyticsSettingsStore = RuntimeSettingsStore[AnalyticsRuntimeSettings]
# Fields whose change re-classifies customers: a recompute applies them to everyone.
RECLASSIFYING = ("abc_a_percent", "abc_b_percent", "churn_risk_threshold")
# Fields whose change alters every predicted CLV (its spend is converted at the fit).
REVALUING = ("reporting_currency", "exchange_rates")
APPLIES = (
    "A change of the ABC thresholds or the churn-risk threshold queues a recompute of every "
    "customer's class and score (its job is in `queued_jobs`; GET "
    "/api/v1/analytics/segments/recompute/{id} follows it); until it finishes the classes "
    "are those of the old thresholds. A change of the reporting currency or of the exchange "
    "rates queues a CLV fit instead (GET /api/v1/analytics/clv/runs/{id}), which converts "
    "every order's value and recomputes the classes; until it finishes the CLV figures stay "
    "in the currency of the last run and say which. Revenue, margins, offers and cohorts "
    "convert at each request, as does the margin threshold apply."
)


def settings_store(settings: AnalyticsSettings) -> AnalyticsSettingsStore:
    return RuntimeSettingsStore.of_service(AnalyticsRuntimeSettings, settings, runtime_settings)


def segmentation_rules(values: AnalyticsRuntimeSettings) -> SegmentationRules:
    return SegmentationRules(thresholds=values.abc_thresholds(), churn=values.churn_model())


RulesDep = Annotated[AnalyticsRuntimeSettings, Depends(current_settings)]


def _changed(
    before: AnalyticsRuntimeSettings, after: AnalyticsRuntimeSettings, names: tuple[str, ...]
) -> bool:
    return any(getattr(before, name) != getattr(after, name) for name in names)


def router(store: AnalyticsSettingsStore, settings: AnalyticsSettings) -> APIRouter:
    async def queue_work(
        session: AsyncSession, before: AnalyticsRuntimeSettings, after: AnalyticsRuntimeSettings
    ) -> list[JobRead]:
        """A CLV fit recomputes the classes too, so one job does for both kinds of change."""
        jobs = JobRepository(session, backbone)
        if _changed(before, after, REVALUING):
            fit = scheduled_fit(settings)
            return [await jobs.add(CLV_FIT, fit.as_params(), "settings")]
        if _changed(before, after, RECLASSIFYING):
            return [await jobs.add(RECOMPUTE, {}, "settings")]
        return []

    return runtime_settings_router("analytics", store, applies=APPLIES, after_change=queue_work)
