"""Surveys, invitations, responses and feedback cases: plain Python, no FastAPI, no SQLAlchemy."""

from __future__ import annotations

import secrets
import uuid
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from typing import Any

from survey.domain.statistics import classify

LANGUAGES = ("de", "en")
DEFAULT_QUESTION = {
    "de": "Wie wahrscheinlich ist es, dass Sie uns einem Freund oder Kollegen empfehlen?",
    "en": "How likely is it that you would recommend us to a friend or colleague?",
}
DEFAULT_FOLLOW_UP = {
    "de": "Was ist der wichtigste Grund für Ihre Bewertung?",
    "en": "What is the most important reason for your score?",
}
SURVEY_FIELDS = (
    "name",
    "question",
    "follow_up_question",
    "quiet_period_days",
    "active",
    "reminder_after_days",
    "max_reminders",
    "after_order_days",
    "before_renewal_days",
)
MAX_REMINDERS = 2
LATE_ORDER_LIMIT = timedelta(days=7)
# The hour (UTC) an invitation before a renewal goes out on its day.
RENEWAL_INVITATION_HOUR = 8


class RuleViolated(ValueError):
    """A domain rule refused a value; `field_name` is the request field to blame."""

    def __init__(self, field_name: str, message: str) -> None:
        super().__init__(f"{field_name}: {message}")
        self.field_name = field_name
        self.message = message


class TransitionRefused(ValueError):
    """A feedback case cannot move from its status to the one asked for."""


class EditWindowClosed(ValueError):
    """A response can be changed only for a while after it was given."""


@dataclass(eq=False)
class Survey:
    id: uuid.UUID
    name: str
    question: dict[str, str]
    follow_up_question: dict[str, str]
    quiet_period_days: int
    active: bool
    created_at: datetime
    updated_at: datetime
    # E-mail invitations not answered after `reminder_after_days` get up to `max_reminders`.
    reminder_after_days: int = 5
    max_reminders: int = 1
    # Automatic invitations: N days after each order, N days before a contract's notice date.
    after_order_days: int | None = None
    before_renewal_days: int | None = None

    @classmethod
    def create(cls, now: datetime, **details: Any) -> Survey:
        survey = cls(
            id=uuid.uuid4(),
            name=details["name"],
            question=details.get("question") or dict(DEFAULT_QUESTION),
            follow_up_question=details.get("follow_up_question") or dict(DEFAULT_FOLLOW_UP),
            quiet_period_days=details.get("quiet_period_days", 90),
            active=details.get("active", True),
            created_at=now,
            updated_at=now,
            reminder_after_days=details.get("reminder_after_days", 5),
            max_reminders=details.get("max_reminders", 1),
            after_order_days=details.get("after_order_days"),
            before_renewal_days=details.get("before_renewal_days"),
        )
        survey._check()
        return survey

    def update(self, now: datetime, changes: dict[str, Any]) -> None:
        unknown = set(changes) - set(SURVEY_FIELDS)
        if unknown:
            raise RuleViolated(sorted(unknown)[0], "cannot be changed")
        for name, value in changes.items():
            setattr(self, name, dict(value) if isinstance(value, dict) else value)
        self._check()
        self.updated_at = now

    def question_in(self, language: str) -> tuple[str, str]:
        """The question and the follow-up in `language`, falling back to English."""
        chosen = language if language in self.question else "en"
        return self.question[chosen], self.follow_up_question.get(chosen, "")

    def _check(self) -> None:
        for name in ("question", "follow_up_question"):
            texts: dict[str, str] = getattr(self, name)
            for language in LANGUAGES:
                if not texts.get(language, "").strip():
                    raise RuleViolated(f"{name}.{language}", "must not be empty")
        if self.quiet_period_days < 0:
            raise RuleViolated("quiet_period_days", "must not be negative")
        if self.reminder_after_days < 1:
            raise RuleViolated("reminder_after_days", "must be at least 1")
        if not 0 <= self.max_reminders <= MAX_REMINDERS:
            raise RuleViolated("max_reminders", f"must be between 0 and {MAX_REMINDERS}")
        for name in ("after_order_days", "before_renewal_days"):
            days = getattr(self, name)
            if days is not None and days < 0:
                raise RuleViolated(name, "must not be negative")

    def invitation_after_order(self, ordered_at: datetime, now: datetime) -> datetime | None:
        """When the post-order invitation of an order is due; None unless this survey is
        sent after orders, and None for an order whose invitation would come more than
        LATE_ORDER_LIMIT late (an imported or replayed old order asks about nothing)."""
        if self.after_order_days is None:
            return None
        due = ordered_at + timedelta(days=self.after_order_days)
        return None if due < now - LATE_ORDER_LIMIT else max(due, now)

    def invitation_before_renewal(self, notice_date: date, now: datetime) -> datetime | None:
        """`before_renewal_days` before the notice date, in the morning; at once when that
        day has passed. None unless this survey is sent before renewals."""
        if self.before_renewal_days is None:
            return None
        day = notice_date - timedelta(days=self.before_renewal_days)
        due = datetime.combine(day, time(RENEWAL_INVITATION_HOUR), tzinfo=UTC)
        return max(due, now)


