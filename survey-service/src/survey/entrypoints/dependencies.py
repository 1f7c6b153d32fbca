from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from survey.service_layer.policy import Policy
from survey.service_layer.unit_of_work import SurveyUnitOfWork
from survey.settings import SurveyRuntimeSettings, SurveySettings
from treue.problems import problem_responses as problem_responses
from treue.runtime_settings import current_settings
from treue.service import ServiceRuntime


async def unit_of_work(request: Request) -> SurveyUnitOfWork:
    return runtime_unit_of_work(request.app.state.runtime)


def runtime_unit_of_work(runtime: ServiceRuntime) -> SurveyUnitOfWork:
    """A unit of work outside a request: the background loops use it too."""
    return SurveyUnitOfWork(
        runtime.session_factory,
        runtime.tables,
        source=runtime.settings.service_name,
        topic=runtime.settings.topic("surveys"),
    )


# The rules in force (run-time settings over the environment's defaults).
RulesDep = Annotated[SurveyRuntimeSettings, Depends(current_settings)]


async def policy(request: Request, rules: RulesDep) -> Policy:
    settings: SurveySettings = request.app.state.settings
    return Policy.from_settings(settings).with_rules(rules)


async def settings(request: Request) -> SurveySettings:
    current: SurveySettings = request.app.state.settings
    return current


UowDep = Annotated[SurveyUnitOfWork, Depends(unit_of_work)]
PolicyDep = Annotated[Policy, Depends(policy)]
SettingsDep = Annotated[SurveySettings, Depends(settings)]
