"""analytics-service's read model: its own copy of what the other services told it."""

from __future__ import annotations

from sqlalchemy import Column, DateTime, Index, Integer, Numeric, String, Table, func
from sqlalchemy.dialects.postgresql import ARRAY, UUID

from treue.db import make_metadata
from treue.tables import add_backbone_tables

metadata = make_metadata()
backbone = add_backbone_tables(metadata)

customers = Table(
    "customers",
    metadata,
    Column("contact_id", UUID(as_uuid=True), primary_key=True),
    Column("contact_version", Integer, nullable=False),
    Column("first_name", String(100), nullable=False),
    Column("last_name", String(100), nullable=False),
    Column("email", String(320)),
    Column("company", String(200)),
    Column("language", String(2), nullable=False),
    Column("lifecycle_stage", String(20), nullable=False),
    Column("tags", ARRAY(String(50)), nullable=False, server_default="{}"),
    Column("acquisition_channel", String(100)),
    Column("acquisition_cost", Numeric(14, 2)),
    Column("became_contact_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Index("ix_customers_became_contact_at", "became_contact_at", "contact_id"),
)
