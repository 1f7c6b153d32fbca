"""Custom field definitions and the values they allow."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from contacts.domain.custom_fields import CustomField, check_custom_fields, custom_field_filter
from contacts.domain.rules import RuleViolated

NOW = datetime(2026, 3, 1, tzinfo=UTC)
DEFINITIONS = {
    definition.key: definition
    for definition in (
        CustomField.create(NOW, key="branche", label="Branche", type="select", options=["A"]),
        CustomField.create(NOW, key="mitarbeiter", label="MA", type="number", required=True),
        CustomField.create(NOW, key="gegruendet", label="Seit", type="date"),
        CustomField.create(NOW, key="aktiv", label="Aktiv", type="boolean"),
        CustomField.create(NOW, key="notiz", label="Notiz", type="text"),
    )
}


def test_values_of_their_type_are_kept_and_dates_normalised() -> None:
    values = {"branche": "A", "mitarbeiter": 3.5, "gegruendet": "2020-01-02", "aktiv": False}
    assert check_custom_fields({**values, "notiz": None}, DEFINITIONS) == values


def test_a_required_field_must_be_there_and_null_removes_a_value() -> None:
    with pytest.raises(RuleViolated) as refused:
        check_custom_fields({"branche": "A"}, DEFINITIONS)
    assert (refused.value.field_name, refused.value.message) == (
        "custom_fields.mitarbeiter",
        "is required",
    )
    with pytest.raises(RuleViolated, match="mitarbeiter"):
        check_custom_fields({"mitarbeiter": None}, DEFINITIONS)


@pytest.mark.parametrize(
    ("key", "value"),
    [("mitarbeiter", True), ("mitarbeiter", "3"), ("aktiv", 1), ("notiz", "x" * 1001)],
)
def test_a_value_of_another_type_is_refused(key: str, value: object) -> None:
    with pytest.raises(RuleViolated) as refused:
        check_custom_fields({"mitarbeiter": 1, key: value}, DEFINITIONS)
    assert refused.value.field_name == f"custom_fields.{key}"


def test_a_changed_definition_that_breaks_a_rule_stays_as_it_was() -> None:
    definition = CustomField.create(NOW, key="b", label="B", type="select", options=["x"])
    with pytest.raises(RuleViolated, match="options"):
        definition.update(NOW, {"options": []})
    assert (definition.options, definition.version) == (["x"], 1)
    with pytest.raises(RuleViolated, match="type"):
        definition.update(NOW, {"type": "text"})


def test_filter_terms_become_stored_values() -> None:
    terms = ["mitarbeiter:12", "aktiv:true", "gegruendet:2020-01-02"]
    assert custom_field_filter(terms, DEFINITIONS) == {
        "mitarbeiter": 12,
        "aktiv": True,
        "gegruendet": "2020-01-02",
    }
    with pytest.raises(RuleViolated, match="not key:value"):
        custom_field_filter(["mitarbeiter"], DEFINITIONS)
