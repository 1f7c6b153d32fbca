"""Bulk import: reading CSV and NDJSON records and turning each into the fields of a contact,
an order line or an interaction. Plain Python; a record that is wrong becomes a RowError
naming its line and field, and the good records go on.

A record's `row` is the line of the file where it starts (a CSV's header is line 1), so it
is the line an editor or a spreadsheet shows.
"""

from __future__ import annotations

import csv
import json
import re
import unicodedata
import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import Any

from email_validator import SPECIAL_USE_DOMAIN_NAMES, EmailNotValidError, validate_email

from contacts.domain.interactions import Direction, InteractionKind, Sentiment
from contacts.domain.model import Language, LifecycleStage
from contacts.domain.rules import CURRENCY_CODE, RuleViolated

# CSV cells can be long (an interaction's body); the csv module's default is 128 KiB.
csv.field_size_limit(1024 * 1024)


class ImportKind(StrEnum):
    CONTACTS = "contacts"
    ORDERS = "orders"
    INTERACTIONS = "interactions"


class ImportFormat(StrEnum):
    CSV = "csv"
    NDJSON = "ndjson"


Ctx = dict[str, str | int | float | bool]


@dataclass(frozen=True)
class RowError:
    """A refused row: `code` and `ctx` are the field error code the API answers for the same
    fault (treue.problems), so a client translates the report as it does the API's errors;
    `message` stays the English text."""

    row: int
    field: str
    message: str
    code: str = "invalid"
    ctx: Ctx | None = None

    @classmethod
    def of(cls, row: int, error: RuleViolated) -> RowError:
        return cls(row, error.field_name, error.message, error.code, error.ctx)


