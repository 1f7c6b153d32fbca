"""Reading import files and checking their fields: each bad record names its line and field."""

from __future__ import annotations

import random
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from email_validator import EmailNotValidError, validate_email

from contacts.domain.imports import (
    ImportFormat,
    ImportKind,
    Record,
    RowError,
    _plain_email,
    check_columns,
    parse_fields,
    read_records,
    split_fresh,
)
from contacts.domain.rules import RuleViolated


def test_csv_records_carry_the_line_they_start_on() -> None:
    lines = [
        "Last_Name , email\n",
        "Maier,m@example.de\n",
        '"Koch\n',
        'Jr.",k@example.de\n',
        "\n",
        "only-one-cell\n",
        "Lang,l@example.de\n",
    ]
    records = list(read_records(lines, ImportFormat.CSV))
    assert records == [
        Record(2, {"last_name": "Maier", "email": "m@example.de"}),
        Record(3, {"last_name": "Koch\nJr.", "email": "k@example.de"}),
        RowError(6, "row", "has 1 cells, the header has 2"),
        Record(7, {"last_name": "Lang", "email": "l@example.de"}),
    ]


def test_ndjson_records_are_objects_one_per_line() -> None:
    lines = ['{"kind": "call"}\n', "\n", "[1]\n", "{broken\n"]
    records = list(read_records(lines, ImportFormat.NDJSON))
    assert records[0] == Record(1, {"kind": "call"})
    assert records[1] == RowError(3, "row", "must be a JSON object", "dict_type")
    assert isinstance(records[2], RowError)
    assert (records[2].row, records[2].field, records[2].code) == (4, "row", "json_invalid")


def test_contact_fields_are_typed_and_empty_cells_are_absent() -> None:
    record = Record(
        2,
        {
            "last_name": " Maier ",
            "email": "M@Example.DE",
            "tags": "VIP; b2b;",
            "marketing_consent": "ja",
            "acquisition_cost": "12,50",
            "phone": "",
            "custom_fields": '{"branche": "Metall"}',
            "id": "ignored on import",
        },
    )
    assert parse_fields(ImportKind.CONTACTS, record) == {
        "last_name": "Maier",
        "email": "M@example.de",
        "tags": ["VIP", "b2b"],
        "marketing_consent": True,
        "acquisition_cost": Decimal("12.50"),
        "custom_fields": {"branche": "Metall"},
    }


ORDER = {"contact_email": "a@b.de", "sku": "S", "quantity": "1", "currency": "EUR"}
DATED_ORDER = {**ORDER, "ordered_at": "2025-01-01"}
INTERACTION = {"contact_email": "a@b.de", "kind": "call"}
CONTACT = {"last_name": "M"}
CONTACTS, ORDERS, INTERACTIONS = ImportKind.CONTACTS, ImportKind.ORDERS, ImportKind.INTERACTIONS


# The code is the one the API's field errors use for the same fault (treue.problems), so a
# client translates the report's rows with the texts it has for those.
@pytest.mark.parametrize(
    ("kind", "values", "field", "message", "code"),
    [
        (CONTACTS, {**CONTACT, "email": "nope"}, "email", None, "value_error"),
        (CONTACTS, {**CONTACT, "language": "fr"}, "language", "must be one of de, en", "enum"),
        (
            CONTACTS,
            {**CONTACT, "acquisition_cost": "-1"},
            "acquisition_cost",
            None,
            "greater_than_equal",
        ),
        (CONTACTS, {**CONTACT, "owner_id": "42"}, "owner_id", "must be a UUID", "uuid_parsing"),
        (
            CONTACTS,
            {"phone": "1"},
            "last_name",
            "a contact needs a first or a last name",
            "missing",
        ),
        (CONTACTS, {**CONTACT, "shoe": "42"}, "shoe", "is not a known field", "extra_forbidden"),
        (
            CONTACTS,
            {**CONTACT, "marketing_consent": "vielleicht"},
            "marketing_consent",
            None,
            "bool_parsing",
        ),
        (CONTACTS, {**CONTACT, "custom_fields": "[1]"}, "custom_fields", None, "dict_type"),
        (CONTACTS, {**CONTACT, "tags": ";".join("t" * 51)}, "tags", "at most 50 tags", "too_long"),
        (ORDERS, ORDER, "ordered_at", "is required", "missing"),
        (ORDERS, {**DATED_ORDER, "contact_email": ""}, "contact_external_id", None, "missing"),
        (
            ORDERS,
            {**DATED_ORDER, "quantity": "zwei"},
            "quantity",
            "must be a decimal number",
            "decimal_parsing",
        ),
        (ORDERS, {**DATED_ORDER, "quantity": "1e12"}, "quantity", "is too large", "less_than"),
        (ORDERS, {**DATED_ORDER, "currency": "EURO"}, "currency", None, "string_too_long"),
        (ORDERS, {**DATED_ORDER, "currency": "E1R"}, "currency", None, "string_pattern_mismatch"),
        (
            INTERACTIONS,
            {**INTERACTION, "occurred_at": "gestern"},
            "occurred_at",
            None,
            "datetime_parsing",
        ),
        (INTERACTIONS, {**INTERACTION, "sentiment": "angry"}, "sentiment", None, "enum"),
    ],
)
def test_a_wrong_field_is_named_with_its_code(
    kind: ImportKind, values: dict[str, str], field: str, message: str | None, code: str
) -> None:
    with pytest.raises(RuleViolated) as refused:
        parse_fields(kind, Record(5, values))
    assert (refused.value.field_name, refused.value.code) == (field, code)
    if message is not None:
        assert refused.value.message == message


