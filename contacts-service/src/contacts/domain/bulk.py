"""One change applied to many contacts at once: a tag added or removed, an owner or a
lifecycle stage set. Each contact changes through its own aggregate, so the rules of a
single edit hold (no churn by editing the stage) and each change is its own event."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any

from contacts.domain.model import Contact, ContactRuleViolated, LifecycleStage, normalize_tags

# The refusals a result names one by one; the rest are counted.
KEEP_EXAMPLES = 50


class BulkActionKind(StrEnum):
    ADD_TAG = "add_tag"
    REMOVE_TAG = "remove_tag"
    SET_OWNER = "set_owner"
    SET_LIFECYCLE_STAGE = "set_lifecycle_stage"


class Outcome(StrEnum):
    CHANGED = "changed"
    UNCHANGED = "unchanged"
    SKIPPED = "skipped"


@dataclass(frozen=True)
class BulkAction:
    kind: BulkActionKind
    tag: str | None = None
    owner_id: uuid.UUID | None = None
    lifecycle_stage: str | None = None

    @classmethod
    def checked(
        cls,
        kind: BulkActionKind,
        *,
        tag: str | None = None,
        owner_id: uuid.UUID | None = None,
        lifecycle_stage: str | None = None,
        owner_given: bool = False,
    ) -> BulkAction:
        """The action with the one value its kind needs; a missing value names its field.
        `owner_given`: set_owner needs `owner_id` sent, null clearing the owner."""
        if kind in (BulkActionKind.ADD_TAG, BulkActionKind.REMOVE_TAG):
            cleaned = normalize_tags([tag or ""])
            if not cleaned:
                raise ContactRuleViolated("tag", f"{kind} needs a tag")
            return cls(kind, tag=cleaned[0])
        if kind == BulkActionKind.SET_OWNER:
            if not owner_given:
                raise ContactRuleViolated("owner_id", "set_owner needs owner_id (null clears it)")
            return cls(kind, owner_id=owner_id)
        if lifecycle_stage not in (LifecycleStage.LEAD, LifecycleStage.CUSTOMER):
            raise ContactRuleViolated(
                "lifecycle_stage",
                "set_lifecycle_stage needs lead or customer; churn one contact at a time with "
                "its reason (POST /api/v1/contacts/{id}/churn)",
            )
        return cls(kind, lifecycle_stage=lifecycle_stage)

    def changes_for(self, contact: Contact) -> dict[str, Any]:
        if self.kind == BulkActionKind.ADD_TAG:
            return {"tags": [*contact.tags, self.tag]}
        if self.kind == BulkActionKind.REMOVE_TAG:
            return {"tags": [tag for tag in contact.tags if tag != self.tag]}
        if self.kind == BulkActionKind.SET_OWNER:
            return {"owner_id": self.owner_id}
        return {"lifecycle_stage": self.lifecycle_stage}

    def apply(self, contact: Contact, now: datetime) -> tuple[Outcome, str | None]:
        """Changes the contact (an event when something changed) or says why it did not."""
        version = contact.version
        try:
            contact.update(now, self.changes_for(contact))
        except ContactRuleViolated as refused:
            return Outcome.SKIPPED, refused.message
        return (Outcome.CHANGED if contact.version != version else Outcome.UNCHANGED), None

    def as_params(self) -> dict[str, Any]:
        return {
            "kind": self.kind.value,
            "tag": self.tag,
            "owner_id": str(self.owner_id) if self.owner_id else None,
            "lifecycle_stage": self.lifecycle_stage,
        }

    @classmethod
    def from_params(cls, params: dict[str, Any]) -> BulkAction:
        owner = params.get("owner_id")
        return cls(
            BulkActionKind(params["kind"]),
            tag=params.get("tag"),
            owner_id=uuid.UUID(owner) if owner else None,
            lifecycle_stage=params.get("lifecycle_stage"),
        )


@dataclass
class BulkTally:
    """What a bulk action did so far; the first refusals are kept to show, the rest counted."""

    changed: int = 0
    unchanged: int = 0
    skipped: int = 0
    skipped_examples: list[dict[str, str]] = field(default_factory=list)

    def add(self, contact_id: uuid.UUID, outcome: Outcome, reason: str | None) -> None:
        if outcome == Outcome.CHANGED:
            self.changed += 1
        elif outcome == Outcome.UNCHANGED:
            self.unchanged += 1
        else:
            self.skipped += 1
            if len(self.skipped_examples) < KEEP_EXAMPLES:
                example = {"contact_id": str(contact_id), "message": reason or ""}
                self.skipped_examples.append(example)

    def as_result(self) -> dict[str, Any]:
        return {
            "changed": self.changed,
            "unchanged": self.unchanged,
            "skipped": self.skipped,
            "skipped_examples": self.skipped_examples,
        }
