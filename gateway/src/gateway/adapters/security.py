"""Password hashing (argon2id) and the gateway's access tokens."""

from __future__ import annotations

import time
import uuid

import jwt
from pwdlib import PasswordHash

from treue.problems import Unauthorized

ACCESS_AUDIENCE = "treue-api"
_hasher = PasswordHash.recommended()
# Compared against when the e-mail is unknown, so both paths cost one argon2 verification.
_DUMMY_HASH = _hasher.hash("treue-dummy-password")


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password: str, password_hash: str | None) -> bool:
    return _hasher.verify(password, password_hash or _DUMMY_HASH) and password_hash is not None


def issue_access_token(user_id: uuid.UUID, role: str, secret: str, ttl: int) -> str:
    now = int(time.time())
    claims = {
        "sub": str(user_id),
        "role": role,
        "aud": ACCESS_AUDIENCE,
        "iat": now,
        "exp": now + ttl,
    }
    return jwt.encode(claims, secret, algorithm="HS256")


def read_access_token(token: str, secret: str) -> uuid.UUID:
    try:
        claims = jwt.decode(token, secret, algorithms=["HS256"], audience=ACCESS_AUDIENCE)
        return uuid.UUID(claims["sub"])
    except (jwt.PyJWTError, KeyError, ValueError) as error:
        raise Unauthorized("the access token is invalid or expired") from error