def test_a_code_brings_its_parameters_into_the_row_error() -> None:
    with pytest.raises(RuleViolated) as refused:
        parse_fields(CONTACTS, Record(5, {"last_name": "x" * 101}))
    assert RowError.of(5, refused.value) == RowError(
        5,
        "last_name",
        "must have at most 100 characters",
        "string_too_long",
        {"max_length": 100},
    )
    with pytest.raises(RuleViolated) as refused:
        parse_fields(CONTACTS, Record(5, {**CONTACT, "acquisition_cost": "-1"}))
    assert refused.value.ctx == {"ge": 0}


def test_a_time_without_offset_is_utc() -> None:
    values = {"contact_external_id": "c", "kind": "note", "occurred_at": "2025-03-01T10:00"}
    fields = parse_fields(ImportKind.INTERACTIONS, Record(2, values))
    assert fields["occurred_at"] == datetime(2025, 3, 1, 10, tzinfo=UTC)


def test_a_header_with_an_unknown_column_is_refused() -> None:
    check_columns(ImportKind.CONTACTS, ["id", "email", "created_at"])
    with pytest.raises(RuleViolated, match="unknown column 'emial'"):
        check_columns(ImportKind.CONTACTS, ["emial"])
    with pytest.raises(RuleViolated, match="unknown column 'id'"):
        check_columns(ImportKind.ORDERS, ["id"])


@pytest.mark.parametrize(
    "address",
    [
        "Anna.Schmidt@Example.DE",
        "a_b+tag@mail.example-firma.de",
        "x-1@a.b.co",
        "a..b@example.de",
        ".a@example.de",
        "a.@example.de",
        "a@-x.de",
        "a@x-.de",
        "a@x--y.de",
        "a@x.123",
        "a@x.d",
        "a@x.test",
        "a@mail.localhost",
        "a@xn--bcher-kva.de",
        "a@example",
        "a@@example.de",
        "müller@example.de",
        "Jürgen.Müller+x@Example.DE",
        "mu\u0308ller@example.de",
        "\u0308a@example.de",
        "İnce@example.de",
        "straße_1@example.de",
        "用户@例子.广告",
        "用户@example.de",
        "ǅ²\u0661@example.de",
        "a\u200bb@example.de",
        "a\u00a0b@example.de",
        "münchen@müller.de",
        ("ü" * 64) + "@example.de",
        ("ü" * 65) + "@example.de",
        ("ü" * 60) + "@" + ".".join(["d" * 60] * 2) + ".de",
        '"a b"@example.de',
        "a@exa_mple.de",
        ("l" * 65) + "@example.de",
        "a@" + ("d" * 64) + ".de",
        "a@" + ".".join(["d" * 60] * 4) + ".de",
    ],
)
def test_the_fast_e_mail_check_answers_as_the_validator_does(address: str) -> None:
    try:
        expected: str | None = str(validate_email(address, check_deliverability=False).normalized)
    except EmailNotValidError:
        expected = None
    record = Record(2, {"email": address})
    if expected is None:
        with pytest.raises(RuleViolated, match="not a valid e-mail address") as refused:
            parse_fields(ImportKind.CONTACTS, record)
        assert refused.value.field_name == "email"
    else:
        assert parse_fields(ImportKind.CONTACTS, record)["email"] == expected


def test_whatever_the_fast_e_mail_check_answers_the_validator_answers_too() -> None:
    # Local parts from letters, digits, marks, spaces and symbols of several scripts: where
    # the fast check answers, it must answer as the validator does (else it leaves it to it).
    alphabet = "aZ0_+-.!#üÜßİı\u0308\u0301ǅ²\u0661用ア\u200b\u00a0 \u2028€©Ωя"
    rng = random.Random(11)
    answered = 0
    for _ in range(3000):
        local = "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 12)))
        address = f"{local}@Example.DE"
        fast = _plain_email(address)
        if fast is None:
            continue
        answered += 1
        assert fast == validate_email(address, check_deliverability=False).normalized, address
    assert answered > 100


def test_fresh_rows_name_no_contact_there_is_nor_one_an_earlier_row_names() -> None:
    rows = [
        (2, {"email": "A@example.de", "external_id": "crm-1"}),
        (3, {"email": "b@example.de"}),
        (4, {"email": "a@EXAMPLE.de"}),
        (5, {"external_id": "crm-1", "last_name": "Neu"}),
        (6, {"email": "taken@example.de"}),
        (7, {"external_id": "crm-9"}),
        (8, {"last_name": "Ohne Schlüssel"}),
        (9, {"last_name": "Ohne Schlüssel"}),
    ]
    fresh, rest = split_fresh(rows, {("email", "taken@example.de"), ("external_id", "crm-9")})
    assert [row for row, _ in fresh] == [2, 3, 8, 9]
    assert [row for row, _ in rest] == [4, 5, 6, 7]
