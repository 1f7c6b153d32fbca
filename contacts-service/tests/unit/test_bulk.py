import uuid
from datetime import UTC, datetime

import pytest

from contacts.domain.bulk import KEEP_EXAMPLES, BulkAction, BulkActionKind, BulkTally, Outcome
from contacts.domain.model import Contact, ContactRuleViolated, ContactUpdated

NOW = datetime(2026, 3, 1, tzinfo=UTC)


def contact(**details: object) -> Contact:
    created = Contact.create(NOW, first_name="Anna", last_name="Müller", **details)
    created.pull_events()
    return created


def test_a_tag_is_added_once_normalised_and_removed_again() -> None:
    anna = contact(tags=["kunde"])
    add = BulkAction.checked(BulkActionKind.ADD_TAG, tag="  Messe ")

    assert add.apply(anna, NOW) == (Outcome.CHANGED, None)
    assert add.apply(anna, NOW) == (Outcome.UNCHANGED, None)
    assert anna.tags == ["kunde", "messe"]
    [event] = anna.pull_events()
    assert isinstance(event, ContactUpdated)
    assert event.changed_fields == ("tags",)

    assert BulkAction.checked(BulkActionKind.REMOVE_TAG, tag="MESSE").apply(anna, NOW)[0] == (
        Outcome.CHANGED
    )
    assert anna.tags == ["kunde"]


def test_the_stage_follows_the_contact_s_rules_churned_is_skipped_with_the_reason() -> None:
    to_customer = BulkAction.checked(BulkActionKind.SET_LIFECYCLE_STAGE, lifecycle_stage="customer")
    lead, lost = contact(), contact(lifecycle_stage="customer")
    lost.churn(NOW, "price", "zu teuer")
    lost.pull_events()

    assert to_customer.apply(lead, NOW) == (Outcome.CHANGED, None)
    outcome, reason = to_customer.apply(lost, NOW)
    assert outcome == Outcome.SKIPPED
    assert reason is not None
    assert "win-back" in reason
    assert lost.lifecycle_stage == "churned"
    assert lost.pull_events() == []


def test_the_owner_is_set_or_cleared() -> None:
    owner = uuid.uuid4()
    anna = contact()
    BulkAction.checked(BulkActionKind.SET_OWNER, owner_id=owner, owner_given=True).apply(anna, NOW)
    assert anna.owner_id == owner
    BulkAction.checked(BulkActionKind.SET_OWNER, owner_given=True).apply(anna, NOW)
    assert anna.owner_id is None


@pytest.mark.parametrize(
    ("kind", "values", "field"),
    [
        (BulkActionKind.ADD_TAG, {"tag": " "}, "tag"),
        (BulkActionKind.REMOVE_TAG, {}, "tag"),
        (BulkActionKind.SET_OWNER, {}, "owner_id"),
        (BulkActionKind.SET_LIFECYCLE_STAGE, {"lifecycle_stage": "churned"}, "lifecycle_stage"),
        (BulkActionKind.SET_LIFECYCLE_STAGE, {}, "lifecycle_stage"),
    ],
)
def test_an_action_without_its_value_names_the_field(
    kind: BulkActionKind, values: dict[str, str], field: str
) -> None:
    with pytest.raises(ContactRuleViolated) as refused:
        BulkAction.checked(kind, **values)  # type: ignore[arg-type]
    assert refused.value.field_name == field


def test_an_action_survives_the_job_params_round_trip() -> None:
    owner = uuid.uuid4()
    action = BulkAction.checked(BulkActionKind.SET_OWNER, owner_id=owner, owner_given=True)
    assert BulkAction.from_params(action.as_params()) == action


def test_the_tally_keeps_the_first_refusals_and_counts_the_rest() -> None:
    tally = BulkTally()
    for _ in range(KEEP_EXAMPLES + 3):
        tally.add(uuid.uuid4(), Outcome.SKIPPED, "no")
    tally.add(uuid.uuid4(), Outcome.CHANGED, None)
    result = tally.as_result()
    assert (result["changed"], result["skipped"]) == (1, KEEP_EXAMPLES + 3)
    assert len(result["skipped_examples"]) == KEEP_EXAMPLES
