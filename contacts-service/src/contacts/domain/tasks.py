"""Tasks: follow-ups someone must do for a contact, created by hand or by what happened."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from enum import StrEnum
from typing import Any

from contacts.domain.rules import RuleViolated, check_editable


class TaskStatus(StrEnum):
    OPEN = "open"
    DONE = "done"


class TaskOrigin(StrEnum):
    MANUAL = "manual"
    ORDER_FOLLOW_UP = "order_follow_up"
    RENEWAL = "renewal"
    DETRACTOR_CALL_BACK = "detractor_call_back"


EDITABLE_FIELDS = ("title", "due_at", "assignee_id", "status")
TITLES = {
    TaskOrigin.ORDER_FOLLOW_UP: {
        "de": "Nachfassen: Bestellung {order}",
        "en": "Follow up: order {order}",
    },
    TaskOrigin.RENEWAL: {
        "de": "Verlängerung: Vertrag endet am {end_date}, Kündigungsfrist {notice_date}",
        "en": "Renewal: contract ends on {end_date}, notice date {notice_date}",
    },
    TaskOrigin.DETRACTOR_CALL_BACK: {
        "de": "Rückruf: Detraktor (Score {score})",
        "en": "Call back: detractor (score {score})",
    },
}


# The values an automatic title is made of, kept beside it so each reader sees the title in
# their own language: dates as ISO strings, the score as a number.
TitleParams = dict[str, str | int]


def automatic_title(origin: TaskOrigin, language: str, params: TitleParams) -> str:
    """The title in the contact's language (German unless it is English), stored for API
    consumers that do not render `title_code` and `title_params` themselves."""
    texts = TITLES[origin]
    return texts.get(language, texts["de"]).format(**params)


@dataclass(frozen=True)
class TaskCreated:
    task: Task


@dataclass(frozen=True)
class TaskUpdated:
    task: Task
    changed_fields: tuple[str, ...]


@dataclass(frozen=True)
class TaskCompleted:
    task: Task


TaskEvent = TaskCreated | TaskUpdated | TaskCompleted


@dataclass(eq=False)
class Task:
    id: uuid.UUID
    contact_id: uuid.UUID
    title: str
    due_at: datetime
    assignee_id: uuid.UUID | None
    status: str
    origin: str
    # What an automatic task was created for (an order, a contract term, an NPS response):
    # unique, so the same cause never makes a second task.
    source_key: str | None
    # What an automatic title says, language-neutral: the origin that wrote it and its
    # values. None for manual tasks and once someone rewrote the title.
    title_code: str | None
    title_params: TitleParams | None
    completed_at: datetime | None
    version: int
    created_at: datetime
    updated_at: datetime
    events: list[TaskEvent] = field(default_factory=list, repr=False)

    @classmethod
    def create(
        cls,
        now: datetime,
        *,
        contact_id: uuid.UUID,
        title: str,
        due_at: datetime,
        assignee_id: uuid.UUID | None = None,
        origin: TaskOrigin = TaskOrigin.MANUAL,
        source_key: str | None = None,
        title_params: TitleParams | None = None,
    ) -> Task:
        task = cls(
            id=uuid.uuid4(),
            contact_id=contact_id,
            title=title.strip(),
            due_at=due_at.astimezone(UTC),
            assignee_id=assignee_id,
            status=TaskStatus.OPEN,
            origin=origin,
            source_key=source_key,
            title_code=None if origin == TaskOrigin.MANUAL else str(origin),
            title_params=None if origin == TaskOrigin.MANUAL else title_params,
            completed_at=None,
            version=1,
            created_at=now,
            updated_at=now,
        )
        task._check()
        task.events.append(TaskCreated(task))
        return task

    def update(self, now: datetime, changes: dict[str, Any]) -> None:
        """Changes the fields given; setting status done completes the task, open reopens it."""
        check_editable(changes, EDITABLE_FIELDS)
        if changes.get("due_at") is not None:
            changes = {**changes, "due_at": changes["due_at"].astimezone(UTC)}
        if changes.get("title") is not None:
            changes = {**changes, "title": changes["title"].strip()}
        changed = tuple(
            name
            for name in EDITABLE_FIELDS
            if name in changes and getattr(self, name) != changes[name]
        )
        if not changed:
            return
        for name in changed:
            setattr(self, name, changes[name])
        if "title" in changed:
            # The user's own words replace the generated title in every language.
            self.title_code = None
            self.title_params = None
        self._check()
        self.version += 1
        self.updated_at = now
        if "status" in changed and self.status == TaskStatus.DONE:
            self.completed_at = now
            self.events.append(TaskCompleted(self))
            changed = tuple(name for name in changed if name != "status")
        elif "status" in changed:
            self.completed_at = None
        if changed:
            self.events.append(TaskUpdated(self, changed))

    def is_overdue(self, now: datetime) -> bool:
        return self.status == TaskStatus.OPEN and self.due_at < now

    def pull_events(self) -> list[TaskEvent]:
        events, self.events = self.events, []
        return events

    def _check(self) -> None:
        if not self.title:
            raise RuleViolated("title", "must not be empty")
        if self.status not in set(TaskStatus):
            raise RuleViolated("status", f"must be one of {', '.join(TaskStatus)}")
        if self.origin not in set(TaskOrigin):
            raise RuleViolated("origin", f"must be one of {', '.join(TaskOrigin)}")


def order_follow_up(
    now: datetime,
    *,
    contact_id: uuid.UUID,
    assignee_id: uuid.UUID | None,
    language: str,
    order_id: uuid.UUID,
    order_label: str,
    ordered_at: datetime,
    after_days: int,
) -> Task | None:
    """A follow-up `after_days` after the order; none for an order recorded after its
    follow-up date passed (history brought in later is no to-do)."""
    due_at = ordered_at + timedelta(days=after_days)
    if due_at <= now:
        return None
    return _automatic(
        now,
        TaskOrigin.ORDER_FOLLOW_UP,
        {"order": order_label},
        language=language,
        contact_id=contact_id,
        due_at=due_at,
        assignee_id=assignee_id,
        source_key=f"order:{order_id}",
    )


def renewal_task(
    now: datetime,
    *,
    contact_id: uuid.UUID,
    assignee_id: uuid.UUID | None,
    language: str,
    contract_id: uuid.UUID,
    end_date: date,
    notice_date: date,
) -> Task:
    """Due on the morning of the notice date, the last day to act on the term."""
    return _automatic(
        now,
        TaskOrigin.RENEWAL,
        {"end_date": end_date.isoformat(), "notice_date": notice_date.isoformat()},
        language=language,
        contact_id=contact_id,
        due_at=datetime(notice_date.year, notice_date.month, notice_date.day, 8, tzinfo=UTC),
        assignee_id=assignee_id,
        source_key=f"renewal:{contract_id}:{end_date.isoformat()}",
    )


def detractor_call_back(
    now: datetime,
    *,
    contact_id: uuid.UUID,
    assignee_id: uuid.UUID | None,
    language: str,
    response_id: uuid.UUID,
    score: int,
    due_at: datetime,
) -> Task:
    return _automatic(
        now,
        TaskOrigin.DETRACTOR_CALL_BACK,
        {"score": score},
        language=language,
        contact_id=contact_id,
        due_at=due_at,
        assignee_id=assignee_id,
        source_key=f"detractor:{response_id}",
    )


def _automatic(
    now: datetime,
    origin: TaskOrigin,
    params: TitleParams,
    *,
    language: str,
    contact_id: uuid.UUID,
    due_at: datetime,
    assignee_id: uuid.UUID | None,
    source_key: str,
) -> Task:
    return Task.create(
        now,
        contact_id=contact_id,
        title=automatic_title(origin, language, params),
        due_at=due_at,
        assignee_id=assignee_id,
        origin=origin,
        source_key=source_key,
        title_params=params,
    )
