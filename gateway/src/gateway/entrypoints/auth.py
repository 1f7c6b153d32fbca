"""Login, logout and the caller's identity."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response, status

from gateway.adapters.repository import UserRepository
from gateway.adapters.security import csrf_token_for, issue_access_token, verify_password
from gateway.entrypoints.access import RateLimits, TooManyRequests, remember_quota
from gateway.entrypoints.authentication import (
    CSRF_COOKIE,
    SESSION_COOKIE,
    Authenticator,
    CurrentPrincipal,
    principal_of,
)
from gateway.entrypoints.dependencies import RATE_LIMITED, TOO_LARGE, UowDep, problems
from gateway.entrypoints.schemas import LoginRequest, LoginResponse, UserRead
from gateway.service_layer import handlers
from gateway.settings import GatewaySettings
from treue.problems import Forbidden, NotFound, Unauthorized

router = APIRouter(prefix="/api/v1/auth", tags=["auth"])
LIMITED = problems(s429=RATE_LIMITED)


def _settings(request: Request) -> GatewaySettings:
    settings: GatewaySettings = request.app.state.settings
    return settings


async def _check_login_limits(request: Request, email: str) -> None:
    """Per client address and per account, before the (deliberately slow) password check."""
    limits: RateLimits = request.app.state.rate_limits
    address = request.client.host if request.client else "unknown"
    by_address = await limits.login_address.hit(address)
    by_account = await limits.login_account.hit(email.strip().lower())
    tighter = min(by_address, by_account, key=lambda quota: quota.remaining)
    remember_quota(request, tighter)
    if not (by_address.allowed and by_account.allowed):
        blocked = by_account if not by_account.allowed else by_address
        raise TooManyRequests("too many login attempts; wait and try again", blocked)


def _set_session_cookies(response: Response, token: str, settings: GatewaySettings) -> None:
    secure, ttl = settings.env == "production", settings.access_token_ttl_seconds
    response.set_cookie(
        SESSION_COOKIE, token, max_age=ttl, httponly=True, secure=secure, samesite="lax"
    )
    # Readable by the SPA's script, which echoes it in X-CSRF-Token on writes.
    csrf = csrf_token_for(token, settings.access_token_secret)
    response.set_cookie(
        CSRF_COOKIE, csrf, max_age=ttl, httponly=False, secure=secure, samesite="lax"
    )


@router.post(
    "/login",
    response_model=LoginResponse,
    summary="Log in with e-mail and password",
    description="Answers an access token for `Authorization: Bearer` and sets the SPA's "
    f"session cookie (`{SESSION_COOKIE}`, HttpOnly) plus the `{CSRF_COOKIE}` cookie whose "
    "value writes with the cookie must repeat in `X-CSRF-Token`.",
    responses=problems(s413=TOO_LARGE, s429="Too many attempts; see Retry-After"),
)
async def login(body: LoginRequest, request: Request, response: Response) -> LoginResponse:
    await _check_login_limits(request, body.email)
    async with request.app.state.runtime.session_factory() as session:
        user = await UserRepository(session).by_email(body.email)
    # Unknown e-mails are checked against a dummy hash: both paths take one argon2 check.
    if not verify_password(body.password, user.password_hash if user else None) or user is None:
        raise Unauthorized("e-mail or password is wrong")
    if not user.active:
        raise Unauthorized("this user is deactivated")
    request.state.principal = principal_of(user)
    settings = _settings(request)
    token = issue_access_token(
        user.id, user.role, settings.access_token_secret, settings.access_token_ttl_seconds
    )
    _set_session_cookies(response, token, settings)
    return LoginResponse(
        access_token=token,
        expires_in=settings.access_token_ttl_seconds,
        user=UserRead.model_validate(user),
    )


@router.post(
    "/logout",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Log out: revoke the access token and clear the session cookies",
    description="The access token the request carries (the `Authorization: Bearer` token, "
    "else the session cookie's) answers 401 from now on, on every gateway replica; the "
    "user's other sessions stay signed in. The SPA's cookies are removed. With an API key "
    "nothing is revoked: revoke the key itself (`DELETE /api/v1/api-keys/{id}`).",
    responses=LIMITED,
)
async def logout(_: CurrentPrincipal, request: Request, uow: UowDep) -> Response:
    authenticator: Authenticator = request.app.state.authenticator
    token = authenticator.access_token(request)
    if token is not None:
        await handlers.revoke_access_token(token, uow)
        authenticator.forget_everyone()
    response = Response(status_code=status.HTTP_204_NO_CONTENT)
    secure = _settings(request).env == "production"
    for name in (SESSION_COOKIE, CSRF_COOKIE):
        response.delete_cookie(name, path="/", secure=secure, samesite="lax")
    return response


@router.get(
    "/me",
    response_model=UserRead,
    summary="The signed-in user",
    responses=problems(s403="API keys have no user", s429=RATE_LIMITED),
)
async def me(principal: CurrentPrincipal, request: Request) -> UserRead:
    if principal.kind != "user":
        raise Forbidden("an API key has no user profile")
    async with request.app.state.runtime.session_factory() as session:
        user = await UserRepository(session).get(principal.id)
    if user is None:
        raise NotFound("the user no longer exists")
    return UserRead.model_validate(user)
