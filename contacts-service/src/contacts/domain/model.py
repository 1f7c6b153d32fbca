"""The contact aggregate: plain Python, no FastAPI, no SQLAlchemy."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any

from uuid_utils.compat import uuid7

from contacts.domain.rules import RuleViolated, StateConflict


class LifecycleStage(StrEnum):
    LEAD = "lead"
    CUSTOMER = "customer"
    CHURNED = "churned"


class ChurnReason(StrEnum):
    PRICE = "price"
    SERVICE = "service"
    PRODUCT_FIT = "product_fit"
    COMPETITOR = "competitor"
    MOVED_OR_CLOSED = "moved_or_closed"
    NO_NEED = "no_need"
    OTHER = "other"


class Language(StrEnum):
    DE = "de"
    EN = "en"


class ContactRuleViolated(RuleViolated):
    """A rule of the contact aggregate refused a value."""


@dataclass(frozen=True)
class ContactCreated:
    contact: Contact


@dataclass(frozen=True)
class ContactUpdated:
    contact: Contact
    changed_fields: tuple[str, ...]


@dataclass(frozen=True)
class CustomerChurned:
    contact: Contact
    reason: str
    note: str
    churned_at: datetime


@dataclass(frozen=True)
class CustomerWonBack:
    contact: Contact
    reason: str | None
    churned_at: datetime | None
    won_back_at: datetime


@dataclass(frozen=True)
class ContactErased:
    contact: Contact
    erased_at: datetime


@dataclass(frozen=True)
class ContactMerged:
    contact: Contact
    duplicate_id: uuid.UUID
    merged_at: datetime


DomainEvent = (
    ContactCreated
    | ContactUpdated
    | CustomerChurned
    | CustomerWonBack
    | ContactErased
    | ContactMerged
)
# What a merge fills in on the survivor where it has nothing and the duplicate has a value.
MERGE_FILLS = (
    "first_name",
    "last_name",
    "email",
    "phone",
    "company",
    "owner_id",
    "acquisition_channel",
    "acquisition_cost",
    "external_id",
)

EDITABLE_FIELDS = (
    "first_name",
    "last_name",
    "email",
    "phone",
    "company",
    "language",
    "tags",
    "custom_fields",
    "lifecycle_stage",
    "owner_id",
    "marketing_consent",
    "acquisition_channel",
    "acquisition_cost",
    "external_id",
)


def normalize_tags(tags: list[str]) -> list[str]:
    """Trimmed, lower-case, without duplicates, in the order given."""
    seen: dict[str, None] = {}
    for tag in tags:
        cleaned = tag.strip().lower()
        if cleaned:
            seen.setdefault(cleaned, None)
    return list(seen)


@dataclass(eq=False)
class Contact:
    id: uuid.UUID
    first_name: str
    last_name: str
    email: str | None
    phone: str | None
    company: str | None
    language: str
    tags: list[str]
    custom_fields: dict[str, Any]
    lifecycle_stage: str
    owner_id: uuid.UUID | None
    marketing_consent: bool
    marketing_consent_at: datetime | None
    acquisition_channel: str | None
    acquisition_cost: Decimal | None
    external_id: str | None
    churn_reason: str | None
    churn_note: str | None
    churned_at: datetime | None
    erased_at: datetime | None
    merged_into_id: uuid.UUID | None
    version: int
    created_at: datetime
    updated_at: datetime
    events: list[DomainEvent] = field(default_factory=list, repr=False)

    @classmethod
    def create(cls, now: datetime, **details: Any) -> Contact:
        contact = cls(**new_contact_fields(now, details))
        contact.events.append(ContactCreated(contact))
        return contact

    def update(self, now: datetime, changes: dict[str, Any]) -> None:
        """An edit by a user or a system. Churn needs its reason and win-back is a decision
        of its own, so neither can be made by editing the lifecycle stage."""
        stage = changes.get("lifecycle_stage", self.lifecycle_stage)
        if stage != self.lifecycle_stage and LifecycleStage.CHURNED in (
            stage,
            self.lifecycle_stage,
        ):
            raise ContactRuleViolated(
                "lifecycle_stage",
                "churned is set by POST /api/v1/contacts/{id}/churn (with a reason) and left by"
                " POST /api/v1/contacts/{id}/win-back",
            )
        self._change(now, changes)

    def _change(self, now: datetime, changes: dict[str, Any]) -> None:
        unknown = set(changes) - set(EDITABLE_FIELDS)
        if unknown:
            raise ContactRuleViolated(sorted(unknown)[0], "cannot be changed", "not_changeable")
        if "tags" in changes:
            changes = {**changes, "tags": normalize_tags(changes["tags"] or [])}
        changed = tuple(
            name
            for name in EDITABLE_FIELDS
            if name in changes and getattr(self, name) != changes[name]
        )
        if not changed:
            return
        if "marketing_consent" in changed:
            self.marketing_consent_at = now if changes["marketing_consent"] else None
        for name in changed:
            setattr(self, name, changes[name])
        self._check()
        self.version += 1
        self.updated_at = now
        self.events.append(ContactUpdated(self, changed))

    def record_purchase(self, now: datetime) -> None:
        """A lead who buys is a customer. A churned contact stays churned: winning them
        back is a decision someone makes on purpose (win-back), not a side effect."""
        if self.lifecycle_stage == LifecycleStage.LEAD:
            self.update(now, {"lifecycle_stage": LifecycleStage.CUSTOMER})

    def churn(
        self, now: datetime, reason: str, note: str, churned_at: datetime | None = None
    ) -> None:
        """Marks the customer as lost, with why: a reason code and a note are required.
        `churned_at` is when it happened, if that was before now (recorded later)."""
        if reason not in set(ChurnReason):
            raise ContactRuleViolated("reason", f"must be one of {', '.join(ChurnReason)}")
        if not note.strip():
            raise ContactRuleViolated("note", "must not be empty", "not_empty")
        when = churned_at or now
        if when > now:
            raise ContactRuleViolated("churned_at", "must not be in the future")
        if self.lifecycle_stage == LifecycleStage.CHURNED:
            raise StateConflict(f"contact {self.id} is churned already")
        self._change(now, {"lifecycle_stage": LifecycleStage.CHURNED})
        self.churn_reason, self.churn_note, self.churned_at = reason, note.strip(), when
        self.events.append(CustomerChurned(self, reason, self.churn_note, when))

    def win_back(self, now: datetime) -> None:
        """A churned contact is a customer again; the churn's reason stays for the record."""
        if self.lifecycle_stage != LifecycleStage.CHURNED:
            raise StateConflict(f"contact {self.id} is not churned")
        self._change(now, {"lifecycle_stage": LifecycleStage.CUSTOMER})
        self.events.append(CustomerWonBack(self, self.churn_reason, self.churned_at, now))

    def erase(self, now: datetime) -> bool:
        """GDPR erasure: everything that identifies the person goes; what only counts
        (stage, churn reason, acquisition channel and cost, language) stays for the
        aggregates, tied to no one. False when the contact was erased already."""
        if self.erased_at is not None:
            return False
        self.first_name = self.last_name = ""
        self.email = self.phone = self.company = self.external_id = self.churn_note = None
        self.tags, self.custom_fields = [], {}
        self.marketing_consent, self.marketing_consent_at = False, None
        self.erased_at = self.updated_at = now
        self.version += 1
        self.events.append(ContactErased(self, now))
        return True

    def merge_changes(self, duplicate: Contact) -> dict[str, Any]:
        """What the survivor takes from the duplicate: the values it lacks, the duplicate's
        tags and custom fields (its own win), and `customer` over `lead`."""
        if duplicate.id == self.id:
            raise ContactRuleViolated("duplicate_id", "is the contact itself")
        changes: dict[str, Any] = {
            name: getattr(duplicate, name)
            for name in MERGE_FILLS
            if getattr(self, name) in (None, "") and getattr(duplicate, name) not in (None, "")
        }
        tags = normalize_tags([*self.tags, *duplicate.tags])
        if tags != self.tags:
            changes["tags"] = tags
        custom_fields = {**duplicate.custom_fields, **self.custom_fields}
        if custom_fields != self.custom_fields:
            changes["custom_fields"] = custom_fields
        if self.lifecycle_stage == LifecycleStage.LEAD and duplicate.lifecycle_stage in (
            LifecycleStage.CUSTOMER,
            LifecycleStage.CHURNED,
        ):
            changes["lifecycle_stage"] = duplicate.lifecycle_stage
        if self.merge_churn(duplicate) is not None:
            changes["lifecycle_stage"] = LifecycleStage.CHURNED
        return changes

    def merge_churn(self, duplicate: Contact) -> tuple[str | None, str | None, datetime] | None:
        """The duplicate's churn (reason, note, when) when the survivor takes it: the most
        recent lifecycle state of the two wins. A lead takes it; a customer takes it when
        the churn happened after the customer's record last changed (no better date of its
        stage is kept); a churned survivor takes the later of the two churns. A churned
        survivor never turns customer by a merge: win-back is a decision of its own."""
        churned_at = duplicate.churned_at
        if duplicate.lifecycle_stage != LifecycleStage.CHURNED or churned_at is None:
            return None
        if self.lifecycle_stage == LifecycleStage.CUSTOMER and churned_at <= self.updated_at:
            return None
        if self.lifecycle_stage == LifecycleStage.CHURNED and (
            self.churned_at is not None and churned_at <= self.churned_at
        ):
            return None
        return duplicate.churn_reason, duplicate.churn_note, churned_at

    def retire_into(self, survivor_id: uuid.UUID, now: datetime) -> None:
        """The duplicate's end: it points to its survivor and lets go of its e-mail and
        external id, which are unique and may move to the survivor."""
        self.merged_into_id = survivor_id
        self.email = self.external_id = None
        self.version += 1
        self.updated_at = now

    def absorb(
        self,
        duplicate_id: uuid.UUID,
        changes: dict[str, Any],
        now: datetime,
        churn: tuple[str | None, str | None, datetime] | None = None,
    ) -> None:
        """Takes the merge's changes and, with a churn the survivor takes (`merge_churn`),
        its reason, note and time. No customer.churned: the churn was announced for the
        duplicate, and contact.merged tells consumers to move it to the survivor."""
        version = self.version
        self._change(now, changes)
        if churn is not None:
            self.churn_reason, self.churn_note, self.churned_at = churn
            if self.version == version:
                self.version += 1
                self.updated_at = now
        self.events.append(ContactMerged(self, duplicate_id, now))

    def pull_events(self) -> list[DomainEvent]:
        events, self.events = self.events, []
        return events

    def _check(self) -> None:
        _check_fields(self.first_name, self.last_name, self.acquisition_cost)


