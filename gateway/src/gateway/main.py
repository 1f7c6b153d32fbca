"""The gateway process: `uvicorn gateway.main:create_app --factory`."""

from __future__ import annotations

from fastapi import FastAPI
from starlette.middleware import Middleware

from gateway.adapters.orm import backbone, start_mappers
from gateway.bootstrap import gateway_resources
from gateway.entrypoints import (
    access,
    api_keys,
    audit_log,
    auth,
    contact_export,
    docs,
    limits,
    proxy,
    spa,
    users,
    webhook_docs,
    webhooks,
)
from gateway.service_layer.delivery_worker import deliver_webhooks
from gateway.service_layer.webhooks import EVENT_HANDLERS
from gateway.settings import GatewaySettings
from treue.service import ServiceDefinition, create_service_app

DESCRIPTION = """The one front door of Treue: authentication and every service's API.

**Authentication.** `Authorization: Bearer <token>` with a login access token
(POST /api/v1/auth/login) or an API key (`treue_…`, scoped). The web app may use the
session cookie set at login instead; writes with the cookie must send the `treue_csrf`
cookie's value in `X-CSRF-Token`.

**Rate limits.** Per user and per API key (and logins per account and per address), in
fixed windows (a minute for requests) counted once for all gateway replicas.
Every authenticated response carries the IETF draft fields `RateLimit-Limit` (requests per
window), `RateLimit-Remaining` and `RateLimit-Reset` (seconds until the full quota is back).
Over the limit: 429 problem+json with `Retry-After` (seconds).

**Limits.** Bodies over the size limit (10 MB by default, more for imports) are refused
(status 413). Every write, and every export of personal data, is recorded in the audit log
(GET /api/v1/audit-log, admins).

**Webhooks.** Subscribe endpoints at /api/v1/webhooks (admins or the webhooks:manage scope).
Deliveries follow the Standard Webhooks specification; the event types, their bodies and
examples are listed under `webhooks` in this document.
"""


def create_app(settings: GatewaySettings | None = None) -> FastAPI:
    settings = settings or GatewaySettings()
    start_mappers()
    app = create_service_app(
        ServiceDefinition(
            title="Treue API",
            description=DESCRIPTION,
            settings=settings,
            tables=backbone,
            routers=[
                # Its one route lies under /api/v1/contacts: proxy.Proxy leaves it alone.
                contact_export.router,
                auth.router,
                users.router,
                api_keys.router,
                audit_log.router,
                webhooks.router,
                docs.router,
                proxy.router,
            ],
            resources=gateway_resources,
            idempotency=False,
            event_handlers=dict(EVENT_HANDLERS),
            consumed_topics=[
                settings.topic("contacts"),
                settings.topic("surveys"),
                settings.topic("analytics"),
            ],
            background=[deliver_webhooks],
        )
    )
    webhook_docs.register_catalogue(app)
    docs.mount_docs_assets(app)
    spa.mount_spa(app, settings.spa_dir)
    # Appended, so they run inside RequestIdMiddleware: refusals carry a request id too.
    app.user_middleware.append(Middleware(access.AccessMiddleware))
    app.user_middleware.append(Middleware(limits.BodyLimitMiddleware, settings=settings))
    app.user_middleware.append(Middleware(proxy.Proxy, before=contact_export.router.routes))
    return app
