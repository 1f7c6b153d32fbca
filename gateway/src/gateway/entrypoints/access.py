"""Every /api/ request passes here: sign-in, the role policy, rate limits and the audit log.

One middleware rather than per-route dependencies, so a route added later is closed by
default and a 401 comes before any body is parsed or any service is contacted.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import structlog
from sqlalchemy.ext.asyncio import AsyncEngine
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from gateway.adapters.audit_queue import AuditQueue
from gateway.adapters.rate_limit_store import SharedRateLimiter
from gateway.adapters.throttle import FixedWindow, Quota
from gateway.domain.audit import AuditEntry, is_audited, resource_id_of
from gateway.domain.policy import Principal, action_for, permits
from gateway.entrypoints.authentication import Authenticator
from gateway.settings import GatewaySettings
from treue.problems import Forbidden, NotFound, Problem, problem_response

PUBLIC_SURVEY_PATHS = "/api/v1/public/"
PUBLIC_PATHS = ("/api/v1/auth/login", PUBLIC_SURVEY_PATHS, "/api/docs", "/api/v1/openapi.json")


class TooManyRequests(Problem):
    status, slug, title = 429, "rate-limited", "Too many requests"

    def __init__(self, detail: str, quota: Quota) -> None:
        super().__init__(detail, headers={"Retry-After": str(quota.retry_after_seconds)})


@dataclass
class RateLimits:
    user: SharedRateLimiter
    api_key: SharedRateLimiter
    login_account: SharedRateLimiter
    login_address: SharedRateLimiter
    public_address: SharedRateLimiter

    @classmethod
    def from_settings(cls, settings: GatewaySettings, engine: AsyncEngine) -> RateLimits:
        login = settings.login_limit_window_seconds
        return cls(
            user=SharedRateLimiter(
                engine, "user", FixedWindow(settings.rate_limit_user_per_minute, 60)
            ),
            api_key=SharedRateLimiter(
                engine, "api-key", FixedWindow(settings.rate_limit_api_key_per_minute, 60)
            ),
            login_account=SharedRateLimiter(
                engine, "login-account", FixedWindow(settings.login_limit_per_account, login)
            ),
            login_address=SharedRateLimiter(
                engine, "login-address", FixedWindow(settings.login_limit_per_address, login)
            ),
            public_address=SharedRateLimiter(
                engine, "public-address", FixedWindow(settings.rate_limit_public_per_minute, 60)
            ),
        )

    async def for_principal(self, principal: Principal) -> Quota:
        limiter = self.user if principal.kind == "user" else self.api_key
        return await limiter.hit(principal.id)


def remember_quota(request: Request, quota: Quota) -> None:
    """The RateLimit-* headers of this quota go on the response."""
    request.state.quota = quota


class AccessMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not scope["path"].startswith("/api/"):
            await self.app(scope, receive, send)
            return
        # A copy per request, as uvicorn makes it: some servers and test harnesses hand every
        # request the same lifespan dict, and a caller must never inherit another's principal.
        state = scope["state"] = dict(scope.get("state") or {})
        request = Request(scope, receive)
        audited = is_audited(scope["method"], scope["path"])
        received_at = datetime.now(UTC)
        answered: dict[str, Any] = {"status": 500, "location": None}

        async def send_with_quota(message: Message) -> None:
            if message["type"] == "http.response.start":
                quota: Quota | None = state.get("quota")
                if quota is not None:
                    # No service sets these: appended, not replaced.
                    message["headers"] = [*message.get("headers", ()), *quota.raw_headers()]
                answered["status"] = message["status"]
                if audited:
                    answered["location"] = header(message.get("headers", ()), b"location")
            await send(message)

        try:
            try:
                await self._admit(request)
            except Problem as problem:
                await problem_response(problem, request)(scope, receive, send_with_quota)
                return
            await self.app(scope, receive, send_with_quota)
        finally:
            if audited:
                audit: AuditQueue = scope["app"].state.audit
                audit.record(_entry(request, received_at, answered))

    async def _admit(self, request: Request) -> None:
        path: str = request.scope["path"]
        segments = path.split("/")
        # "/api/v1/public/../contacts" must not pass as public; upstream URLs would resolve it.
        if "." in segments or ".." in segments:
            raise NotFound("paths with . or .. segments are not served")
        state = request.app.state
        if path.startswith(PUBLIC_SURVEY_PATHS):
            address = request.client.host if request.client else "unknown"
            quota = await state.rate_limits.public_address.hit(address)
            remember_quota(request, quota)
            if not quota.allowed:
                raise TooManyRequests("too many survey answers from this address", quota)
            return
        if path.startswith(PUBLIC_PATHS):
            return
        authenticator: Authenticator = state.authenticator
        principal = await authenticator.principal(request)
        request.state.principal = principal
        limits: RateLimits = state.rate_limits
        quota = await limits.for_principal(principal)
        remember_quota(request, quota)
        if not quota.allowed:
            raise TooManyRequests("this caller's rate limit is used up", quota)
        if not permits(principal, request.method, path):
            who = f"a {principal.role}" if principal.kind == "user" else "this API key"
            action = action_for(request.method, path)
            raise Forbidden(f"{who} may not {action.value.replace('_', ' ')}")


def header(headers: Iterable[tuple[bytes, bytes]], name: bytes) -> str | None:
    """The first value of the header `name` (lower case) in raw ASGI headers."""
    for key, value in headers:
        if key.lower() == name:
            return value.decode("latin-1")
    return None


def _entry(request: Request, received_at: datetime, answered: dict[str, Any]) -> AuditEntry:
    principal: Principal | None = getattr(request.state, "principal", None)
    context = structlog.contextvars.get_contextvars()
    return AuditEntry(
        occurred_at=received_at,
        actor_kind=principal.kind if principal else "anonymous",
        actor_id=principal.id if principal else None,
        method=request.method,
        path=request.scope["path"][:2000],
        status_code=answered["status"],
        resource_id=resource_id_of(request.scope["path"], answered["location"]),
        client_address=request.client.host if request.client else None,
        user_agent=(request.headers.get("user-agent") or "")[:500] or None,
        request_id=context.get("request_id"),
    )
