import pytest
from fastapi import FastAPI

from gateway.entrypoints.proxy import Proxy, no_such_api, owner_of
from gateway.main import create_app
from gateway.settings import GatewaySettings


@pytest.mark.parametrize(
    ("path", "service"),
    [
        ("/api/v1/contacts", "contacts"),
        ("/api/v1/contacts/0b7f/timeline", "contacts"),
        ("/api/v1/orders", "contacts"),
        ("/api/v1/analytics/customers/1", "analytics"),
        ("/api/v1/public/invitations/abc", "survey"),
        ("/api/v1/nps", "survey"),
        ("/api/v1/admin/services/analytics/dead-letters", "analytics"),
        ("/api/v1/settings/contacts", "contacts"),
        ("/api/v1/settings/surveys", "survey"),
        ("/api/v1/settings/analytics", "analytics"),
        ("/api/v1/settings", None),
        ("/api/v1/contactsx", None),
        ("/api/v1/unknown", None),
    ],
)
def test_each_path_belongs_to_the_service_that_owns_its_first_segments(
    path: str, service: str | None
) -> None:
    assert owner_of(path) == service


def proxy_of(app: FastAPI) -> Proxy:
    """The app's Proxy middleware as the app would build it (with a stand-in inner app)."""
    entry = next(m for m in app.user_middleware if m.cls is Proxy)
    return Proxy(never_called, *entry.args, **entry.kwargs)


async def never_called(scope: object, receive: object, send: object) -> None:
    raise AssertionError("only the decision is tested")


def test_the_gateways_own_routes_under_a_path_a_service_owns_are_left_to_the_router() -> None:
    """The proxy takes the paths services own before routing: a gateway route under one of
    them that the proxy does not know of would never be reached."""
    app = create_app(GatewaySettings())
    routes = [
        (context.path, context.original_route)
        for route in app.router.routes
        for context in getattr(route, "effective_route_contexts", list)()
    ]
    under_services = [
        path
        for path, route in routes
        if getattr(route, "endpoint", None) is not no_such_api and owner_of(path)
    ]
    proxy = proxy_of(app)

    assert "/api/v1/users/{user_id}" in [path for path, _ in routes]
    assert under_services == ["/api/v1/contacts/{contact_id}/export"]
    assert not proxy.takes({"type": "http", "method": "GET", "path": "/api/v1/contacts/7/export"})


@pytest.mark.parametrize(
    ("method", "path", "to_proxy"),
    [
        ("GET", "/api/v1/contacts/42", True),
        ("GET", "/api/v1/contacts", True),
        ("POST", "/api/v1/imports", True),
        ("DELETE", "/api/v1/admin/services/survey/dead-letters/7", True),
        ("GET", "/api/v1/settings/analytics", True),
        # The gateway's own route under a service's path, with any method (the router
        # answers the ones it does not take).
        ("GET", "/api/v1/contacts/42/export", False),
        ("POST", "/api/v1/contacts/42/export", False),
        ("GET", "/api/v1/users/42", False),
        ("GET", "/api/v1/contactsx", False),
        ("GET", "/api/v1/settings", False),
        ("HEAD", "/api/v1/contacts/42", False),
        ("OPTIONS", "/api/v1/contacts/42", False),
    ],
)
def test_the_proxy_takes_the_paths_services_own_but_the_gateways_own(
    method: str, path: str, to_proxy: bool
) -> None:
    proxy = proxy_of(create_app(GatewaySettings()))

    assert proxy.takes({"type": "http", "method": method, "path": path}) is to_proxy
    if method == "GET" and "/export" not in path:
        assert to_proxy is (owner_of(path) is not None)
