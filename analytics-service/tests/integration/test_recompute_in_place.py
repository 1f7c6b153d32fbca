"""The recompute's write of the scores (migration 0017): every customer row's new version
stays on its page (a HOT update, no index touched), the hourly rollups are left out of that
one statement only, and the rollups still equal a recount afterwards."""

from __future__ import annotations

import uuid

from fastapi import FastAPI
from sqlalchemy import text

from analytics.entrypoints.dependencies import unit_of_work
from analytics.service_layer.segmentation import SegmentationRules, recompute
from analytics.settings import AnalyticsSettings

from .conftest import Deliver
from .test_customer_value import contact, order
from .test_dashboard_rollups import rollup_mismatches

# The counts of this backend not yet flushed to the statistics: within one transaction the
# difference between two readings is what its statements did.
_UPDATES = text(
    "SELECT pg_stat_get_xact_tuples_updated('customers'::regclass) AS updated,"
    " pg_stat_get_xact_tuples_hot_updated('customers'::regclass) AS hot"
)
_SCORES_ONLY = text("SELECT current_setting('analytics.recompute_scores_only', true)")
_HOURS = text("SELECT measure, hour, customers FROM customer_hours ORDER BY 1, 2")


def _rules(app: FastAPI) -> SegmentationRules:
    settings = app.state.runtime.settings
    assert isinstance(settings, AnalyticsSettings)
    return SegmentationRules(settings.abc_thresholds(), settings.churn_model())


async def test_the_recompute_rewrites_every_customer_in_place_and_keeps_the_rollups(
    clean: None, deliver: Deliver, app: FastAPI, database_url: str
) -> None:
    # Rows as inserted, enough to fill many pages: at the old fillfactor (70) most of the
    # recompute's new versions found no room on their page.
    ids = [uuid.uuid4() for _ in range(300)]
    await deliver([contact(x) for x in ids])

    async with unit_of_work(app.state.runtime) as uow:
        before = (await uow.session.execute(_UPDATES)).one()
        changed = await recompute(uow, _rules(app))
        after = (await uow.session.execute(_UPDATES)).one()
        scores_only = await uow.session.scalar(_SCORES_ONLY)
        await uow.commit()

    assert changed == 300
    assert after.updated - before.updated == changed
    assert after.hot - before.hot == changed
    assert scores_only == "off"
    assert await rollup_mismatches(database_url) == []


async def test_with_the_setting_on_an_update_leaves_the_hours_alone(
    clean: None, deliver: Deliver, app: FastAPI
) -> None:
    # The guard is what makes the recompute's statement cheap: a statement that broke the
    # contract (moving a last order) would leave the hours behind, so only the recompute
    # sets it, and only around its write of the score columns.
    ids = [uuid.uuid4() for _ in range(3)]
    await deliver([contact(x) for x in ids])
    await deliver([order(x, "10.00", "4.00", days=1) for x in ids])
    runtime = app.state.runtime
    async with runtime.session_factory() as session, session.begin():
        hours = (await session.execute(_HOURS)).all()
        await session.execute(
            text("SELECT set_config('analytics.recompute_scores_only', 'on', true)")
        )
        await session.execute(
            text(
                "UPDATE customers"
                " SET last_order_at = last_order_at - interval '1 day', churn_risk = 0.5"
            )
        )
        assert (await session.execute(_HOURS)).all() == hours
        risks = await session.scalar(text("SELECT customers FROM customer_risks WHERE risk = 0.5"))
        assert risks == 3
        await session.execute(
            text("SELECT set_config('analytics.recompute_scores_only', 'off', true)")
        )
        await session.execute(
            text("UPDATE customers SET last_order_at = last_order_at - interval '1 day'")
        )
        assert (await session.execute(_HOURS)).all() != hours
        await session.rollback()
