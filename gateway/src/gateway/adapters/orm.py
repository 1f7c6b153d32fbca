"""Tables of the gateway and the imperative mapping of its domain classes."""

from __future__ import annotations

from sqlalchemy import Boolean, Column, DateTime, Index, String, Table, func, text
from sqlalchemy.dialects.postgresql import UUID
from sqlalchemy.orm import registry

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


def start_mappers() -> None:
    if not mapper_registry.mappers:
        mapper_registry.map_imperatively(User, users)
