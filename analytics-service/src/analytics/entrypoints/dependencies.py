from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from analytics.service_layer.unit_of_work import AnalyticsUnitOfWork
from treue.service import ServiceRuntime


def unit_of_work(runtime: ServiceRuntime) -> AnalyticsUnitOfWork:
    return AnalyticsUnitOfWork(
        runtime.session_factory,
        runtime.tables,
        source=runtime.settings.service_name,
        topic=runtime.settings.topic("analytics"),
    )


async def request_unit_of_work(request: Request) -> AnalyticsUnitOfWork:
    return unit_of_work(request.app.state.runtime)


UowDep = Annotated[AnalyticsUnitOfWork, Depends(request_unit_of_work)]
