"""The routes of a service's run-time settings: read them (anyone who may read), replace or
reset them (admins). Every service mounts them at /api/v1/settings/{its public name}.

No `from __future__ import annotations` here: the body's type is the service's model, known
only when the router is built, and FastAPI must see the class itself.
"""

from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any, TypeVar

from fastapi import APIRouter, Request
from sqlalchemy.ext.asyncio import AsyncSession

from treue.identity import CurrentIdentity, Identity
from treue.jobs import JobRead
from treue.problems import PROBLEM_RESPONSES
from treue.runtime_settings import RuntimeSettings, RuntimeSettingsStore, SettingsRead

S = TypeVar("S", bound=RuntimeSettings)
# Runs in the transaction of the change, with the values before and after; returns the jobs
# it queued so the change takes effect (e.g. analytics' recompute).
AfterChange = Callable[[AsyncSession, S, S], Awaitable[list[JobRead]]]

ADMIN_WRITES: dict[int | str, dict[str, Any]] = {
    403: {**PROBLEM_RESPONSES[401], "description": "Not an admin (problem+json)"},
}


def runtime_settings_router(
    public_name: str,
    store: RuntimeSettingsStore[S],
    *,
    applies: str,
    after_change: AfterChange[S] | None = None,
) -> APIRouter:
    """GET, PUT and DELETE /api/v1/settings/{public_name}; `applies` tells, in the OpenAPI
    description, when a change takes effect."""
    router = APIRouter(prefix=f"/api/v1/settings/{public_name}", tags=["settings"])
    model = store.model
    fields = ", ".join(f"`{name}`" for name in model.model_fields)

    async def change(request: Request, identity: Identity, values: S | None) -> SettingsRead[S]:
        identity.require_admin(f"change the {public_name} settings")
        runtime = request.app.state.runtime
        by = identity.name or identity.subject
        async with runtime.session_factory() as session, session.begin():
            before = (await store.read(session)).values
            if values is None:
                await store.reset(session, by, datetime.now(UTC))
            else:
                await store.replace(session, values, by, datetime.now(UTC))
            state = await store.read(session)
            if after_change is not None and state.values != before:
                state.queued_jobs = await after_change(session, before, state.values)
        store.invalidate()
        return state

    @router.get(
        "",
        response_model=store.read_model,
        name=f"get_{public_name}_settings",
        summary=f"The {public_name} settings",
    )
    async def get_settings(request: Request, identity: CurrentIdentity) -> Any:
        """The values in force, the defaults from the environment and the last change."""
        runtime = request.app.state.runtime
        async with runtime.session_factory() as session:
            return await store.read(session)

    @router.put(
        "",
        response_model=store.read_model,
        name=f"replace_{public_name}_settings",
        summary=f"Change the {public_name} settings (admins)",
        description=f"Every field is sent ({fields}); each is stored and overrides its "
        f"default until the settings are reset. Invalid values answer 422 naming the field. "
        f"{applies}",
        responses=ADMIN_WRITES,
    )
    async def replace_settings(
        request: Request,
        identity: CurrentIdentity,
        body: model,  # type: ignore[valid-type]
    ) -> Any:
        return await change(request, identity, body)

    @router.delete(
        "",
        response_model=store.read_model,
        name=f"reset_{public_name}_settings",
        summary=f"Restore the default {public_name} settings (admins)",
        description=f"Forgets the stored values; the environment's defaults apply again. {applies}",
        responses=ADMIN_WRITES,
    )
    async def reset_settings(request: Request, identity: CurrentIdentity) -> Any:
        return await change(request, identity, None)

    return router
