from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Annotated, Any, Protocol, TypeVar

from fastapi import Depends, Request

from gateway.service_layer.unit_of_work import GatewayUnitOfWork
from treue.pagination import Page, encode_cursor
from treue.problems import PROBLEM_MEDIA_TYPE, ProblemDetail


def unit_of_work(request: Request) -> GatewayUnitOfWork:
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


class Keyed(Protocol):
    created_at: datetime
    id: uuid.UUID


K = TypeVar("K", bound=Keyed)


def newest_first_page(rows: Sequence[K], limit: int) -> Page[K]:
    """A page of `limit` items fetched as limit + 1 rows (the extra one says there is more),
    continued after the last item's (created_at, id)."""
    items = list(rows[:limit])
    next_cursor = None
    if len(rows) > limit:
        next_cursor = encode_cursor([items[-1].created_at.isoformat(), str(items[-1].id)])
    return Page(items=items, next_cursor=next_cursor)
