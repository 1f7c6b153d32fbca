import pytest
from starlette.routing import Match

from gateway.entrypoints.proxy import forward, forward_owned, owner_of
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


def test_a_route_of_the_gateway_under_a_path_a_service_owns_comes_before_the_fast_route() -> None:
    """The proxy's route comes early for the paths services own (fast_router): a gateway
    route under one of them after it would never be reached."""
    app = create_app(GatewaySettings())
    endpoints = [
        (context.path, context.endpoint)
        for route in app.router.routes
        for context in getattr(route, "effective_route_contexts", list)()
    ]
    fast = next(at for at, (_, endpoint) in enumerate(endpoints) if endpoint is forward_owned)
    under_services = [
        (at, path)
        for at, (path, endpoint) in enumerate(endpoints)
        if endpoint not in (forward, forward_owned) and path.startswith("/api/") and owner_of(path)
    ]

    assert "/api/v1/users/{user_id}" in [path for path, _ in endpoints]
    assert [path for _, path in under_services] == ["/api/v1/contacts/{contact_id}/export"]
    assert all(at < fast for at, _ in under_services)


@pytest.mark.parametrize(
    ("path", "matched"),
    [
        ("/api/v1/contacts/42", True),
        ("/api/v1/contacts", True),
        ("/api/v1/admin/services/survey/dead-letters", True),
        ("/api/v1/contactsx", False),
        ("/api/v1/users/42", False),
        ("/api/v1/settings", False),
    ],
)
def test_the_fast_route_matches_exactly_the_paths_a_service_owns(path: str, matched: bool) -> None:
    app = create_app(GatewaySettings())
    fast = next(
        context
        for route in app.router.routes
        for context in getattr(route, "effective_route_contexts", list)()
        if context.endpoint is forward_owned
    )

    assert (fast.matches({"type": "http", "path": path, "method": "GET"})[0] is Match.FULL) is (
        matched
    )
    assert matched is (owner_of(path) is not None)
