"""Custom field definitions: which keys a contact's `custom_fields` may have, of which type,
which are required. Values are checked against them on every write, naming the field
(`custom_fields.<key>`)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from contacts.domain.rules import RuleViolated, check_editable

KEY = re.compile(r"[a-z][a-z0-9_]{0,49}")
MAX_TEXT = 1000
MAX_OPTIONS = 200
EDITABLE = ("label", "required", "options")


class FieldType(StrEnum):
    TEXT = "text"
    NUMBER = "number"
    DATE = "date"
    BOOLEAN = "boolean"
    SELECT = "select"


@dataclass(eq=False)
class CustomField:
    key: str
    label: str
    type: str
    required: bool
    options: list[str]
    version: int
    created_at: datetime
    updated_at: datetime

    @classmethod
    def create(cls, now: datetime, **details: Any) -> CustomField:
        definition = cls(
            key=details["key"],
            label=details["label"],
            type=details["type"],
            required=bool(details.get("required")),
            options=list(details.get("options") or []),
            version=1,
            created_at=now,
            updated_at=now,
        )
        definition._check()
        return definition

    def update(self, now: datetime, changes: dict[str, Any]) -> None:
        check_editable(changes, EDITABLE)
        before = {name: getattr(self, name) for name in changes}
        for name, value in changes.items():
            setattr(self, name, list(value or []) if name == "options" else value)
        try:
            self._check()
        except RuleViolated:
            for name, value in before.items():
                setattr(self, name, value)
            raise
        self.version += 1
        self.updated_at = now

    def _check(self) -> None:
        if not KEY.fullmatch(self.key):
            raise RuleViolated("key", "must be lower-case letters, digits and _ (a letter first)")
        if not self.label.strip():
            raise RuleViolated("label", "must not be empty", "not_empty")
        if self.type not in set(FieldType):
            raise RuleViolated("type", f"must be one of {', '.join(FieldType)}")
        if self.type == FieldType.SELECT:
            if not self.options:
                raise RuleViolated("options", "a select field needs options")
            if len(set(self.options)) != len(self.options) or len(self.options) > MAX_OPTIONS:
                raise RuleViolated("options", f"must be distinct, at most {MAX_OPTIONS}")
        elif self.options:
            raise RuleViolated("options", "only a select field has options")

    def value_of(self, value: Any) -> Any:
        """The value as stored (a date as `YYYY-MM-DD`); raises naming `custom_fields.<key>`."""
        name = f"custom_fields.{self.key}"
        match self.type:
            case FieldType.TEXT if isinstance(value, str) and len(value) <= MAX_TEXT:
                return value
            case FieldType.TEXT if isinstance(value, str):
                message = f"must be text of at most {MAX_TEXT} characters"
                raise RuleViolated(name, message, "string_too_long", {"max_length": MAX_TEXT})
            case FieldType.TEXT:
                raise RuleViolated(name, "must be text", "string_type")
            case FieldType.NUMBER if isinstance(value, int | float) and not isinstance(value, bool):
                return value
            case FieldType.NUMBER:
                raise RuleViolated(name, "must be a number", "float_type")
            case FieldType.BOOLEAN if isinstance(value, bool):
                return value
            case FieldType.BOOLEAN:
                raise RuleViolated(name, "must be true or false", "bool_type")
            case FieldType.DATE:
                try:
                    return date.fromisoformat(value).isoformat()
                except (TypeError, ValueError) as error:
                    message = "must be a date like 2026-03-01"
                    raise RuleViolated(name, message, "date_parsing") from error
            case _:
                if value not in self.options:
                    options = ", ".join(self.options)
                    message = f"must be one of {options}"
                    raise RuleViolated(name, message, "literal_error", {"expected": options})
                return value

    def query_value(self, text: str) -> Any:
        """A filter's value (always text in a URL) as the stored value to compare with."""
        parsed: Any = text
        if self.type == FieldType.NUMBER:
            try:
                parsed = float(text) if "." in text else int(text)
            except ValueError:
                parsed = text
        elif self.type == FieldType.BOOLEAN:
            parsed = {"true": True, "false": False}.get(text.lower(), text)
        return self.value_of(parsed)


def check_custom_fields(
    values: Mapping[str, Any], definitions: Mapping[str, CustomField]
) -> dict[str, Any]:
    """The values as stored: every key defined, every value of its type, every required
    field there. `null` removes a value (and is refused for a required field)."""
    checked: dict[str, Any] = {}
    for key, value in values.items():
        definition = definitions.get(key)
        if definition is None:
            name = f"custom_fields.{key}"
            raise RuleViolated(name, "is not a defined custom field", "extra_forbidden")
        if value is not None:
            checked[key] = definition.value_of(value)
    for key, definition in definitions.items():
        if definition.required and key not in checked:
            raise RuleViolated(f"custom_fields.{key}", "is required", "missing")
    return checked


def custom_field_filter(terms: list[str], definitions: Mapping[str, CustomField]) -> dict[str, Any]:
    """`key:value` terms of the list filter as the stored values they match."""
    wanted: dict[str, Any] = {}
    for term in terms:
        key, separator, text = term.partition(":")
        definition = definitions.get(key)
        if not separator or definition is None:
            raise RuleViolated("custom_field", f"{term!r} is not key:value of a defined field")
        try:
            wanted[key] = definition.query_value(text)
        except RuleViolated as error:
            raise RuleViolated("custom_field", f"{key}: {error.message}") from error
    return wanted
