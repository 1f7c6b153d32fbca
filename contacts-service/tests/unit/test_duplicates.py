"""How alike two contacts are, and what a merge gives the survivor."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from contacts.domain.duplicates import likeness, mailbox, phone_digits
from contacts.domain.model import Contact, ContactRuleViolated, ContactUpdated

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


def test_a_mailbox_is_the_e_mail_without_case_and_plus_tag() -> None:
    assert mailbox("Anna.Schmidt+crm@Example.DE") == mailbox("anna.schmidt@example.de") != ""
    assert mailbox("anna@example.de") != mailbox("anna@example.com")
    assert mailbox(None) == ""


def test_the_same_mailbox_lifts_alike_names_but_not_different_ones() -> None:
    shared = likeness(0.5, None, email_a="Anna+x@example.de", email_b="anna@example.de")
    assert shared.score == pytest.approx(0.8)
    assert shared.reasons == ("same_email",)
    assert likeness(0.1, None, email_a="team@example.de", email_b="team@example.de").score < 0.6
    assert likeness(0.5, None, email_a="a@example.de", email_b="b@example.de").reasons == ()


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


def churned(reason: str, when: datetime, stage_before: str = "customer") -> Contact:
    lost = contact(lifecycle_stage=stage_before)
    lost.churn(when, reason, f"lost: {reason}")
    return lost


def merged(survivor: Contact, duplicate: Contact) -> Contact:
    survivor.pull_events()
    changes, churn = survivor.merge_changes(duplicate), survivor.merge_churn(duplicate)
    survivor.absorb(duplicate.id, changes, LATER, churn)
    return survivor


LATER = datetime(2026, 6, 1, tzinfo=UTC)


def test_a_lead_takes_the_duplicate_s_churn_with_its_reason() -> None:
    survivor = merged(contact(), churned("price", datetime(2026, 4, 1, tzinfo=UTC)))
    assert survivor.lifecycle_stage == "churned"
    assert (survivor.churn_reason, survivor.churn_note, survivor.churned_at) == (
        "price",
        "lost: price",
        datetime(2026, 4, 1, tzinfo=UTC),
    )
    assert survivor.version == 2
    updated = [e for e in survivor.pull_events() if isinstance(e, ContactUpdated)]
    assert updated[0].changed_fields == ("lifecycle_stage",)


def test_a_customer_takes_a_churn_that_happened_after_its_last_change() -> None:
    survivor = contact(lifecycle_stage="customer")  # last changed on NOW (1 March)
    later = merged(survivor, churned("competitor", datetime(2026, 4, 1, tzinfo=UTC)))
    assert (later.lifecycle_stage, later.churn_reason) == ("churned", "competitor")


def test_a_customer_changed_after_the_duplicate_s_churn_stays_a_customer() -> None:
    survivor = contact(lifecycle_stage="customer")
    survivor.update(datetime(2026, 5, 1, tzinfo=UTC), {"company": "Neu GmbH"})
    kept = merged(survivor, churned("price", datetime(2026, 4, 1, tzinfo=UTC)))
    assert (kept.lifecycle_stage, kept.churn_reason, kept.churned_at) == ("customer", None, None)


def test_of_two_churns_the_later_one_stays() -> None:
    april, may = datetime(2026, 4, 1, tzinfo=UTC), datetime(2026, 5, 1, tzinfo=UTC)
    survivor = merged(churned("price", april), churned("service", may))
    assert (survivor.lifecycle_stage, survivor.churn_reason, survivor.churned_at) == (
        "churned",
        "service",
        may,
    )
    assert survivor.version == 3  # churn (2), then the merge's churn record (3)
    kept = merged(churned("service", may), churned("price", april))
    assert (kept.churn_reason, kept.churned_at) == ("service", may)


def test_a_merge_never_wins_a_churned_survivor_back() -> None:
    survivor = churned("price", datetime(2026, 4, 1, tzinfo=UTC))
    customer = contact(lifecycle_stage="customer")
    customer.update(datetime(2026, 5, 1, tzinfo=UTC), {"company": "Neu GmbH"})
    kept = merged(survivor, customer)
    assert (kept.lifecycle_stage, kept.churn_reason) == ("churned", "price")
