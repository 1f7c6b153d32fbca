import uuid
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal

import pytest

from contacts.domain.interactions import Interaction, InteractionLogged
from contacts.domain.rules import RuleViolated

NOW = datetime(2026, 3, 1, 12, tzinfo=UTC)
CONTACT = uuid.uuid4()


def test_a_logged_interaction_happened_now_unless_told_and_records_one_event() -> None:
    interaction = Interaction.log(CONTACT, NOW, kind="note")

    assert interaction.occurred_at == NOW
    assert [type(e) for e in interaction.pull_events()] == [InteractionLogged]
    assert interaction.pull_events() == []


def test_times_are_kept_in_utc_and_costs_in_cents() -> None:
    berlin = timezone(timedelta(hours=1))

    interaction = Interaction.log(
        CONTACT,
        NOW,
        kind="ticket",
        occurred_at=datetime(2026, 3, 2, 9, 15, tzinfo=berlin),
        cost=Decimal("85.5"),
        currency="EUR",
    )

    assert interaction.occurred_at == datetime(2026, 3, 2, 8, 15, tzinfo=UTC)
    assert str(interaction.cost) == "85.50"


@pytest.mark.parametrize(
    ("details", "field"),
    [
        ({"kind": "fax"}, "kind"),
        ({"kind": "call", "cost": Decimal("-1"), "currency": "EUR"}, "cost"),
        ({"kind": "call", "cost": Decimal("10")}, "currency"),
        ({"kind": "call", "cost": Decimal("10"), "currency": "eur"}, "currency"),
    ],
)
def test_rules_name_the_field_they_protect(details: dict[str, object], field: str) -> None:
    with pytest.raises(RuleViolated) as violated:
        Interaction.log(CONTACT, NOW, **details)

    assert violated.value.field_name == field