@dataclass(eq=False)
class Invitation:
    id: uuid.UUID
    survey_id: uuid.UUID
    contact_id: uuid.UUID
    token: str
    channel: str
    created_at: datetime
    expires_at: datetime
    reminders_sent: int = 0

    @classmethod
    def create(
        cls, now: datetime, survey_id: uuid.UUID, contact_id: uuid.UUID, channel: str, days: int
    ) -> Invitation:
        return cls(
            id=uuid.uuid4(),
            survey_id=survey_id,
            contact_id=contact_id,
            # 256 random bits: the token is the only key to the answer page.
            token=secrets.token_urlsafe(32),
            channel=channel,
            created_at=now,
            expires_at=now + timedelta(days=days),
        )

    def expired(self, now: datetime) -> bool:
        return now >= self.expires_at

    def note_reminder(self) -> None:
        self.reminders_sent += 1

    def reminder_due(self, now: datetime, survey: Survey) -> bool:
        """Reminder n is due `reminder_after_days` x n after the invitation, up to the
        survey's `max_reminders`, while the link is valid (the caller knows it unanswered)."""
        if self.channel != "email" or self.expired(now):
            return False
        if self.reminders_sent >= survey.max_reminders:
            return False
        wait = timedelta(days=survey.reminder_after_days * (self.reminders_sent + 1))
        return now >= self.created_at + wait


@dataclass(frozen=True)
class ScheduledInvitation:
    """An automatic invitation waiting for its day: `reason` order or renewal, `source_id`
    the order or the renewal task it came from (one per survey and source)."""

    id: uuid.UUID
    survey_id: uuid.UUID
    contact_id: uuid.UUID
    reason: str
    source_id: uuid.UUID
    due_at: datetime


def in_quiet_period(last_surveyed_at: datetime | None, now: datetime, days: int) -> bool:
    """Nobody is invited again within `days` of their last invitation or answer."""
    return last_surveyed_at is not None and now - last_surveyed_at < timedelta(days=days)


@dataclass(eq=False)
class Response:
    id: uuid.UUID
    survey_id: uuid.UUID
    contact_id: uuid.UUID
    invitation_id: uuid.UUID | None
    score: int
    category: str
    comment: str | None
    responded_at: datetime
    external_id: str | None
    channel: str
    revision: int
    created_at: datetime
    updated_at: datetime

    @classmethod
    def record(cls, now: datetime, **details: Any) -> Response:
        score = details["score"]
        return cls(
            id=uuid.uuid4(),
            survey_id=details["survey_id"],
            contact_id=details["contact_id"],
            invitation_id=details.get("invitation_id"),
            score=score,
            category=classify(score).value,
            comment=details.get("comment"),
            # Kept in UTC, so a fresh answer reads like one loaded later.
            responded_at=(details.get("responded_at") or now).astimezone(UTC),
            external_id=details.get("external_id"),
            channel=details["channel"],
            revision=1,
            created_at=now,
            updated_at=now,
        )

    def edit(self, now: datetime, score: int, comment: str | None, window: timedelta) -> None:
        """Change the answer within `window` of giving it, classifying it anew."""
        if now - self.created_at > window:
            raise EditWindowClosed("the response can no longer be changed")
        self.score, self.comment = score, comment
        self.category = classify(score).value
        self.revision += 1
        self.updated_at = now


class CaseStatus(StrEnum):
    OPEN = "open"
    IN_PROGRESS = "in_progress"
    RESOLVED = "resolved"


TRANSITIONS = {
    CaseStatus.OPEN: {CaseStatus.IN_PROGRESS},
    CaseStatus.IN_PROGRESS: {CaseStatus.OPEN, CaseStatus.RESOLVED},
    CaseStatus.RESOLVED: {CaseStatus.IN_PROGRESS},
}


@dataclass(eq=False)
class FeedbackCase:
    id: uuid.UUID
    contact_id: uuid.UUID
    survey_id: uuid.UUID
    response_id: uuid.UUID
    status: str
    owner_id: uuid.UUID | None
    due_at: datetime
    resolution_note: str | None
    created_at: datetime
    updated_at: datetime
    resolved_at: datetime | None = field(default=None)

    @classmethod
    def open_for(cls, response: Response, now: datetime, sla: timedelta) -> FeedbackCase:
        return cls(
            id=uuid.uuid4(),
            contact_id=response.contact_id,
            survey_id=response.survey_id,
            response_id=response.id,
            status=CaseStatus.OPEN.value,
            owner_id=None,
            due_at=response.responded_at + sla,
            resolution_note=None,
            created_at=now,
            updated_at=now,
        )

    def change(self, now: datetime, changes: dict[str, Any]) -> None:
        """Owner, due date and note change freely; the status only along TRANSITIONS, and
        resolving needs a resolution note. A refused change changes nothing."""
        current = CaseStatus(self.status)
        target = CaseStatus(changes.get("status") or current)
        if target != current and target not in TRANSITIONS[current]:
            allowed = ", ".join(sorted(TRANSITIONS[current]))
            raise TransitionRefused(f"a case {current} can move to {allowed}, not {target}")
        note = changes.get("resolution_note", self.resolution_note)
        if target is CaseStatus.RESOLVED and not (note or "").strip():
            raise RuleViolated("resolution_note", "is required to resolve a case")
        for name in ("owner_id", "due_at", "resolution_note"):
            if name in changes:
                setattr(self, name, changes[name])
        if target != current:
            self.status = target.value
            self.resolved_at = now if target is CaseStatus.RESOLVED else None
        self.updated_at = now
