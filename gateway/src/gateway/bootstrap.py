"""What the gateway sets up when it starts: the first admin, its HTTP client, the sign-in
(with its cache and the listener that clears it), rate limits, the identity tokens and the
audit writer."""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime

import httpx
import structlog
from fastapi import FastAPI
from sqlalchemy.ext.asyncio import create_async_engine

from gateway.adapters.audit_queue import AuditQueue
from gateway.adapters.internal_tokens import InternalTokens
from gateway.adapters.repository import UserRepository
from gateway.adapters.security import hash_password
from gateway.adapters.sign_in_cache import SignInChangeListener
from gateway.adapters.upstream_transport import AiohttpTransport, UpstreamTimeout
from gateway.adapters.upstreams import replica_sets
from gateway.domain.users import Role, User
from gateway.entrypoints.access import RateLimits
from gateway.entrypoints.authentication import Authenticator
from gateway.settings import GatewaySettings
from treue.service import ServiceRuntime

log = structlog.get_logger("gateway")


@contextlib.asynccontextmanager
async def gateway_resources(app: FastAPI, runtime: ServiceRuntime) -> AsyncIterator[None]:
    settings: GatewaySettings = app.state.settings
    await create_first_admin(runtime, settings)
    authenticator = Authenticator(settings, runtime.session_factory)
    app.state.authenticator = authenticator
    app.state.internal_tokens = InternalTokens(settings.internal_token_secret)
    # Its own small pool without the pre-ping: a rate-limited request costs one round trip.
    counters = create_async_engine(
        settings.database_url, pool_size=5, max_overflow=5, pool_pre_ping=False
    )
    app.state.rate_limits = RateLimits.from_settings(settings, counters)
    app.state.upstreams = replica_sets(settings.upstream_replicas(), settings.upstream_down_seconds)
    audit = AuditQueue(runtime.session_factory, flush_seconds=settings.audit_flush_seconds)
    # Idle connections are dropped before uvicorn's keep-alive timeout (5 s) closes them: a
    # request sent on a connection the service is closing fails unsent, and for a POST the
    # gateway cannot tell that from one that was applied (502).
    transport = AiohttpTransport(httpx.Limits(max_connections=200, keepalive_expiry=2.0))
    async with (
        SignInChangeListener(settings.database_url, authenticator.cache),
        audit,
        httpx.AsyncClient(timeout=settings.upstream_timeout_seconds, transport=transport) as client,
    ):
        app.state.http = client
        # The proxy sends on the transport itself, without httpx's request and response
        # objects (proxy.Proxy); the contact export builds its requests with the client.
        app.state.upstream = transport
        app.state.upstream_timeout = UpstreamTimeout.every(settings.upstream_timeout_seconds)
        app.state.audit = audit
        try:
            yield
        finally:
            await counters.dispose()


async def create_first_admin(runtime: ServiceRuntime, settings: GatewaySettings) -> None:
    """At first start, the admin named by TREUE_ADMIN_EMAIL/TREUE_ADMIN_PASSWORD."""
    if not settings.admin_email or not settings.admin_password:
        return
    async with runtime.session_factory() as session:
        users = UserRepository(session)
        if await users.count() > 0:
            return
        users.add(
            User(
                id=uuid.uuid4(),
                email=settings.admin_email,
                name="Administrator",
                role=Role.ADMIN,
                password_hash=hash_password(settings.admin_password),
                active=True,
                created_at=datetime.now(UTC),
            )
        )
        await session.commit()
    log.info("created the first admin", email=settings.admin_email)