class ValueRefused(ValueError):
    """A cell a parser refuses; the field it is in is the caller's to name."""

    def __init__(self, message: str, code: str = "invalid", ctx: Ctx | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.ctx = ctx


@dataclass(frozen=True)
class Record:
    row: int
    values: dict[str, Any]


@dataclass
class ImportCounts:
    """What the import did so far: contacts/orders/interactions created, contacts updated
    (found by external id or e-mail), records skipped as already there, rows refused."""

    created: int = 0
    updated: int = 0
    skipped: int = 0
    failed: int = 0

    def plus(self, other: ImportCounts) -> ImportCounts:
        return ImportCounts(
            self.created + other.created,
            self.updated + other.updated,
            self.skipped + other.skipped,
            self.failed + other.failed,
        )


@dataclass(frozen=True)
class ImportState:
    kind: str
    format: str
    filename: str | None
    size_bytes: int
    records_done: int
    counts: ImportCounts
    created_by_name: str | None = None


Parser = Callable[[Any], Any]
AMOUNT_LIMIT = Decimal("1000000000000")


def _text(max_length: int) -> Callable[[Any], str]:
    def parse(value: Any) -> str:
        if not isinstance(value, str):
            raise ValueRefused("must be text", "string_type")
        cleaned = value.strip()
        if len(cleaned) > max_length:
            raise ValueRefused(
                f"must have at most {max_length} characters",
                "string_too_long",
                {"max_length": max_length},
            )
        return cleaned

    return parse


# Made once: a parser made per call costs a closure per cell.
_short_text = _text(50)
_email_text = _text(320)
_tag_list_text = _text(5000)


def _choice(choices: type[StrEnum]) -> Parser:
    def parse(value: Any) -> str:
        cleaned = _short_text(value).lower()
        if cleaned not in set(choices):
            expected = ", ".join(choices)
            raise ValueRefused(f"must be one of {expected}", "enum", {"expected": expected})
        return cleaned

    return parse


# The plain ASCII addresses most files hold: dot-separated words before the @, and
# letter-digit-hyphen labels with a letters-only top-level domain after it. The validator
# takes ~100 µs an address, most of an import row's time; for these it would answer the
# address itself with the domain in lower case, so they skip it. Everything else (quoted
# parts, IDNA, odd characters) goes through the validator.
_PLAIN_EMAIL = re.compile(
    r"([A-Za-z0-9_+-]+(?:\.[A-Za-z0-9_+-]+)*)"
    r"@((?:[A-Za-z0-9]+(?:-[A-Za-z0-9]+)*\.)+[A-Za-z]{2,63})"
)


# Internationalized mailboxes (RFC 6531, `jürgen.müller@…`): the same words, of letters
# and digits in any script (`\w`: Unicode's letters and numbers, and `_`). The validator
# keeps such a local part as it is when it is in composed form (NFC) and counts the
# address's length in UTF-8 bytes. It costs ~28 µs an address, more than the row's other
# checks.
_INTERNATIONAL_EMAIL = re.compile(
    r"([\w+-]+(?:\.[\w+-]+)*)"
    r"@((?:[A-Za-z0-9]+(?:-[A-Za-z0-9]+)*\.)+[A-Za-z]{2,63})"
)


def _plain_email(address: str) -> str | None:
    """The normalized address if it is a plain one the validator accepts, else None."""
    match = _PLAIN_EMAIL.fullmatch(address)
    if match is None and not address.isascii():
        match = _INTERNATIONAL_EMAIL.fullmatch(address)
        if match is not None and not unicodedata.is_normalized("NFC", match[1]):
            return None
    if match is None or len(address.encode()) > 254 or len(match[1]) > 64:
        return None
    domain = match[2].lower()
    labels = domain.split(".")
    if any(len(label) > 63 or label.startswith("xn--") for label in labels):
        return None
    if labels[-1] in SPECIAL_USE_DOMAIN_NAMES:
        return None
    return f"{match[1]}@{domain}"


def _email(value: Any) -> str:
    address = _email_text(value)
    plain = _plain_email(address)
    if plain is not None:
        return plain
    try:
        return str(validate_email(address, check_deliverability=False).normalized)
    except EmailNotValidError as error:
        raise ValueRefused(f"not a valid e-mail address: {error}", "value_error") from error


def _amount(value: Any) -> Decimal:
    not_a_number = ValueRefused("must be a decimal number", "decimal_parsing")
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise not_a_number
    try:
        amount = Decimal(str(value).strip().replace(",", "."))
    except InvalidOperation as error:
        raise not_a_number from error
    if not amount.is_finite():
        raise not_a_number
    if amount < 0:
        raise ValueRefused("must not be negative", "greater_than_equal", {"ge": 0})
    if amount >= AMOUNT_LIMIT:
        raise ValueRefused("is too large", "less_than", {"lt": str(AMOUNT_LIMIT)})
    return amount


def _timestamp(value: Any) -> datetime:
    """RFC 3339; a time without an offset is taken as UTC, a bare date as its midnight UTC."""
    try:
        parsed = datetime.fromisoformat(_text(40)(value))
    except ValueError as error:
        raise ValueRefused(
            "must be a date-time like 2026-03-01T10:00:00+01:00", "datetime_parsing"
        ) from error
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _boolean(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    cleaned = str(value).strip().lower()
    if cleaned in {"true", "1", "yes", "ja", "y"}:
        return True
    if cleaned in {"false", "0", "no", "nein", "n"}:
        return False
    raise ValueRefused("must be true or false", "bool_parsing")


def _uuid(value: Any) -> uuid.UUID:
    try:
        return uuid.UUID(_text(36)(value))
    except ValueError as error:
        raise ValueRefused("must be a UUID", "uuid_parsing") from error


def _tags(value: Any) -> list[str]:
    """A JSON list, or text separated by `;` (commas are common inside CSV cells)."""
    items = value if isinstance(value, list) else _tag_list_text(value).split(";")
    tags = [_short_text(item) for item in items]
    if len(tags) > 50:
        raise ValueRefused("at most 50 tags", "too_long", {"max_length": 50})
    return [tag for tag in tags if tag]


def _object(value: Any) -> dict[str, Any]:
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except json.JSONDecodeError as error:
            raise ValueRefused("must be a JSON object", "dict_type") from error
    if not isinstance(value, dict):
        raise ValueRefused("must be a JSON object", "dict_type")
    return value


def _currency(value: Any) -> str:
    code = _text(3)(value).upper()
    if not CURRENCY_CODE.fullmatch(code):
        raise ValueRefused(
            "must be an ISO 4217 code of three letters",
            "string_pattern_mismatch",
            {"pattern": CURRENCY_CODE.pattern},
        )
    return code


CONTACT_FIELDS: dict[str, Parser] = {
    "first_name": _text(100),
    "last_name": _text(100),
    "email": _email,
    "phone": _text(50),
    "company": _text(200),
    "language": _choice(Language),
    "tags": _tags,
    "custom_fields": _object,
    "lifecycle_stage": _choice(LifecycleStage),
    "owner_id": _uuid,
    "marketing_consent": _boolean,
    "acquisition_channel": _text(100),
    "acquisition_cost": _amount,
    "external_id": _text(200),
}
CONTACT_REFERENCE: dict[str, Parser] = {
    "contact_external_id": _text(200),
    "contact_email": _email,
}
ORDER_FIELDS: dict[str, Parser] = {
    **CONTACT_REFERENCE,
    "external_id": _text(200),
    "ordered_at": _timestamp,
    "sku": _text(100),
    "quantity": _amount,
    "unit_price": _amount,
    "unit_cost": _amount,
    "currency": _currency,
}
INTERACTION_FIELDS: dict[str, Parser] = {
    **CONTACT_REFERENCE,
    "kind": _choice(InteractionKind),
    "direction": _choice(Direction),
    "channel": _text(100),
    "subject": _text(500),
    "body": _text(100_000),
    "occurred_at": _timestamp,
    "sentiment": _choice(Sentiment),
    "cost": _amount,
    "currency": _currency,
}
FIELDS: dict[ImportKind, dict[str, Parser]] = {
    ImportKind.CONTACTS: CONTACT_FIELDS,
    ImportKind.ORDERS: ORDER_FIELDS,
    ImportKind.INTERACTIONS: INTERACTION_FIELDS,
}
# Columns of the contacts export that an import takes no value from, so an exported file
# can be imported again (matching by external id and e-mail updates those contacts).
EXPORT_ONLY = ("id", "created_at", "updated_at")
CONTACT_COLUMNS = (*EXPORT_ONLY[:1], *CONTACT_FIELDS, *EXPORT_ONLY[1:])

REQUIRED: dict[ImportKind, tuple[str, ...]] = {
    ImportKind.CONTACTS: (),
    ImportKind.ORDERS: ("ordered_at", "sku", "quantity", "currency"),
    ImportKind.INTERACTIONS: ("kind",),
}


def check_columns(kind: ImportKind, columns: Iterable[str]) -> None:
    """Refuses a CSV header with a column the kind does not know (a typo would otherwise
    drop that column's data silently)."""
    known = FIELDS[kind]
    for column in columns:
        if column not in known and not (kind is ImportKind.CONTACTS and column in EXPORT_ONLY):
            raise RuleViolated("file", f"unknown column {column!r} for {kind} imports")


def parse_fields(kind: ImportKind, record: Record) -> dict[str, Any]:
    """The typed fields of a record; empty cells are absent. Raises RuleViolated naming
    the first field that is wrong."""
    parsers = FIELDS[kind]
    fields: dict[str, Any] = {}
    for name, raw in record.values.items():
        parser = parsers.get(name)
        if parser is None and kind is ImportKind.CONTACTS and name in EXPORT_ONLY:
            continue
        if parser is None:
            raise RuleViolated(name, "is not a known field", "extra_forbidden")
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            continue
        try:
            fields[name] = parser(raw)
        except ValueRefused as error:
            raise RuleViolated(name, error.message, error.code, error.ctx) from error
    for name in REQUIRED[kind]:
        if name not in fields:
            raise RuleViolated(name, "is required", "missing")
    if kind is ImportKind.CONTACTS:
        # Without a name the row can only update a contact it finds by e-mail or external id.
        if not ({"first_name", "last_name", "email", "external_id"} & fields.keys()):
            raise RuleViolated("last_name", "a contact needs a first or a last name", "missing")
    elif "contact_external_id" not in fields and "contact_email" not in fields:
        raise RuleViolated("contact_external_id", "or contact_email is required", "missing")
    return fields


ContactKey = tuple[str, str]


def email_key(email: str) -> str:
    """An e-mail in lower case as Postgres' lower() has it in the unique index: one
    character for one. Python's lower() maps `İ` to two (`i` and a combining dot), so
    `İNCE@…` would not find the contact `ince@…` that the index says it is."""
    if email.isascii():
        return email.lower()
    return "".join(character.lower()[0] for character in email)


def contact_keys(email: str | None, external_id: str | None) -> list[ContactKey]:
    """What identifies a contact in an import: its e-mail in any case, its external id."""
    keys = [("email", email_key(email))] if email else []
    return [*keys, ("external_id", external_id)] if external_id else keys


def split_fresh(
    rows: list[tuple[int, dict[str, Any]]], taken: set[ContactKey]
) -> tuple[list[tuple[int, dict[str, Any]]], list[tuple[int, dict[str, Any]]]]:
    """A batch's rows in two: the fresh ones, whose e-mail and external id no contact has
    (`taken`) and no earlier row of the batch names, are new contacts whatever the other
    rows do, so they are written together first; the rest (updates, repeats within the
    file) go one by one, in file order, after them. A rest row never shares a key with a
    fresh row before it unless it is its repeat, so the order of effects is the file's."""
    seen = set(taken)
    fresh: list[tuple[int, dict[str, Any]]] = []
    rest: list[tuple[int, dict[str, Any]]] = []
    for row, values in rows:
        keys = contact_keys(values.get("email"), values.get("external_id"))
        (rest if any(key in seen for key in keys) else fresh).append((row, values))
        seen.update(keys)
    return fresh, rest


def read_records(lines: Iterable[str], fmt: ImportFormat) -> Iterator[Record | RowError]:
    """The records of a file, one at a time (the file is never held in memory)."""
    if fmt is ImportFormat.CSV:
        yield from _csv_records(lines)
    else:
        yield from _ndjson_records(lines)


def csv_header(first_line: str) -> list[str]:
    return [name.strip().lower() for name in next(csv.reader([first_line]), [])]


def _csv_records(lines: Iterable[str]) -> Iterator[Record | RowError]:
    reader = csv.reader(lines)
    header = [name.strip().lower() for name in next(reader, [])]
    previous_end = reader.line_num
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            yield RowError(previous_end + 1, "row", f"not valid CSV: {error}")
            previous_end = reader.line_num
            continue
        row, previous_end = previous_end + 1, reader.line_num
        if not any(cell.strip() for cell in cells):
            continue
        if len(cells) != len(header):
            yield RowError(row, "row", f"has {len(cells)} cells, the header has {len(header)}")
            continue
        yield Record(row, dict(zip(header, cells, strict=True)))


def _ndjson_records(lines: Iterable[str]) -> Iterator[Record | RowError]:
    for row, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            values = json.loads(line)
        except json.JSONDecodeError as error:
            yield RowError(row, "row", f"not valid JSON: {error.msg}", "json_invalid")
            continue
        if not isinstance(values, dict):
            yield RowError(row, "row", "must be a JSON object", "dict_type")
            continue
        yield Record(row, values)


def export_row(contact: Any) -> list[str]:
    """A contact as a row of CONTACT_COLUMNS, in the form the import reads back."""

    def cell(name: str) -> str:
        value = getattr(contact, name)
        if value is None:
            return ""
        if name == "tags":
            return ";".join(value)
        if name == "custom_fields":
            return json.dumps(value, ensure_ascii=False, sort_keys=True) if value else ""
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, datetime):
            return value.isoformat()
        return str(value)

    return [cell(name) for name in CONTACT_COLUMNS]
