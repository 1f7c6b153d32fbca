"""Tables of contacts-service and the imperative mapping of the domain classes onto them."""

from __future__ import annotations

from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    ColumnElement,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    Numeric,
    PrimaryKeyConstraint,
    String,
    Table,
    Text,
    and_,
    event,
    func,
    literal_column,
    text,
)
from sqlalchemy.dialects.postgresql import ARRAY, JSONB, UUID
from sqlalchemy.orm import registry, relationship

from contacts.domain.contracts import Contract
from contacts.domain.custom_fields import CustomField
from contacts.domain.interactions import Interaction
from contacts.domain.model import Contact
from contacts.domain.orders import Order, OrderLine
from contacts.domain.products import Product
from contacts.domain.tasks import Task
from treue.db import make_metadata
from treue.runtime_settings import add_runtime_settings_table
from treue.tables import add_backbone_tables

# Searched by prefix (btree); the infix ones also by a word inside them (trigrams).
SEARCHABLE_COLUMNS = ("first_name", "last_name", "email", "company")
INFIX_COLUMNS = ("last_name", "company")

metadata = make_metadata()
backbone = add_backbone_tables(metadata)
runtime_settings = add_runtime_settings_table(metadata)
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
    Column("churn_reason", String(30)),
    Column("churn_note", Text),
    Column("churned_at", DateTime(timezone=True)),
    # Set by GDPR erasure: the row stays, without personal data, for the orders' figures.
    Column("erased_at", DateTime(timezone=True)),
    # Set on the duplicate a merge retired: it is gone from reads, its survivor is this one.
    Column("merged_into_id", UUID(as_uuid=True)),
    Column("version", Integer, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("updated_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    # Also the e-mail prefix search's index (migration 0018): text_pattern_ops, covering.
    Index(
        "uq_contacts_email_lower",
        func.lower(text("email")).label("email_lower"),
        unique=True,
        postgresql_ops={"email_lower": "text_pattern_ops"},
        postgresql_include=["email", "created_at", "id", "erased_at", "merged_into_id"],
    ),
    Index("uq_contacts_external_id", "external_id", unique=True),
    Index("ix_contacts_created_at_id", "created_at", "id"),
    # The contacts changed since the duplicate scan; the list sorted by last change.
    Index("ix_contacts_updated_at_id", "updated_at", "id"),
    Index("ix_contacts_tags", "tags", postgresql_using="gin"),
    Index("ix_contacts_lifecycle_stage", "lifecycle_stage"),
    Index("ix_contacts_owner_id", "owner_id"),
    # The custom-field filter is a JSONB containment (@>).
    Index(
        "ix_contacts_custom_fields",
        "custom_fields",
        postgresql_using="gin",
        postgresql_ops={"custom_fields": "jsonb_path_ops"},
    ),
    # A word of the search inside a last name or company (`ILIKE '%term%'`).
    *(
        Index(
            f"ix_contacts_{name}_trgm",
            name,
            postgresql_using="gin",
            postgresql_ops={name: "gin_trgm_ops"},
        )
        for name in INFIX_COLUMNS
    ),
)


def prefix_key(table: Any, name: str) -> ColumnElement[str]:
    """What a search word is a prefix of (`LIKE 'term%'`): a btree with text_pattern_ops
    on it (the database's collation is not C) serves the prefix as a range."""
    return func.lower(table.c[name])


def email_key(table: Any) -> ColumnElement[str]:
    """One mailbox however written: `Anna.Schmidt+crm@Example.de` is `anna.schmidt@example.de`."""
    return func.regexp_replace(func.lower(table.c.email), _const(r"\+[^@]*@"), _const("@"))


def phone_digits(table: Any) -> ColumnElement[str]:
    return func.regexp_replace(table.c.phone, _const(r"\D"), _const(""), _const("g"))


def phone_key(table: Any) -> ColumnElement[str]:
    """The last nine digits (as `duplicates.phone_digits`): `+49 30 1234567` and
    `030 1234567` are one number. Only numbers of six digits or more have one."""
    return func.right(phone_digits(table), _const(9))


def name_key(table: Any) -> ColumnElement[str]:
    """Soundex of the last name and the first name's initial: Schmidt/Schmitt and
    Müller/Mueller with the same initial share one."""
    initial = func.left(func.lower(table.c.first_name), _const(1))
    return func.soundex(table.c.last_name).concat(initial)


def company_key(table: Any) -> ColumnElement[str]:
    """Soundex of the last name within one company (any case): Meier/Meyer at one firm."""
    return func.lower(table.c.company).concat(_const("|")).concat(func.soundex(table.c.last_name))


def _const(value: str | int) -> ColumnElement[Any]:
    """Written into the statement, not bound: an expression index matches a query's
    expression only when its constants are constants in a generic plan too."""
    if isinstance(value, int):
        return literal_column(str(value), Integer)
    return literal_column("'" + value.replace("'", "''") + "'", Text)


def has_phone_key(table: Any) -> ColumnElement[bool]:
    return func.length(phone_digits(table)) >= _const(6)


# The duplicate blocks (see duplicates_repository): contacts are compared only with the
# contacts that share one of these keys with them.
for _name, _key, _where in (
    ("ix_contacts_email_key", email_key(contacts), contacts.c.email.isnot(None)),
    ("ix_contacts_phone_key", phone_key(contacts), has_phone_key(contacts)),
    ("ix_contacts_name_key", name_key(contacts), None),
    ("ix_contacts_company_key", company_key(contacts), contacts.c.company.isnot(None)),
):
    Index(_name, _key, postgresql_where=_where, _table=contacts)
# The e-mail's prefix search runs on the unique index (above), which also covers it.
for _column in (name for name in SEARCHABLE_COLUMNS if name != "email"):
    Index(
        f"ix_contacts_{_column}_prefix",
        prefix_key(contacts, _column).label(f"{_column}_prefix"),
        postgresql_ops={f"{_column}_prefix": "text_pattern_ops"},
        # Index-only scans of a search (the column itself: Postgres needs it to see that
        # lower(column) can come from the index).
        postgresql_include=[_column, "created_at", "id"],
        postgresql_where=and_(contacts.c.erased_at.is_(None), contacts.c.merged_into_id.is_(None)),
    )


def money(name: str, **kwargs: Any) -> Column[Any]:
    return Column(name, Numeric(14, 2), **kwargs)


interactions = Table(
    "interactions",
    metadata,
    Column("id", UUID(as_uuid=True), primary_key=True),
    Column("contact_id", UUID(as_uuid=True), ForeignKey("contacts.id"), nullable=False),
    Column("kind", String(20), nullable=False),
    Column("direction", String(20)),
    Column("channel", String(100)),
    Column("subject", String(500)),
    Column("body", Text),
    Column("occurred_at", DateTime(timezone=True), nullable=False),
    Column("sentiment", String(20)),
    money("cost"),
    Column("currency", String(3)),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    # The contact's interactions and timeline read newest first by this key.
    Index("ix_interactions_contact_occurred_at_id", "contact_id", "occurred_at", "id"),
)

products = Table(
    "products",
    metadata,
    Column("id", UUID(as_uuid=True), primary_key=True),
    Column("sku", String(100), nullable=False, unique=True),
    Column("name", String(300), nullable=False),
    money("price", nullable=False),
    money("unit_cost", nullable=False),
    Column("currency", String(3), nullable=False),
    Column("active", Boolean, nullable=False, server_default="true"),
    Column("version", Integer, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("updated_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
)

orders = Table(
    "orders",
    metadata,
    Column("id", UUID(as_uuid=True), primary_key=True),
    Column("contact_id", UUID(as_uuid=True), ForeignKey("contacts.id"), nullable=False),
    Column("external_id", String(200)),
    Column("ordered_at", DateTime(timezone=True), nullable=False),
    Column("currency", String(3), nullable=False),
    money("revenue", nullable=False),
    money("cost", nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    # Makes "the same external id records one order" hold under concurrent posts too.
    Index("uq_orders_external_id", "external_id", unique=True),
    Index("ix_orders_contact_ordered_at_id", "contact_id", "ordered_at", "id"),
    Index("ix_orders_ordered_at_id", "ordered_at", "id"),
)

order_lines = Table(
    "order_lines",
    metadata,
    Column(
        "order_id",
        UUID(as_uuid=True),
        ForeignKey("orders.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column("line_no", Integer, primary_key=True),
    Column("product_id", UUID(as_uuid=True), ForeignKey("products.id"), nullable=False),
    Column("sku", String(100), nullable=False),
    Column("quantity", Numeric(12, 3), nullable=False),
    money("unit_price", nullable=False),
    money("unit_cost", nullable=False),
    Index("ix_order_lines_product_id", "product_id"),
)


def timestamp(name: str) -> Column[Any]:
    return Column(name, DateTime(timezone=True), nullable=False, server_default=func.now())


contracts = Table(
    "contracts",
    metadata,
    Column("id", UUID(as_uuid=True), primary_key=True),
    Column("contact_id", UUID(as_uuid=True), ForeignKey("contacts.id"), nullable=False),
    Column("product_id", UUID(as_uuid=True), ForeignKey("products.id"), nullable=False),
    Column("start_date", Date, nullable=False),
    Column("end_date", Date, nullable=False),
    Column("notice_period_days", Integer, nullable=False),
    Column("auto_renew", Boolean, nullable=False),
    money("monthly_value", nullable=False),
    Column("currency", String(3), nullable=False),
    Column("status", String(20), nullable=False),
    Column("cancellation_reason", Text),
    Column("cancelled_at", DateTime(timezone=True)),
    Column("renewal_notified_for", Date),
    Column("version", Integer, nullable=False),
    timestamp("created_at"),
    timestamp("updated_at"),
    Index("ix_contracts_contact_created_at_id", "contact_id", "created_at", "id"),
    Index("ix_contracts_created_at_id", "created_at", "id"),
    # The renewal job looks for running contracts by end date.
    Index("ix_contracts_status_end_date", "status", "end_date"),
)

tasks = Table(
    "tasks",
    metadata,
    Column("id", UUID(as_uuid=True), primary_key=True),
    Column("contact_id", UUID(as_uuid=True), ForeignKey("contacts.id"), nullable=False),
    Column("title", String(300), nullable=False),
    Column("due_at", DateTime(timezone=True), nullable=False),
    Column("assignee_id", UUID(as_uuid=True)),
    Column("status", String(10), nullable=False),
    Column("origin", String(30), nullable=False),
    Column("source_key", String(200)),
    Column("title_code", String(30)),
    # SQL NULL, not JSON null, for tasks without a code.
    Column("title_params", JSONB(none_as_null=True)),
    Column("completed_at", DateTime(timezone=True)),
    Column("version", Integer, nullable=False),
    timestamp("created_at"),
    timestamp("updated_at"),
    # One automatic task per cause, also when an event is delivered twice.
    Index("uq_tasks_source_key", "source_key", unique=True),
    Index("ix_tasks_status_due_at_id", "status", "due_at", "id"),
    Index("ix_tasks_assignee_due_at_id", "assignee_id", "due_at", "id"),
    Index("ix_tasks_contact_due_at_id", "contact_id", "due_at", "id"),
    Index("ix_tasks_contact_created_at_id", "contact_id", "created_at", "id"),
)

# A copy of survey-service's NPS responses, for the timeline: the latest revision of each.
survey_responses = Table(
    "survey_responses",
    metadata,
    Column("response_id", UUID(as_uuid=True), primary_key=True),
    Column("survey_id", UUID(as_uuid=True), nullable=False),
    Column("contact_id", UUID(as_uuid=True), nullable=False),
    Column("score", Integer, nullable=False),
    Column("category", String(20), nullable=False),
    Column("comment", Text),
    Column("responded_at", DateTime(timezone=True), nullable=False),
    Column("channel", String(50), nullable=False),
    Column("revision", Integer, nullable=False),
    Column("recorded_at", DateTime(timezone=True), nullable=False),
    Index(
        "ix_survey_responses_contact_responded_at_id", "contact_id", "responded_at", "response_id"
    ),
)

# The copy of analytics' flags for the timeline: a churn risk crossing its threshold
# (`score`, `previous_score`, `drivers`) or an ABC class change (`previous_class`,
# `current_class`). The id is the event's, so a redelivered event is kept once.
analytics_flags = Table(
    "analytics_flags",
    metadata,
    Column("id", UUID(as_uuid=True), primary_key=True),
    Column("contact_id", UUID(as_uuid=True), ForeignKey("contacts.id"), nullable=False),
    Column("flag", String(20), nullable=False),
    Column("occurred_at", DateTime(timezone=True), nullable=False),
    Column("score", Float),
    Column("previous_score", Float),
    Column("drivers", ARRAY(String(40))),
    Column("previous_class", String(1)),
    Column("current_class", String(1)),
    timestamp("recorded_at"),
    Index("ix_analytics_flags_contact_occurred_at_id", "contact_id", "occurred_at", "id"),
)

# Each churn (with its reason and note) and each win-back of a contact: the contact row
# keeps only the current churn, the timeline shows them all.
lifecycle_changes = Table(
    "lifecycle_changes",
    metadata,
    Column("id", UUID(as_uuid=True), primary_key=True),
    Column("contact_id", UUID(as_uuid=True), ForeignKey("contacts.id"), nullable=False),
    Column("change", String(20), nullable=False),
    Column("reason", String(30)),
    Column("note", Text),
    Column("occurred_at", DateTime(timezone=True), nullable=False),
    timestamp("recorded_at"),
    Index("ix_lifecycle_changes_contact_occurred_at_id", "contact_id", "occurred_at", "id"),
)

# One row per import job (the job itself is in `jobs`): what is imported, and how far it got.
# `records_done` moves with each committed batch, so a restarted job goes on from there.
imports = Table(
    "imports",
    metadata,
    Column("job_id", UUID(as_uuid=True), primary_key=True),
    Column("kind", String(20), nullable=False),
    Column("format", String(10), nullable=False),
    Column("filename", String(300)),
    Column("size_bytes", BigInteger, nullable=False),
    Column("records_done", BigInteger, nullable=False, server_default="0"),
    Column("created", BigInteger, nullable=False, server_default="0"),
    Column("updated", BigInteger, nullable=False, server_default="0"),
    Column("skipped", BigInteger, nullable=False, server_default="0"),
    Column("failed", BigInteger, nullable=False, server_default="0"),
    Column("created_by_name", String(200)),
    timestamp("created_at"),
    Index("ix_imports_created_at_job_id", "created_at", "job_id"),
)

# The uploaded file, in chunks: any replica's job runner can read it, and none holds it whole.
import_chunks = Table(
    "import_chunks",
    metadata,
    Column(
        "job_id",
        UUID(as_uuid=True),
        ForeignKey("imports.job_id", ondelete="CASCADE"),
        nullable=False,
    ),
    Column("seq", Integer, nullable=False),
    Column("data", LargeBinary, nullable=False),
    PrimaryKeyConstraint("job_id", "seq"),
)

import_errors = Table(
    "import_errors",
    metadata,
    Column(
        "job_id",
        UUID(as_uuid=True),
        ForeignKey("imports.job_id", ondelete="CASCADE"),
        nullable=False,
    ),
    Column("row", BigInteger, nullable=False),
    Column("field", String(200), nullable=False),
    Column("message", Text, nullable=False),
    Column("code", String(50), nullable=False, server_default="invalid"),
    Column("ctx", JSONB(none_as_null=True)),
    PrimaryKeyConstraint("job_id", "row"),
)

# Segment memberships learned from analytics' segment.changed events (event-carried state:
# nobody asks analytics who is in a segment). A row per contact and segment keeps the
# latest change, so an older event arriving late changes nothing.
contact_segments = Table(
    "contact_segments",
    metadata,
    Column("segment_id", UUID(as_uuid=True), nullable=False),
    Column("contact_id", UUID(as_uuid=True), nullable=False),
    Column("member", Boolean, nullable=False),
    Column("changed_at", DateTime(timezone=True), nullable=False),
    PrimaryKeyConstraint("segment_id", "contact_id"),
    Index("ix_contact_segments_contact_id", "contact_id"),
)

# Likely duplicates found by the scan job over the whole base, so the list of a big base is
# read, not computed (at 1M contacts the comparison takes minutes). `rank` orders them as
# the live comparison does. `duplicate_scan` holds the job's watermark: contacts changed
# since `scanned_through` are compared live when the list is read.
duplicate_pairs = Table(
    "duplicate_pairs",
    metadata,
    Column("first_id", UUID(as_uuid=True), nullable=False),
    Column("second_id", UUID(as_uuid=True), nullable=False),
    Column("shared", Boolean, nullable=False),
    Column("name_similarity", Float, nullable=False),
    Column("company_similarity", Float, nullable=True),
    Column("rank", Float, nullable=False),
    PrimaryKeyConstraint("first_id", "second_id"),
    Index("ix_duplicate_pairs_second_id", "second_id"),
)
Index(
    "ix_duplicate_pairs_rank",
    duplicate_pairs.c.rank.desc(),
    duplicate_pairs.c.first_id,
    duplicate_pairs.c.second_id,
)

duplicate_scan = Table(
    "duplicate_scan",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("scanned_through", DateTime(timezone=True), nullable=False),
    Column("pairs", Integer, nullable=False),
    timestamp("finished_at"),
)

custom_fields = Table(
    "custom_fields",
    metadata,
    Column("key", String(50), primary_key=True),
    Column("label", String(200), nullable=False),
    Column("type", String(20), nullable=False),
    Column("required", Boolean, nullable=False),
    Column("options", JSONB, nullable=False, server_default=text("'[]'::jsonb")),
    Column("version", Integer, nullable=False),
    timestamp("created_at"),
    timestamp("updated_at"),
)


def start_mappers() -> None:
    if mapper_registry.mappers:
        return
    mapper_registry.map_imperatively(Contact, contacts)
    mapper_registry.map_imperatively(Interaction, interactions)
    mapper_registry.map_imperatively(Product, products)
    mapper_registry.map_imperatively(OrderLine, order_lines)
    mapper_registry.map_imperatively(Contract, contracts)
    mapper_registry.map_imperatively(Task, tasks)
    mapper_registry.map_imperatively(CustomField, custom_fields)
    mapper_registry.map_imperatively(
        Order,
        orders,
        properties={
            # An order is never used without its lines, and async code must not lazy-load:
            # "selectin" loads the lines of a whole page of orders in one more query.
            "lines": relationship(
                OrderLine, lazy="selectin", order_by=order_lines.c.line_no, cascade="all"
            )
        },
    )


@event.listens_for(Contact, "load")
@event.listens_for(Interaction, "load")
@event.listens_for(Product, "load")
@event.listens_for(Order, "load")
@event.listens_for(Contract, "load")
@event.listens_for(Task, "load")
def _init_events(
    aggregate: Contact | Interaction | Product | Order | Contract | Task, _context: Any
) -> None:
    # Loading bypasses __init__, so the list of pending domain events needs creating here.
    aggregate.events = []
