"""The caller's identity as the gateway passes it to the services.

The gateway authenticates users and API keys and forwards a short-lived token signed with
the shared internal secret. Services accept no request without a valid one, so a service
port reached directly is not an open door.
"""

from __future__ import annotations

import time
import uuid
from typing import Annotated, Literal

import jwt
from fastapi import Depends, Request
from pydantic import BaseModel, ConfigDict, ValidationError

from treue.problems import FieldError, Forbidden, Unauthorized
from treue.token_memo import TokenMemo

INTERNAL_TOKEN_HEADER = "x-treue-identity"  # noqa: S105
AUDIENCE = "treue-internal"
ISSUER = "treue-gateway"
DEFAULT_TTL_SECONDS = 60
# Roles that hand records to anyone; other users (agents) only take records for themselves.
ASSIGNING_ROLES = frozenset({"admin", "manager"})


class Identity(BaseModel):
    # One instance serves every request that carries the same token (`verify_internal_token`).
    model_config = ConfigDict(frozen=True)

    subject: str
    kind: Literal["user", "api_key", "system"]
    role: str | None = None
    scopes: list[str] = []
    name: str | None = None

    def require_scope(self, scope: str) -> None:
        if self.kind == "user" or "admin" in self.scopes or scope in self.scopes:
            return
        raise Forbidden(f"this API key lacks the scope {scope}")

    def require_admin(self, what: str) -> None:
        """Admins (users with the admin role, keys with the admin scope) only."""
        if self.role != "admin" and "admin" not in self.scopes:
            raise Forbidden(f"only admins {what}")

    @property
    def assigns_anyone(self) -> bool:
        """Managers, admins, API keys and the system hand records to anyone."""
        return self.kind != "user" or self.role in ASSIGNING_ROLES

    def may_assign(self, current: uuid.UUID | None, new: uuid.UUID | None) -> bool:
        """Whether this caller may change a record's owner (or assignee) from `current` to
        `new` (object-level authorization).

        Managers and admins assign anyone; API keys and the system act for the business
        systems, which assign owners, so they count like managers (the write scope is
        checked separately). Any other user takes an unowned record or one already theirs
        for themselves, or gives back their own; sending the unchanged value is no change."""
        if self.assigns_anyone or new == current:
            return True
        mine = {None, self.subject}
        return (str(current) if current else None) in mine and (str(new) if new else None) in mine

    def require_assignable(
        self, field: str, current: uuid.UUID | None, new: uuid.UUID | None
    ) -> None:
        """403 problem+json naming `field` unless `may_assign(current, new)`."""
        if self.may_assign(current, new):
            return
        message = (
            "only managers and admins assign records to others or take them from others; "
            "you may take unowned records for yourself"
        )
        raise Forbidden(f"{field}: {message}", errors=[FieldError(field=field, message=message)])

    def require_assigns_anyone(self, field: str) -> None:
        """403 problem+json naming `field` unless the caller hands records to anyone: for
        changes whose current owners are not known up front, such as a bulk action's."""
        if self.assigns_anyone:
            return
        message = "only managers and admins set owners in bulk"
        raise Forbidden(f"{field}: {message}", errors=[FieldError(field=field, message=message)])


def issue_internal_token(identity: Identity, secret: str, ttl: int = DEFAULT_TTL_SECONDS) -> str:
    now = int(time.time())
    claims = {
        **identity.model_dump(),
        "sub": identity.subject,
        "aud": AUDIENCE,
        "iss": ISSUER,
        "iat": now,
        "exp": now + ttl,
    }
    return jwt.encode(claims, secret, algorithm="HS256")


_verified: TokenMemo[Identity] = TokenMemo()


def verify_internal_token(token: str, secret: str) -> Identity:
    def verify() -> tuple[Identity, float]:
        try:
            claims = jwt.decode(
                token, secret, algorithms=["HS256"], audience=AUDIENCE, issuer=ISSUER
            )
            return Identity.model_validate(claims), float(claims["exp"])
        except (jwt.PyJWTError, ValidationError, KeyError) as error:
            raise Unauthorized("the internal identity token is invalid or expired") from error

    return _verified.verified(token, secret, verify)


# Dependencies that do no I/O are `async def`: FastAPI runs a plain `def` one in a worker
# thread, a hop that cost more CPU than the work itself on every request.
async def current_identity(request: Request) -> Identity:
    token = request.headers.get(INTERNAL_TOKEN_HEADER)
    if not token:
        raise Unauthorized("requests reach the services only through the gateway")
    secret: str = request.app.state.settings.internal_token_secret
    return verify_internal_token(token, secret)


CurrentIdentity = Annotated[Identity, Depends(current_identity)]