def new_contact_fields(now: datetime, details: dict[str, Any]) -> dict[str, Any]:
    """Every field of a new contact, checked. `Contact.create` builds the aggregate from
    them; a bulk import writes them as plain rows (thousands of aggregates with their
    events would cost more than the writing), and emits contact.created for each row."""
    if details.get("lifecycle_stage") == LifecycleStage.CHURNED:
        # A churn needs its reason; a contact cannot start out churned without one.
        raise ContactRuleViolated(
            "lifecycle_stage",
            "a new contact cannot be churned; record the churn with its reason by"
            " POST /api/v1/contacts/{id}/churn",
        )
    marketing_consent = bool(details.get("marketing_consent"))
    fields = {
        # Time-ordered (UUIDv7), so that an import appends to `pk_contacts` instead of
        # touching a random page of it per row; also cheaper to make than a UUIDv4.
        "id": uuid7(),
        "first_name": details["first_name"],
        "last_name": details["last_name"],
        "email": details.get("email"),
        "phone": details.get("phone"),
        "company": details.get("company"),
        "language": details.get("language") or Language.DE,
        "tags": normalize_tags(details.get("tags") or []),
        "custom_fields": details.get("custom_fields") or {},
        "lifecycle_stage": details.get("lifecycle_stage") or LifecycleStage.LEAD,
        "owner_id": details.get("owner_id"),
        "marketing_consent": marketing_consent,
        "marketing_consent_at": now if marketing_consent else None,
        "acquisition_channel": details.get("acquisition_channel"),
        "acquisition_cost": details.get("acquisition_cost"),
        "external_id": details.get("external_id"),
        "churn_reason": None,
        "churn_note": None,
        "churned_at": None,
        "erased_at": None,
        "merged_into_id": None,
        "version": 1,
        "created_at": now,
        "updated_at": now,
    }
    _check_fields(fields["first_name"], fields["last_name"], fields["acquisition_cost"])
    return fields


def _check_fields(first_name: str, last_name: str, acquisition_cost: Decimal | None) -> None:
    if not first_name.strip() and not last_name.strip():
        raise ContactRuleViolated("last_name", "a contact needs a first or a last name")
    if acquisition_cost is not None and acquisition_cost < 0:
        raise ContactRuleViolated(
            "acquisition_cost", "must not be negative", "greater_than_equal", {"ge": 0}
        )
