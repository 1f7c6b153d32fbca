import uuid
from datetime import UTC, datetime

import pytest

from gateway.domain.audit import is_audited, resource_id_of
from gateway.domain.users import LastAdminRemains, Role, User
from gateway.settings import GatewaySettings

ID = "0b7f6f4e-2a51-4d1c-9a61-0d6b3c1f8e21"
OTHER = "5f0c2b1a-8e7d-4c3b-a2f1-9e8d7c6b5a43"


def admin() -> User:
    return User(uuid.uuid4(), "a@treue.local", "A", Role.ADMIN, "hash", True, datetime.now(UTC))


@pytest.mark.parametrize("changes", [{"role": "agent"}, {"active": False}])
def test_the_last_active_admin_cannot_be_removed(changes: dict[str, object]) -> None:
    with pytest.raises(LastAdminRemains):
        admin().change(changes, other_active_admins=0)


def test_an_admin_with_a_deputy_may_step_down() -> None:
    user = admin()

    user.change({"role": "viewer", "name": "B"}, other_active_admins=1)

    assert (user.role, user.name) == ("viewer", "B")


@pytest.mark.parametrize(
    ("path", "location", "expected"),
    [
        (f"/api/v1/contacts/{ID}", None, ID),
        (f"/api/v1/contacts/{ID}/interactions/{OTHER}", None, OTHER),
        ("/api/v1/contacts", f"/api/v1/contacts/{ID}", ID),
        ("/api/v1/contacts", None, None),
        ("/api/v1/public/invitations/abc/response", None, None),
    ],
)
def test_the_resource_is_the_innermost_id(path: str, location: str | None, expected: str) -> None:
    assert resource_id_of(path, location) == expected


@pytest.mark.parametrize(
    ("method", "path", "audited"),
    [
        ("PATCH", "/api/v1/contacts/7", True),
        ("POST", "/api/v1/contacts/export", True),
        ("GET", "/api/v1/contacts/7/export", True),
        ("GET", "/api/v1/contacts/export.csv", True),
        ("GET", "/api/v1/surveys/contacts/7/export", True),
        ("GET", "/api/v1/analytics/customers/7/export", True),
        ("GET", "/api/v1/contacts/7", False),
        ("GET", "/api/v1/contacts", False),
        ("GET", "/api/v1/contacts/7/export/more", False),
        ("HEAD", "/api/v1/contacts/7/export", False),
    ],
)
def test_writes_and_reads_of_personal_data_are_audited(
    method: str, path: str, audited: bool
) -> None:
    assert is_audited(method, path) is audited


def test_the_longest_matching_prefix_sets_the_body_limit() -> None:
    settings = GatewaySettings(
        body_limit_bytes=10,
        body_limits_by_prefix={"/api/v1/imports": 100, "/api/v1/imports/large": 1000},
    )

    assert settings.body_limit_for("/api/v1/contacts") == 10
    assert settings.body_limit_for("/api/v1/imports") == 100
    assert settings.body_limit_for("/api/v1/importsx") == 10
    assert settings.body_limit_for("/api/v1/imports/large/1") == 1000
