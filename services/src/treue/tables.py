"""Tables of the event backbone that live in every service's own database.

Each service calls `add_backbone_tables(metadata)` on its metadata; its first migration
creates them with `treue.migration_ops.create_backbone_tables_v1`.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import (
    BigInteger,
    Column,
    DateTime,
    Float,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB, UUID


@dataclass(frozen=True)
class BackboneTables:
    outbox: Table
    inbox: Table
    dead_letters: Table
    idempotency_keys: Table
    jobs: Table


def add_backbone_tables(metadata: MetaData) -> BackboneTables:
    outbox = Table(
        "outbox",
        metadata,
        Column("id", BigInteger, primary_key=True, autoincrement=True),
        Column("event_id", UUID(as_uuid=True), nullable=False, unique=True),
        Column("topic", String(200), nullable=False),
        Column("event_type", String(200), nullable=False),
        Column("source", String(100), nullable=False),
        Column("subject", String(200)),
        Column("occurred_at", DateTime(timezone=True), nullable=False),
        Column("data", JSONB, nullable=False),
        Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
        Column("sent_at", DateTime(timezone=True)),
        Index("ix_outbox_pending", "id", postgresql_where=text("sent_at IS NULL")),
        Index("ix_outbox_sent_at", "sent_at", postgresql_where=text("sent_at IS NOT NULL")),
    )
    inbox = Table(
        "inbox",
        metadata,
        Column("seq", BigInteger, primary_key=True, autoincrement=True),
        Column("event_id", UUID(as_uuid=True), nullable=False, unique=True),
        Column("event_type", String(200), nullable=False),
        Column("subject", String(200)),
        Column("topic", String(200), nullable=False),
        Column("partition", Integer, nullable=False),
        Column("offset", BigInteger, nullable=False),
        Column("handled_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
        Index("ix_inbox_subject", "subject"),
    )
    dead_letters = Table(
        "dead_letters",
        metadata,
        Column("id", BigInteger, primary_key=True, autoincrement=True),
        Column("topic", String(200), nullable=False),
        Column("partition", Integer, nullable=False),
        Column("offset", BigInteger, nullable=False),
        Column("event_id", String(100)),
        Column("event_type", String(200)),
        Column("key", LargeBinary),
        Column("headers", JSONB, nullable=False),
        Column("value", LargeBinary),
        Column("error", Text, nullable=False),
        Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
        Index("uq_dead_letters_position", "topic", "partition", "offset", unique=True),
    )
    idempotency_keys = Table(
        "idempotency_keys",
        metadata,
        Column("scope", String(300), primary_key=True),
        Column("request_hash", String(64), nullable=False),
        Column("status_code", Integer),
        Column("content_type", String(100)),
        Column("body", LargeBinary),
        Column("locked_until", DateTime(timezone=True)),
        Column("committed_at", DateTime(timezone=True)),
        Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
        Index("ix_idempotency_keys_created_at", "created_at"),
    )
    jobs = Table(
        "jobs",
        metadata,
        Column("id", UUID(as_uuid=True), primary_key=True),
        Column("kind", String(100), nullable=False),
        Column("status", String(20), nullable=False, server_default="queued"),
        Column("progress", Float, nullable=False, server_default="0"),
        Column("params", JSONB, nullable=False, server_default=text("'{}'::jsonb")),
        Column("result", JSONB),
        Column("error", Text),
        Column("created_by", String(200)),
        Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
        Column("started_at", DateTime(timezone=True)),
        Column("finished_at", DateTime(timezone=True)),
        Column("heartbeat_at", DateTime(timezone=True)),
        Index("ix_jobs_queued", "created_at", postgresql_where=text("status = 'queued'")),
    )
    return BackboneTables(outbox, inbox, dead_letters, idempotency_keys, jobs)
