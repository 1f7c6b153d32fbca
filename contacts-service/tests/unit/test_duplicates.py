"""How alike two contacts are, and what a merge gives the survivor."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from contacts.domain.duplicates import likeness, phone_digits
from contacts.domain.model import Contact, ContactRuleViolated

NOW = datetime(2026, 3, 1, tzinfo=UTC)


def contact(**details: Any) -> Contact:
    return Contact.create(NOW, **{"first_name": "Anna", "last_name": "Schmidt", **details})


def test_national_and_international_forms_of_a_number_are_the_same_phone() -> None:
    assert phone_digits("+49 (30) 123 4567") == phone_digits("030/1234567") != ""
    assert phone_digits("12") == ""
    assert phone_digits(None) == ""


def test_likeness_weighs_name_and_company_and_the_phone() -> None:
    assert likeness(1.0, None).reasons == ("same_name",)
    alike = likeness(0.7, 1.0)
    assert alike.score == pytest.approx(0.79)
    assert alike.reasons == ("similar_name", "same_company")
    assert likeness(0.7, 0.0).score < 0.6
    by_phone = likeness(0.4, None, "+49 30 1234567", "030 1234567")
    assert by_phone.score == pytest.approx(0.7)
    assert by_phone.reasons == ("same_phone",)


def test_the_survivor_fills_its_blanks_and_keeps_its_own_values() -> None:
    survivor = contact(email="anna@example.de", tags=["messe"], custom_fields={"a": 1})
    duplicate = contact(
        last_name="Schmitt",
        email="other@example.de",
        phone="+49 30 1",
        tags=["vip", "messe"],
        custom_fields={"a": 2, "b": 3},
        lifecycle_stage="customer",
    )
    assert survivor.merge_changes(duplicate) == {
        "phone": "+49 30 1",
        "tags": ["messe", "vip"],
        "custom_fields": {"a": 1, "b": 3},
        "lifecycle_stage": "customer",
    }


def test_a_contact_cannot_absorb_itself() -> None:
    anna = contact()
    with pytest.raises(ContactRuleViolated, match="duplicate_id"):
        anna.merge_changes(anna)


def test_the_retired_duplicate_lets_go_of_its_unique_values() -> None:
    duplicate = contact(email="a@example.de", external_id="crm-1")
    survivor = contact()
    duplicate.retire_into(survivor.id, NOW)
    assert (duplicate.email, duplicate.external_id) == (None, None)
    assert duplicate.merged_into_id == survivor.id
