import uuid

import pytest

from gateway.domain.policy import Action, Principal, action_for, permits


def user(role: str) -> Principal:
    return Principal(kind="user", id=uuid.uuid4(), name="Jonas", role=role)


def key(*scopes: str) -> Principal:
    return Principal(kind="api_key", id=uuid.uuid4(), name="Shop", scopes=scopes)


@pytest.mark.parametrize(
    ("method", "path", "action"),
    [
        ("GET", "/api/v1/contacts", Action.READ),
        ("POST", "/api/v1/contacts", Action.WRITE),
        ("DELETE", "/api/v1/contacts/1", Action.WRITE),
        ("GET", "/api/v1/users", Action.MANAGE_USERS),
        ("PATCH", "/api/v1/users/1", Action.MANAGE_USERS),
        ("GET", "/api/v1/api-keys", Action.MANAGE_API_KEYS),
        ("GET", "/api/v1/audit-log", Action.READ_AUDIT_LOG),
        ("POST", "/api/v1/auth/logout", Action.SESSION),
        ("GET", "/api/v1/admin/services/contacts/dead-letters", Action.OPERATE_SERVICES),
        ("POST", "/api/v1/users-import", Action.WRITE),
        ("GET", "/api/v1/settings/contacts", Action.READ),
        ("PUT", "/api/v1/settings/contacts", Action.CHANGE_SETTINGS),
        ("DELETE", "/api/v1/settings/analytics", Action.CHANGE_SETTINGS),
        ("PUT", "/api/v1/settings-export", Action.WRITE),
        ("POST", "/api/v1/contacts/export", Action.READ),
        ("PUT", "/api/v1/contacts/export", Action.WRITE),
        ("POST", "/api/v1/contacts/export/x", Action.WRITE),
    ],
)
def test_each_request_maps_to_one_action(method: str, path: str, action: Action) -> None:
    assert action_for(method, path) == action


@pytest.mark.parametrize(
    ("principal", "method", "path", "allowed"),
    [
        (user("viewer"), "GET", "/api/v1/contacts", True),
        (user("viewer"), "POST", "/api/v1/contacts", False),
        (user("viewer"), "POST", "/api/v1/auth/logout", True),
        (user("viewer"), "POST", "/api/v1/contacts/export", True),
        (user("agent"), "POST", "/api/v1/contacts", True),
        (user("agent"), "POST", "/api/v1/users", False),
        (user("manager"), "GET", "/api/v1/api-keys", False),
        (user("admin"), "DELETE", "/api/v1/api-keys/1", True),
        (user("owner"), "GET", "/api/v1/contacts", False),
        (key("contacts:write"), "POST", "/api/v1/contacts", True),
        (key("contacts:write"), "GET", "/api/v1/users", False),
        (key("admin"), "GET", "/api/v1/audit-log", True),
        (user("viewer"), "GET", "/api/v1/settings/surveys", True),
        (user("admin"), "PUT", "/api/v1/settings/surveys", True),
        (user("manager"), "PUT", "/api/v1/settings/surveys", False),
        (user("agent"), "DELETE", "/api/v1/settings/surveys", False),
        (key("contacts:write", "surveys:write"), "PUT", "/api/v1/settings/surveys", False),
        (key("webhooks:manage"), "DELETE", "/api/v1/settings/contacts", False),
        (key("admin"), "PUT", "/api/v1/settings/analytics", True),
    ],
)
def test_the_policy_table(principal: Principal, method: str, path: str, allowed: bool) -> None:
    assert permits(principal, method, path) is allowed
