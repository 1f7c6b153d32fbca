"""Who is calling: a bearer access token, an API key, or the SPA's session cookie."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from gateway.adapters.repository import ApiKeyRepository, UserRepository
from gateway.adapters.security import (
    AccessToken,
    csrf_token_for,
    hash_api_key,
    read_access_token,
    same_secret,
)
from gateway.adapters.throttle import IntervalGate
from gateway.domain.api_keys import KEY_PREFIX
from gateway.domain.policy import WRITE_METHODS, Principal
from gateway.domain.users import User
from gateway.settings import GatewaySettings
from treue.identity import Identity
from treue.problems import Forbidden, Unauthorized

SESSION_COOKIE = "treue_session"
CSRF_COOKIE = "treue_csrf"
CSRF_HEADER = "x-csrf-token"
# last_used_at is written at most this often per key, not on every request.
KEY_USE_RECORD_SECONDS = 60.0


class Authenticator:
    def __init__(
        self, settings: GatewaySettings, session_factory: async_sessionmaker[AsyncSession]
    ) -> None:
        self.settings = settings
        self.session_factory = session_factory
        self.key_use = IntervalGate(KEY_USE_RECORD_SECONDS)

    async def principal(self, request: Request) -> Principal:
        scheme, _, token = request.headers.get("authorization", "").partition(" ")
        if scheme.lower() == "bearer" and token:
            if token.startswith(KEY_PREFIX):
                return await self._api_key(token)
            return await self._user(token)
        session = request.cookies.get(SESSION_COOKIE)
        if session:
            # Browsers send cookies on cross-site requests too; bearer headers they do not.
            if request.method in WRITE_METHODS:
                self._check_csrf(request, session)
            return await self._user(session)
        raise Unauthorized(
            "send Authorization: Bearer <token>", headers={"WWW-Authenticate": "Bearer"}
        )

    def access_token(self, request: Request) -> AccessToken | None:
        """The user's access token this request was signed in with (None for an API key)."""
        scheme, _, token = request.headers.get("authorization", "").partition(" ")
        if not (scheme.lower() == "bearer" and token):
            token = request.cookies.get(SESSION_COOKIE, "")
        if not token or token.startswith(KEY_PREFIX):
            return None
        return read_access_token(token, self.settings.access_token_secret)

    async def _user(self, token: str) -> Principal:
        claims = read_access_token(token, self.settings.access_token_secret)
        async with self.session_factory() as session:
            user = await UserRepository(session).signed_in(claims.user_id, claims.token_id)
        if user is None or not user.active:
            raise Unauthorized("the user no longer exists, is deactivated or has logged out")
        return principal_of(user)

    async def _api_key(self, secret: str) -> Principal:
        async with self.session_factory() as session:
            key = await ApiKeyRepository(session).by_hash(hash_api_key(secret))
            if key is None or key.revoked_at is not None:
                raise Unauthorized("the API key is unknown or revoked")
            if self.key_use.due(key.id):
                await ApiKeyRepository(session).touch(key.id, datetime.now(UTC))
                await session.commit()
        return Principal(kind="api_key", id=key.id, name=key.name, scopes=tuple(key.scopes))

    def _check_csrf(self, request: Request, session: str) -> None:
        expected = csrf_token_for(session, self.settings.access_token_secret)
        header = request.headers.get(CSRF_HEADER, "")
        cookie = request.cookies.get(CSRF_COOKIE, "")
        if not (same_secret(header, cookie) and same_secret(cookie, expected)):
            raise Forbidden(
                f"writes with the session cookie need the {CSRF_COOKIE} cookie's value "
                "in the X-CSRF-Token header",
                slug="csrf",
                title="CSRF token missing or wrong",
            )


def principal_of(user: User) -> Principal:
    return Principal(kind="user", id=user.id, name=user.name, role=user.role)


def identity_of(principal: Principal) -> Identity:
    return Identity(
        subject=str(principal.id),
        kind=principal.kind,
        role=principal.role,
        scopes=list(principal.scopes),
        name=principal.name,
    )


def current_principal(request: Request) -> Principal:
    """Set by AccessMiddleware for every non-public /api/ path; absent means not signed in."""
    principal: Principal | None = getattr(request.state, "principal", None)
    if principal is None:
        raise Unauthorized("sign in first", headers={"WWW-Authenticate": "Bearer"})
    return principal


CurrentPrincipal = Annotated[Principal, Depends(current_principal)]
