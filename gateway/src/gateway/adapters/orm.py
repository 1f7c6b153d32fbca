"""Tables of the gateway and the imperative mapping of its domain classes."""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    DateTime,
    Identity,
    Index,
    SmallInteger,
    String,
    Table,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import ARRAY, UUID
from sqlalchemy.orm import registry

from gateway.domain.api_keys import ApiKey
from gateway.domain.users import User
from treue.db import make_metadata
from treue.tables import add_backbone_tables

metadata = make_metadata()
backbone = add_backbone_tables(metadata)
mapper_registry = registry(metadata=metadata)

users = Table(
    "users",
    metadata,
    Column("id", UUID(as_uuid=True), primary_key=True),
    Column("email", String(320), nullable=False),
    Column("name", String(200), nullable=False),
    Column("role", String(20), nullable=False),
    Column("password_hash", String(300), nullable=False),
    Column("active", Boolean, nullable=False, server_default="true"),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Index("uq_users_email_lower", func.lower(text("email")), unique=True),
)

api_keys = Table(
    "api_keys",
    metadata,
    Column("id", UUID(as_uuid=True), primary_key=True),
    Column("name", String(100), nullable=False),
    Column("scopes", ARRAY(String(50)), nullable=False),
    Column("prefix", String(20), nullable=False),
    Column("key_hash", String(64), nullable=False, unique=True),
    Column("created_by", UUID(as_uuid=True), nullable=True),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("last_used_at", DateTime(timezone=True), nullable=True),
    Column("revoked_at", DateTime(timezone=True), nullable=True),
)

audit_log = Table(
    "audit_log",
    metadata,
    Column("id", BigInteger, Identity(), primary_key=True),
    Column("occurred_at", DateTime(timezone=True), nullable=False),
    Column("actor_kind", String(20), nullable=False),
    Column("actor_id", UUID(as_uuid=True), nullable=True),
    Column("method", String(10), nullable=False),
    Column("path", String(2000), nullable=False),
    Column("status_code", SmallInteger, nullable=False),
    Column("resource_id", String(100), nullable=True),
    Column("client_address", String(100), nullable=True),
    Column("user_agent", String(500), nullable=True),
    Column("request_id", String(100), nullable=True),
    Index("ix_audit_log_occurred_at_id", "occurred_at", "id"),
    Index("ix_audit_log_actor_id_occurred_at", "actor_id", "occurred_at"),
)


def start_mappers() -> None:
    if not mapper_registry.mappers:
        mapper_registry.map_imperatively(User, users)
        mapper_registry.map_imperatively(ApiKey, api_keys)
