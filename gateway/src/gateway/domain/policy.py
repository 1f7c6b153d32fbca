"""Who may do what at the gateway: one table, consulted for every request.

The services check API-key scopes themselves (Identity.require_scope); the gateway decides
by role (users) or by the admin scope (keys) which kinds of request get through at all.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Literal

from gateway.domain.api_keys import Scope
from gateway.domain.users import Role

WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


class Action(StrEnum):
    READ = "read"
    WRITE = "write"
    SESSION = "session"  # log out, see oneself: anyone signed in
    MANAGE_USERS = "manage_users"
    MANAGE_API_KEYS = "manage_api_keys"
    READ_AUDIT_LOG = "read_audit_log"
    OPERATE_SERVICES = "operate_services"  # dead letters and other operations pages
    MANAGE_WEBHOOKS = "manage_webhooks"
    CHANGE_SETTINGS = "change_settings"  # PUT/DELETE of a service's run-time settings


ADMINISTRATION = frozenset(
    {
        Action.MANAGE_USERS,
        Action.MANAGE_API_KEYS,
        Action.READ_AUDIT_LOG,
        Action.OPERATE_SERVICES,
        Action.MANAGE_WEBHOOKS,
        Action.CHANGE_SETTINGS,
    }
)
EVERYDAY = frozenset({Action.READ, Action.WRITE, Action.SESSION})

ROLE_ACTIONS: dict[str, frozenset[Action]] = {
    Role.ADMIN: EVERYDAY | ADMINISTRATION,
    Role.MANAGER: EVERYDAY,
    Role.AGENT: EVERYDAY,
    Role.VIEWER: frozenset({Action.READ, Action.SESSION}),
}
# Any method on these paths is the action named (listing users is administration too).
PATH_ACTIONS: list[tuple[str, Action]] = [
    ("/api/v1/users", Action.MANAGE_USERS),
    ("/api/v1/api-keys", Action.MANAGE_API_KEYS),
    ("/api/v1/audit-log", Action.READ_AUDIT_LOG),
    ("/api/v1/admin", Action.OPERATE_SERVICES),
    ("/api/v1/webhooks", Action.MANAGE_WEBHOOKS),
    ("/api/v1/auth", Action.SESSION),
]
# Everyone who may read sees the run-time settings; only admins change them. The services
# refuse such writes too, but the front door closes them before any service is reached.
SETTINGS_PREFIX = "/api/v1/settings"
# POSTs that only read: a selection too long for a URL travels in the body. A viewer
# exports the contacts list as it reads it.
READING_POSTS = frozenset({"/api/v1/contacts/export"})


@dataclass(frozen=True)
class Principal:
    """The authenticated caller: a user or an API key."""

    kind: Literal["user", "api_key"]
    id: uuid.UUID
    name: str
    role: str | None = None
    scopes: tuple[str, ...] = field(default_factory=tuple)

    def actions(self) -> frozenset[Action]:
        if self.kind == "user":
            return ROLE_ACTIONS.get(self.role or "", frozenset())
        # Keys are narrowed further by their scopes in the services.
        if Scope.ADMIN in self.scopes:
            return EVERYDAY | ADMINISTRATION
        if Scope.WEBHOOKS_MANAGE in self.scopes:
            return EVERYDAY | {Action.MANAGE_WEBHOOKS}
        return EVERYDAY


def action_for(method: str, path: str) -> Action:
    for prefix, action in PATH_ACTIONS:
        if _under(path, prefix):
            return action
    if method.upper() == "POST" and path in READING_POSTS:
        return Action.READ
    writes = method.upper() in WRITE_METHODS
    if writes and _under(path, SETTINGS_PREFIX):
        return Action.CHANGE_SETTINGS
    return Action.WRITE if writes else Action.READ


def _under(path: str, prefix: str) -> bool:
    return path == prefix or path.startswith(prefix + "/")


def permits(principal: Principal, method: str, path: str) -> bool:
    return action_for(method, path) in principal.actions()
