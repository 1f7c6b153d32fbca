"""Tables of contacts-service and the imperative mapping of the domain classes onto them."""

from __future__ import annotations

from typing import Any

from sqlalchemy import (
    Boolean,
    Column,
    DateTime,
    Index,
    Integer,
    Numeric,
    String,
    Table,
    event,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import ARRAY, JSONB, UUID
from sqlalchemy.orm import registry

from contacts.domain.model import Contact
from treue.db import make_metadata
from treue.tables import add_backbone_tables

metadata = make_metadata()
backbone = add_backbone_tables(metadata)
mapper_registry = registry(metadata=metadata)

contacts = Table(
    "contacts",
    metadata,
    Column("id", UUID(as_uuid=True), primary_key=True),
    Column("first_name", String(100), nullable=False),
    Column("last_name", String(100), nullable=False),
    Column("email", String(320)),
    Column("phone", String(50)),
    Column("company", String(200)),
    Column("language", String(2), nullable=False),
    Column("tags", ARRAY(String(50)), nullable=False, server_default="{}"),
    Column("custom_fields", JSONB, nullable=False, server_default=text("'{}'::jsonb")),
    Column("lifecycle_stage", String(20), nullable=False),
    Column("owner_id", UUID(as_uuid=True)),
    Column("marketing_consent", Boolean, nullable=False, server_default="false"),
    Column("marketing_consent_at", DateTime(timezone=True)),
    Column("acquisition_channel", String(100)),
    Column("acquisition_cost", Numeric(14, 2)),
    Column("external_id", String(200)),
    Column("version", Integer, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("updated_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Index("uq_contacts_email_lower", func.lower(text("email")), unique=True),
    Index("uq_contacts_external_id", "external_id", unique=True),
    Index("ix_contacts_created_at_id", "created_at", "id"),
    Index("ix_contacts_tags", "tags", postgresql_using="gin"),
    Index("ix_contacts_lifecycle_stage", "lifecycle_stage"),
    Index("ix_contacts_owner_id", "owner_id"),
    *(
        Index(
            f"ix_contacts_{name}_trgm",
            name,
            postgresql_using="gin",
            postgresql_ops={name: "gin_trgm_ops"},
        )
        for name in ("first_name", "last_name", "email", "company")
    ),
)


def start_mappers() -> None:
    if mapper_registry.mappers:
        return
    mapper_registry.map_imperatively(Contact, contacts)


@event.listens_for(Contact, "load")
def _init_events(contact: Contact, _context: Any) -> None:
    # Loading bypasses __init__, so the list of pending domain events needs creating here.
    contact.events = []
