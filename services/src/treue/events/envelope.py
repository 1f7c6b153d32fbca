"""CloudEvents 1.0 in Kafka's binary content mode: attributes as ce_* headers, data as the value.

See the CloudEvents Kafka protocol binding: the key is the subject (the contact id), so all
events of one customer land on one partition and keep their order.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import orjson

SPEC_VERSION = "1.0"
CONTENT_TYPE = "application/json"

Headers = list[tuple[str, bytes]]


def kafka_headers(
    *,
    event_id: str,
    source: str,
    event_type: str,
    time: datetime,
    subject: str | None,
    content_type: str = CONTENT_TYPE,
) -> Headers:
    headers: Headers = [
        ("ce_specversion", SPEC_VERSION.encode()),
        ("ce_id", event_id.encode()),
        ("ce_source", source.encode()),
        ("ce_type", event_type.encode()),
        ("ce_time", time.isoformat().encode()),
        ("content-type", content_type.encode()),
    ]
    if subject is not None:
        headers.append(("ce_subject", subject.encode()))
    return headers


class MalformedEvent(ValueError):
    """A Kafka record that is not a valid CloudEvent; it belongs in the dead-letter table."""


@dataclass(frozen=True, slots=True, kw_only=True)
class CloudEvent:
    """A plain dataclass, not a pydantic model: the consumer builds one per record, and
    from_kafka checks the attributes itself (pydantic's validation and construction cost
    more than the rest of the parsing together). `data` is validated by its contract."""

    id: uuid.UUID = field(default_factory=uuid.uuid4)
    source: str
    type: str
    time: datetime = field(default_factory=lambda: datetime.now(UTC))
    subject: str | None = None
    datacontenttype: str = CONTENT_TYPE
    data: dict[str, Any]

    def kafka_headers(self) -> Headers:
        return kafka_headers(
            event_id=str(self.id),
            source=self.source,
            event_type=self.type,
            time=self.time,
            subject=self.subject,
            content_type=self.datacontenttype,
        )

    def kafka_value(self) -> bytes:
        return orjson.dumps(self.data)

    def kafka_key(self) -> bytes | None:
        return self.subject.encode() if self.subject is not None else None

    @classmethod
    def from_kafka(
        cls, headers: Headers | tuple[tuple[str, bytes], ...], value: bytes | None
    ) -> CloudEvent:
        attributes = {name: raw.decode("utf-8", "replace") for name, raw in headers}
        if attributes.get("ce_specversion") != SPEC_VERSION:
            raise MalformedEvent(f"ce_specversion is {attributes.get('ce_specversion')!r}, not 1.0")
        try:
            data = orjson.loads(value or b"")
        except orjson.JSONDecodeError as error:
            raise MalformedEvent(f"data is not JSON: {error}") from error
        if not isinstance(data, dict):
            raise MalformedEvent("data is not a JSON object")
        try:
            event_id = uuid.UUID(attributes["ce_id"])
            source = attributes["ce_source"]
            event_type = attributes["ce_type"]
            time = datetime.fromisoformat(attributes["ce_time"])
        except (KeyError, ValueError) as error:
            raise MalformedEvent(f"invalid CloudEvent attributes: {error!r}") from error
        return cls(
            id=event_id,
            source=source,
            type=event_type,
            time=time,
            subject=attributes.get("ce_subject"),
            datacontenttype=attributes.get("content-type", CONTENT_TYPE),
            data=data,
        )
