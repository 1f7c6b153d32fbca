import pytest

from gateway.entrypoints.proxy import owner_of


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
