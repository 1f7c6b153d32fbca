"""Tables of survey-service and the imperative mapping of the domain classes onto them."""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    SmallInteger,
    String,
    Table,
    Text,
    UniqueConstraint,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import ARRAY, JSONB, UUID
from sqlalchemy.orm import registry

from survey.domain.model import FeedbackCase, Invitation, Response, Survey
from treue.db import make_metadata
from treue.runtime_settings import add_runtime_settings_table
from treue.tables import add_backbone_tables

metadata = make_metadata()
backbone = add_backbone_tables(metadata)
runtime_settings = add_runtime_settings_table(metadata)
mapper_registry = registry(metadata=metadata)


def _timestamp(name: str, nullable: bool = False) -> Column[object]:
    return Column(name, DateTime(timezone=True), nullable=nullable)


# The copy of contacts-service's contacts that invitations need (kept from its events).
contacts = Table(
    "contacts",
    metadata,
    Column("id", UUID(as_uuid=True), primary_key=True),
    Column("first_name", String(100), nullable=False),
    Column("email", String(320)),
    Column("language", String(2), nullable=False),
    Column("tags", ARRAY(String(50)), nullable=False, server_default="{}"),
    Column("version", Integer, nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
)

surveys = Table(
    "surveys",
    metadata,
    Column("id", UUID(as_uuid=True), primary_key=True),
    Column("name", String(200), nullable=False),
    Column("question", JSONB, nullable=False),
    Column("follow_up_question", JSONB, nullable=False),
    Column("quiet_period_days", Integer, nullable=False),
    Column("active", Boolean, nullable=False),
    _timestamp("created_at"),
    _timestamp("updated_at"),
    Column("reminder_after_days", Integer, nullable=False, server_default="5"),
    Column("max_reminders", Integer, nullable=False, server_default="1"),
    Column("after_order_days", Integer),
    Column("before_renewal_days", Integer),
    Index("ix_surveys_created_at_id", "created_at", "id"),
)

invitations = Table(
    "invitations",
    metadata,
    Column("id", UUID(as_uuid=True), primary_key=True),
    Column("survey_id", UUID(as_uuid=True), ForeignKey("surveys.id"), nullable=False),
    Column("contact_id", UUID(as_uuid=True), nullable=False),
    Column("token", String(100), nullable=False, unique=True),
    Column("channel", String(10), nullable=False),
    _timestamp("created_at"),
    _timestamp("expires_at"),
    Column("reminders_sent", Integer, nullable=False, server_default="0"),
    # The quiet period looks up a contact's latest invitation.
    Index("ix_invitations_contact_id_created_at", "contact_id", "created_at"),
    Index("ix_invitations_survey_id_created_at_id", "survey_id", "created_at", "id"),
    Index(
        "ix_invitations_email_created_at", "created_at", postgresql_where=text("channel = 'email'")
    ),
)

responses = Table(
    "responses",
    metadata,
    Column("id", UUID(as_uuid=True), primary_key=True),
    Column("survey_id", UUID(as_uuid=True), ForeignKey("surveys.id"), nullable=False),
    Column("contact_id", UUID(as_uuid=True), nullable=False),
    Column("invitation_id", UUID(as_uuid=True), ForeignKey("invitations.id"), unique=True),
    Column("score", SmallInteger, nullable=False),
    Column("category", String(10), nullable=False),
    Column("comment", Text),
    _timestamp("responded_at"),
    Column("external_id", String(200)),
    Column("channel", String(10), nullable=False),
    Column("revision", Integer, nullable=False),
    _timestamp("created_at"),
    _timestamp("updated_at"),
    # One response per external id and survey, also under concurrent posts.
    UniqueConstraint("survey_id", "external_id", name="uq_responses_survey_id_external_id"),
    # NPS per survey and period, and the response list, read by this key.
    Index("ix_responses_survey_id_responded_at_id", "survey_id", "responded_at", "id"),
    Index("ix_responses_responded_at", "responded_at"),
    Index("ix_responses_contact_id_responded_at", "contact_id", "responded_at"),
)

feedback_cases = Table(
    "feedback_cases",
    metadata,
    Column("id", UUID(as_uuid=True), primary_key=True),
    Column("contact_id", UUID(as_uuid=True), nullable=False),
    Column("survey_id", UUID(as_uuid=True), ForeignKey("surveys.id"), nullable=False),
    Column(
        "response_id", UUID(as_uuid=True), ForeignKey("responses.id"), nullable=False, unique=True
    ),
    Column("status", String(20), nullable=False),
    Column("owner_id", UUID(as_uuid=True)),
    _timestamp("due_at"),
    Column("resolution_note", Text),
    _timestamp("created_at"),
    _timestamp("updated_at"),
    _timestamp("resolved_at", nullable=True),
    Index("ix_feedback_cases_created_at_id", "created_at", "id"),
    Index("ix_feedback_cases_status_due_at", "status", "due_at"),
    Index("ix_feedback_cases_owner_id", "owner_id"),
)


# Mails to send, written in the transaction that creates the invitation (an outbox for
# e-mail): an acknowledged invitation never loses its mail. The sender claims rows with
# FOR UPDATE SKIP LOCKED, so no mail is sent by two replicas at once.
mail_queue = Table(
    "mail_queue",
    metadata,
    Column("id", UUID(as_uuid=True), primary_key=True),
    Column("invitation_id", UUID(as_uuid=True), ForeignKey("invitations.id"), nullable=False),
    Column("contact_id", UUID(as_uuid=True), nullable=False),
    Column("kind", String(20), nullable=False),
    Column("recipient", String(320), nullable=False),
    Column("subject", String(300), nullable=False),
    Column("text_body", Text, nullable=False),
    Column("html_body", Text, nullable=False),
    Column("status", String(10), nullable=False),
    Column("attempts", Integer, nullable=False, server_default="0"),
    _timestamp("next_attempt_at"),
    Column("last_error", Text),
    _timestamp("created_at"),
    _timestamp("sent_at", nullable=True),
    Index(
        "ix_mail_queue_next_attempt_at",
        "next_attempt_at",
        postgresql_where=text("status = 'queued'"),
    ),
    Index("ix_mail_queue_contact_id", "contact_id"),
    Index("ix_mail_queue_invitation_id", "invitation_id"),
)


# Automatic invitations (after an order, before a renewal) waiting for their day; the
# unique key makes a redelivered or replayed event schedule nothing twice.
scheduled_invitations = Table(
    "scheduled_invitations",
    metadata,
    Column("id", UUID(as_uuid=True), primary_key=True),
    Column("survey_id", UUID(as_uuid=True), ForeignKey("surveys.id"), nullable=False),
    Column("contact_id", UUID(as_uuid=True), nullable=False),
    Column("reason", String(10), nullable=False),
    Column("source_id", UUID(as_uuid=True), nullable=False),
    _timestamp("due_at"),
    Column("status", String(10), nullable=False),
    Column("outcome", String(20)),
    Column("invitation_id", UUID(as_uuid=True), ForeignKey("invitations.id")),
    _timestamp("created_at"),
    _timestamp("processed_at", nullable=True),
    UniqueConstraint(
        "survey_id", "reason", "source_id", name="uq_scheduled_invitations_survey_reason_source"
    ),
    Index("ix_scheduled_invitations_due_at", "due_at", postgresql_where=text("status = 'pending'")),
    Index("ix_scheduled_invitations_contact_id", "contact_id"),
    Index("ix_scheduled_invitations_invitation_id", "invitation_id"),
)


# Who is in which saved segment, kept from analytics-service's segment.changed events; a
# left member stays as a row with member = false, so a late, older event changes nothing.
segment_members = Table(
    "segment_members",
    metadata,
    Column("segment_id", UUID(as_uuid=True), primary_key=True),
    Column("contact_id", UUID(as_uuid=True), primary_key=True),
    Column("member", Boolean, nullable=False),
    _timestamp("changed_at"),
    Index("ix_segment_members_contact_id", "contact_id"),
)


def _nps_counts(name: str, *group: Column[object]) -> Table:
    """Answers per UTC day and category, kept by the triggers of migration 0008."""
    return Table(
        name,
        metadata,
        *group,
        Column("survey_id", UUID(as_uuid=True), primary_key=True),
        Column("day", Date, primary_key=True),
        Column("category", String(10), primary_key=True),
        Column("n", BigInteger, nullable=False),
    )


nps_daily = _nps_counts("nps_daily")
nps_daily_by_tag = _nps_counts("nps_daily_by_tag", Column("tag", String(50), primary_key=True))
nps_daily_by_segment = _nps_counts(
    "nps_daily_by_segment", Column("segment_id", UUID(as_uuid=True), primary_key=True)
)

# Who was erased (GDPR): a late or replayed contact event must not bring the person back.
erased_contacts = Table(
    "erased_contacts",
    metadata,
    Column("contact_id", UUID(as_uuid=True), primary_key=True),
    _timestamp("erased_at"),
)


def start_mappers() -> None:
    if mapper_registry.mappers:
        return
    mapper_registry.map_imperatively(Survey, surveys)
    mapper_registry.map_imperatively(Invitation, invitations)
    mapper_registry.map_imperatively(Response, responses)
    mapper_registry.map_imperatively(FeedbackCase, feedback_cases)
