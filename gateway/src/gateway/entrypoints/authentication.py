"""Who is calling: a bearer access token, an API key, or the SPA's session cookie."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from starlette.types import Scope

from gateway.adapters.repository import ApiKeyRepository, UserRepository
from gateway.adapters.security import (
    AccessToken,
    csrf_token_for,
    hash_api_key,
    read_access_token,
    same_secret,
)
from gateway.adapters.sign_in_cache import PrincipalCache
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
        self.cache = PrincipalCache(settings.sign_in_cache_seconds)

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

    def forget_everyone(self) -> None:
        """After a sign-in change on this replica: the others hear of it by NOTIFY, this
        one must not answer its next request from the cache before the NOTIFY arrives."""
        self.cache.clear()

    async def _user(self, token: str) -> Principal:
        # The signature and expiry are checked on every request; only the lookup is cached.
        claims = read_access_token(token, self.settings.access_token_secret)
        credential = ("user", claims.user_id, claims.token_id)
        if (cached := self.cache.get(credential)) is not None:
            return cached
        generation = self.cache.generation
        async with self.session_factory() as session:
            user = await UserRepository(session).signed_in(claims.user_id, claims.token_id)
        if user is None or not user.active:
            raise Unauthorized("the user no longer exists, is deactivated or has logged out")
        principal = principal_of(user)
        self.cache.put(credential, principal, generation)
        return principal

    async def _api_key(self, secret: str) -> Principal:
        credential = ("api_key", hash_api_key(secret))
        principal = self.cache.get(credential)
        if principal is None:
            generation = self.cache.generation
            async with self.session_factory() as session:
                key = await ApiKeyRepository(session).by_hash(credential[1])
            if key is None or key.revoked_at is not None:
                raise Unauthorized("the API key is unknown or revoked")
            principal = Principal(
                kind="api_key", id=key.id, name=key.name, scopes=tuple(key.scopes)
            )
            self.cache.put(credential, principal, generation)
        if self.key_use.due(principal.id):
            await self._record_use(principal.id)
        return principal

    async def _record_use(self, key_id: uuid.UUID) -> None:
        async with self.session_factory() as session:
            await ApiKeyRepository(session).touch(key_id, datetime.now(UTC))
            await session.commit()

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


def forget_sign_ins(request: Request) -> None:
    """After a key was revoked, a token logged out or a user changed through this replica."""
    authenticator: Authenticator = request.app.state.authenticator
    authenticator.forget_everyone()


def signed_in_principal(request: Request) -> Principal:
    return principal_in(request.scope)


def principal_in(scope: Scope) -> Principal:
    """Set by AccessMiddleware for every non-public /api/ path; absent means not signed in."""
    principal: Principal | None = scope.get("state", {}).get("principal")
    if principal is None:
        raise Unauthorized("sign in first", headers={"WWW-Authenticate": "Bearer"})
    return principal


async def current_principal(request: Request) -> Principal:
    return signed_in_principal(request)


CurrentPrincipal = Annotated[Principal, Depends(current_principal)]
