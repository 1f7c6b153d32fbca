import uuid
from datetime import UTC, datetime

import pytest

from treue.events.contracts import ContactCreatedV1, EventContract, contract_for
from treue.events.envelope import CloudEvent, MalformedEvent


def make_event() -> CloudEvent:
    return CloudEvent(
        source="contacts",
        type="treue.contact.created.v1",
        subject=str(uuid.uuid4()),
        time=datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC),
        data={"contact_id": "x", "name": "Jürgen"},
    )


def test_round_trip_through_kafka_headers_keeps_every_attribute() -> None:
    event = make_event()

    parsed = CloudEvent.from_kafka(event.kafka_headers(), event.kafka_value())

    assert parsed == event


def test_key_is_the_subject_so_one_customer_stays_on_one_partition() -> None:
    event = make_event()

    assert event.kafka_key() == event.subject.encode()  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("headers", "value", "reason"),
    [
        ([], b"{}", "specversion"),
        ([("ce_specversion", b"1.0")], b"{}", "invalid CloudEvent attributes"),
        (None, b"not json", "not JSON"),
        (None, b"[1, 2]", "not a JSON object"),
    ],
)
def test_malformed_records_are_rejected_with_a_reason(
    headers: list[tuple[str, bytes]] | None, value: bytes, reason: str
) -> None:
    valid = make_event().kafka_headers()

    with pytest.raises(MalformedEvent, match=reason):
        CloudEvent.from_kafka(valid if headers is None else headers, value)


def test_contracts_are_registered_by_type() -> None:
    assert contract_for("treue.contact.created.v1") is ContactCreatedV1
    assert contract_for("treue.nothing.v1") is None


def test_a_type_defined_twice_is_refused() -> None:
    with pytest.raises(ValueError, match="defined twice"):

        class Again(EventContract):
            event_type = "treue.contact.created.v1"
