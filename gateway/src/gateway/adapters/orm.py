"""Tables of the gateway and the imperative mapping of its domain classes."""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    DateTime,
    ForeignKey,
    Identity,
    Index,
    Integer,
    SmallInteger,
    String,
    Table,
    Text,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import ARRAY, UUID
from sqlalchemy.orm import registry

from gateway.domain.api_keys import ApiKey
from gateway.domain.users import User
from gateway.domain.webhooks import Endpoint
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

# Access tokens are stateless until their owner logs out: then their id is kept here until
# they would have expired anyway.
revoked_access_tokens = Table(
    "revoked_access_tokens",
    metadata,
    Column("token_id", UUID(as_uuid=True), primary_key=True),
    Column("expires_at", DateTime(timezone=True), nullable=False),
    Index("ix_revoked_access_tokens_expires_at", "expires_at"),
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

webhook_endpoints = Table(
    "webhook_endpoints",
    metadata,
    Column("id", UUID(as_uuid=True), primary_key=True),
    Column("url", String(2000), nullable=False),
    Column("event_types", ARRAY(String(50)), nullable=False),
    Column("description", String(500), nullable=False, server_default=""),
    Column("enabled", Boolean, nullable=False, server_default="true"),
    # Kept readable, not hashed: signing needs the key itself.
    Column("secret", String(100), nullable=False),
    Column("previous_secret", String(100), nullable=True),
    Column("previous_secret_expires_at", DateTime(timezone=True), nullable=True),
    Column("disabled_reason", String(500), nullable=True),
    Column("disabled_at", DateTime(timezone=True), nullable=True),
    Column("failing_since", DateTime(timezone=True), nullable=True),
    Column("created_by", UUID(as_uuid=True), nullable=True),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("updated_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Index("ix_webhook_endpoints_event_types", "event_types", postgresql_using="gin"),
)

webhook_messages = Table(
    "webhook_messages",
    metadata,
    Column("id", String(40), primary_key=True),
    Column("event_type", String(50), nullable=False),
    # The Kafka event it came from (none for test messages): a replay finds it taken.
    Column("event_id", UUID(as_uuid=True), nullable=True, unique=True),
    # The customer the message is about: a GDPR erasure deletes its messages.
    Column("contact_id", UUID(as_uuid=True), nullable=True, index=True),
    Column("occurred_at", DateTime(timezone=True), nullable=False),
    # The exact bytes every attempt sends, so retries and redeliveries are identical.
    Column("body", Text, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
)

webhook_deliveries = Table(
    "webhook_deliveries",
    metadata,
    Column("id", UUID(as_uuid=True), primary_key=True),
    Column(
        "endpoint_id",
        UUID(as_uuid=True),
        ForeignKey("webhook_endpoints.id", ondelete="CASCADE"),
        nullable=False,
    ),
    Column("message_id", String(40), ForeignKey("webhook_messages.id"), nullable=False),
    Column("status", String(20), nullable=False, server_default="pending"),
    Column("attempts", Integer, nullable=False, server_default="0"),
    Column("next_attempt_at", DateTime(timezone=True), nullable=True),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("finished_at", DateTime(timezone=True), nullable=True),
    Index(
        "ix_webhook_deliveries_due",
        "next_attempt_at",
        postgresql_where=text("status = 'pending'"),
    ),
    Index("ix_webhook_deliveries_endpoint_created", "endpoint_id", "created_at", "id"),
    Index("ix_webhook_deliveries_created_at", "created_at"),
    Index("ix_webhook_deliveries_message_id", "message_id"),
)

webhook_attempts = Table(
    "webhook_attempts",
    metadata,
    Column("id", BigInteger, Identity(), primary_key=True),
    Column(
        "delivery_id",
        UUID(as_uuid=True),
        ForeignKey("webhook_deliveries.id", ondelete="CASCADE"),
        nullable=False,
    ),
    Column("attempted_at", DateTime(timezone=True), nullable=False),
    Column("status_code", SmallInteger, nullable=True),
    Column("duration_ms", Integer, nullable=False),
    Column("response_body", Text, nullable=True),
    Column("error", String(1000), nullable=True),
    Index("ix_webhook_attempts_delivery_id", "delivery_id", "id"),
)


def start_mappers() -> None:
    if not mapper_registry.mappers:
        mapper_registry.map_imperatively(User, users)
        mapper_registry.map_imperatively(ApiKey, api_keys)
        mapper_registry.map_imperatively(Endpoint, webhook_endpoints)
