"""Password hashing (argon2id), access tokens, API-key hashes and CSRF tokens."""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime

import jwt
from pwdlib import PasswordHash

from gateway.domain.api_keys import KEY_PREFIX
from treue.problems import Unauthorized
from treue.token_memo import TokenMemo

ACCESS_AUDIENCE = "treue-api"
_hasher = PasswordHash.recommended()
# Compared against when the e-mail is unknown, so both paths cost one argon2 verification.
_DUMMY_HASH = _hasher.hash("treue-dummy-password")


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password: str, password_hash: str | None) -> bool:
    return _hasher.verify(password, password_hash or _DUMMY_HASH) and password_hash is not None


@dataclass(frozen=True)
class AccessToken:
    user_id: uuid.UUID
    # The jti claim: what logout revokes, so one session ends and the user's others do not.
    token_id: uuid.UUID
    expires_at: datetime


def issue_access_token(user_id: uuid.UUID, role: str, secret: str, ttl: int) -> str:
    now = int(time.time())
    claims = {
        "sub": str(user_id),
        "role": role,
        "aud": ACCESS_AUDIENCE,
        "jti": str(uuid.uuid4()),
        "iat": now,
        "exp": now + ttl,
    }
    return jwt.encode(claims, secret, algorithm="HS256")


_read: TokenMemo[AccessToken] = TokenMemo()


def read_access_token(token: str, secret: str) -> AccessToken:
    def read() -> tuple[AccessToken, float]:
        try:
            claims = jwt.decode(
                token,
                secret,
                algorithms=["HS256"],
                audience=ACCESS_AUDIENCE,
                options={"require": ["sub", "jti", "exp"]},
            )
            access = AccessToken(
                user_id=uuid.UUID(claims["sub"]),
                token_id=uuid.UUID(claims["jti"]),
                expires_at=datetime.fromtimestamp(claims["exp"], UTC),
            )
            return access, access.expires_at.timestamp()
        except (jwt.PyJWTError, KeyError, ValueError, TypeError) as error:
            raise Unauthorized("the access token is invalid or expired") from error

    return _read.verified(token, secret, read)


def generate_api_key() -> str:
    return KEY_PREFIX + secrets.token_urlsafe(32)


def hash_api_key(key: str) -> str:
    """SHA-256, not argon2: a key carries 256 random bits, so nothing is left to brute-force,
    and it is checked on every request, where a slow hash would cost every call."""
    return hashlib.sha256(key.encode()).hexdigest()


def csrf_token_for(session_token: str, secret: str) -> str:
    """The CSRF token is derived from the session (signed double-submit): a cookie planted
    by a sibling subdomain does not match a session it was not made for."""
    return hmac.new(secret.encode(), session_token.encode(), hashlib.sha256).hexdigest()


def same_secret(given: str, expected: str) -> bool:
    return hmac.compare_digest(given.encode(), expected.encode())
