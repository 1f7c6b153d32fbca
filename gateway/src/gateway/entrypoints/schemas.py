"""Request and response bodies of the gateway's own API."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from gateway.domain.api_keys import Scope
from gateway.domain.users import MIN_PASSWORD_LENGTH, Role

# Not EmailStr: users may live on a local domain (admin@treue.local).
Email = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=3, max_length=320, pattern=r".+@.+")
]
Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
# The api_keys.name column is shorter than a user's name.
KeyName = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]
Password = Annotated[str, Field(min_length=MIN_PASSWORD_LENGTH, max_length=200)]


class LoginRequest(BaseModel):
    email: Annotated[str, Field(min_length=3, max_length=320)]
    password: Annotated[str, Field(min_length=1, max_length=200)]

    model_config = ConfigDict(
        json_schema_extra={"examples": [{"email": "admin@treue.local", "password": "…"}]}
    )


class UserRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    email: str
    name: str
    role: Role
    active: bool
    created_at: datetime


class LoginResponse(BaseModel):
    access_token: str
    token_type: Literal["bearer"] = "bearer"  # noqa: S105
    expires_in: int
    user: UserRead


class UserCreate(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "email": "lena.hoffmann@example.de",
                    "name": "Lena Hoffmann",
                    "role": "agent",
                    "password": "ein-langes-passwort",
                }
            ]
        },
    )

    email: Email
    name: Name
    role: Role
    password: Password


class UserUpdate(BaseModel):
    """Only the fields sent are changed; `active: false` deactivates the user."""

    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [{"role": "manager"}, {"active": False}]}
    )

    name: Name | None = None
    role: Role | None = None
    active: bool | None = None
    password: Password | None = None


class ApiKeyCreate(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [{"name": "Webshop", "scopes": ["contacts:write", "surveys:write"]}]
        },
    )

    name: KeyName
    scopes: Annotated[list[Scope], Field(min_length=1, max_length=len(Scope))]


class ApiKeyRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    name: str
    scopes: list[str]
    prefix: str = Field(description="The key's first characters, to tell keys apart")
    created_by: uuid.UUID | None
    created_at: datetime
    last_used_at: datetime | None = Field(
        description="Updated at most once a minute while the key is in use"
    )
    revoked_at: datetime | None


class ApiKeyCreated(BaseModel):
    id: uuid.UUID
    name: str
    scopes: list[str]
    key: str = Field(
        description="The secret; shown only in this answer, store it now",
        examples=["treue_3q2-7wEHv3qAnDXZ6M2cj2tQ2ZFeb0h1DBk9a2PUX8Y"],
    )
    created_at: datetime


class AuditEntryRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    occurred_at: datetime
    actor_kind: Literal["user", "api_key", "anonymous"]
    actor_id: uuid.UUID | None
    method: str
    path: str
    status_code: int
    resource_id: str | None
    client_address: str | None
    user_agent: str | None
    request_id: str | None
