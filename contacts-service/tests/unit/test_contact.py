from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from contacts.domain.model import (
    Contact,
    ContactCreated,
    ContactRuleViolated,
    ContactUpdated,
    CustomerChurned,
    CustomerWonBack,
)
from contacts.domain.rules import StateConflict

NOW = datetime(2026, 3, 1, tzinfo=UTC)


def anna() -> Contact:
    return Contact.create(NOW, first_name="Anna", last_name="Müller", tags=["VIP", "vip", " b "])


def test_a_new_contact_is_a_lead_in_german_with_clean_tags_and_one_event() -> None:
    contact = anna()

    assert contact.lifecycle_stage == "lead"
    assert contact.language == "de"
    assert contact.tags == ["vip", "b"]
    assert [type(e) for e in contact.pull_events()] == [ContactCreated]
    assert contact.pull_events() == []


def test_new_contacts_get_time_ordered_ids() -> None:
    # UUIDv7: an import appends to the primary key's index instead of a random page per row.
    first, second = anna(), anna()

    assert (first.id.version, second.id.version) == (7, 7)
    assert first.id < second.id


def test_an_update_bumps_the_version_and_names_what_changed() -> None:
    contact = anna()
    contact.pull_events()

    contact.update(NOW, {"company": "Neu AG", "first_name": "Anna"})

    assert contact.version == 2
    events = contact.pull_events()
    assert isinstance(events[0], ContactUpdated)
    assert events[0].changed_fields == ("company",)


def test_an_update_that_changes_nothing_emits_nothing() -> None:
    contact = anna()
    contact.pull_events()

    contact.update(NOW, {"first_name": "Anna", "tags": ["VIP", "b"]})

    assert contact.version == 1
    assert contact.pull_events() == []


def test_consent_is_timestamped_when_given_and_cleared_when_withdrawn() -> None:
    contact = anna()

    contact.update(NOW, {"marketing_consent": True})
    given_at = contact.marketing_consent_at
    contact.update(NOW, {"marketing_consent": False})

    assert given_at == NOW
    assert contact.marketing_consent_at is None


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"first_name": "", "last_name": " "}, "last_name"),
        ({"acquisition_cost": Decimal("-1")}, "acquisition_cost"),
        ({"version": 9}, "version"),
    ],
)
def test_rules_name_the_field_they_protect(changes: dict[str, object], field: str) -> None:
    with pytest.raises(ContactRuleViolated) as violated:
        anna().update(NOW, changes)

    assert violated.value.field_name == field


def _customer() -> Contact:
    contact = Contact.create(
        datetime(2026, 1, 1, tzinfo=UTC), first_name="Jana", last_name="Becker"
    )
    contact.update(datetime(2026, 1, 2, tzinfo=UTC), {"lifecycle_stage": "customer"})
    contact.pull_events()
    return contact


def test_churn_needs_a_known_reason_and_a_note_and_happens_once() -> None:
    now = datetime(2026, 3, 1, tzinfo=UTC)
    contact = _customer()
    with pytest.raises(ContactRuleViolated, match="reason"):
        contact.churn(now, "bored", "note")
    with pytest.raises(ContactRuleViolated, match="note"):
        contact.churn(now, "price", " ")
    contact.churn(now, "price", " zu teuer ")
    assert (contact.lifecycle_stage, contact.churn_reason, contact.churn_note) == (
        "churned",
        "price",
        "zu teuer",
    )
    events = contact.pull_events()
    assert [type(e) for e in events] == [ContactUpdated, CustomerChurned]
    with pytest.raises(StateConflict):
        contact.churn(now, "price", "again")


def test_win_back_makes_a_churned_contact_a_customer() -> None:
    now = datetime(2026, 3, 1, tzinfo=UTC)
    contact = _customer()
    with pytest.raises(StateConflict):
        contact.win_back(now)
    contact.churn(now, "competitor", "Wechsel")
    contact.pull_events()
    contact.win_back(now)
    assert contact.lifecycle_stage == "customer"
    events = contact.pull_events()
    assert [type(e) for e in events] == [ContactUpdated, CustomerWonBack]
    assert isinstance(events[1], CustomerWonBack)
    assert events[1].reason == "competitor"


def test_erasure_removes_what_identifies_the_person_and_keeps_what_only_counts() -> None:
    now = datetime.now(UTC)
    contact = Contact.create(
        now,
        first_name="Anna",
        last_name="Schmidt",
        email="anna@example.de",
        phone="+49 30 1",
        company="Schmidt AG",
        tags=["vip"],
        custom_fields={"hobby": "Segeln"},
        external_id="crm-1",
        marketing_consent=True,
        acquisition_channel="fair",
        acquisition_cost=Decimal("50"),
        lifecycle_stage="customer",
    )
    contact.pull_events()
    later = now + timedelta(minutes=1)

    assert contact.erase(later) is True
    assert (contact.first_name, contact.last_name, contact.email, contact.phone) == (
        "",
        "",
        None,
        None,
    )
    assert (contact.company, contact.external_id, contact.tags, contact.custom_fields) == (
        None,
        None,
        [],
        {},
    )
    assert (contact.marketing_consent, contact.marketing_consent_at) == (False, None)
    assert (contact.acquisition_channel, contact.acquisition_cost) == ("fair", Decimal("50"))
    assert contact.lifecycle_stage == "customer"
    assert contact.erased_at == later
    assert [type(event).__name__ for event in contact.pull_events()] == ["ContactErased"]
    assert contact.erase(later + timedelta(minutes=1)) is False
    assert contact.pull_events() == []


def test_an_edit_cannot_churn_a_customer_without_the_churn_call() -> None:
    contact = _customer()

    with pytest.raises(ContactRuleViolated) as refused:
        contact.update(NOW, {"lifecycle_stage": "churned", "company": "Neu GmbH"})

    assert refused.value.field_name == "lifecycle_stage"
    assert (contact.lifecycle_stage, contact.company) == ("customer", None)


def test_an_edit_cannot_win_back_a_churned_contact_either() -> None:
    contact = _customer()
    contact.churn(NOW, "price", "zu teuer")

    with pytest.raises(ContactRuleViolated):
        contact.update(NOW, {"lifecycle_stage": "customer"})

    assert contact.lifecycle_stage == "churned"
    contact.update(NOW, {"lifecycle_stage": "churned", "company": "Alt AG"})
    assert contact.company == "Alt AG"
