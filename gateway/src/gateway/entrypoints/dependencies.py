from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends, Request

from gateway.service_layer.unit_of_work import GatewayUnitOfWork
from treue.problems import PROBLEM_MEDIA_TYPE, ProblemDetail


async def unit_of_work(request: Request) -> GatewayUnitOfWork:
    runtime = request.app.state.runtime
    return GatewayUnitOfWork(
        runtime.session_factory,
        runtime.tables,
        source=runtime.settings.service_name,
        topic=runtime.settings.topic("gateway"),
    )


UowDep = Annotated[GatewayUnitOfWork, Depends(unit_of_work)]


def problems(**descriptions: str) -> dict[int | str, dict[str, Any]]:
    """`responses=` entries for problem+json answers, e.g. problems(s404="no such user")."""
    return {
        int(key.lstrip("s")): {
            "model": ProblemDetail,
            "content": {PROBLEM_MEDIA_TYPE: {}},
            "description": f"{text} (problem+json)",
        }
        for key, text in descriptions.items()
    }


TOO_LARGE = "The body is over the size limit"
RATE_LIMITED = "Rate limited; see Retry-After"
ADMIN_ONLY = problems(s403="Only admins (or API keys with the admin scope)", s429=RATE_LIMITED)
