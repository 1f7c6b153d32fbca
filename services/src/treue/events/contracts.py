"""Versioned event contracts: one pydantic model per event type.

Types are `treue.<aggregate>.<verb>.v<N>`. A change that breaks consumers gets a new
version; producers emit both while consumers move over.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any, ClassVar, TypeVar

from pydantic import BaseModel, ConfigDict

C = TypeVar("C", bound="EventContract")

_REGISTRY: dict[str, type[EventContract]] = {}


class EventContract(BaseModel):
    """Base of every event payload; subclasses name their CloudEvents type."""

    model_config = ConfigDict(frozen=True, extra="ignore")
    event_type: ClassVar[str]

    @classmethod
    def __pydantic_init_subclass__(cls, **kwargs: Any) -> None:
        super().__pydantic_init_subclass__(**kwargs)
        event_type = cls.__dict__.get("event_type")
        if event_type is not None:
            if event_type in _REGISTRY:
                raise ValueError(f"event type {event_type} is defined twice")
            _REGISTRY[event_type] = cls


def contract_for(event_type: str) -> type[EventContract] | None:
    return _REGISTRY.get(event_type)


def event_type_of(contract: type[EventContract]) -> str:
    return contract.event_type


class ContactStateV1(EventContract):
    """The contact as it is after the change: consumers keep their copy from it."""

    contact_id: uuid.UUID
    version: int
    first_name: str
    last_name: str
    email: str | None
    company: str | None
    language: str
    lifecycle_stage: str
    tags: list[str]
    acquisition_channel: str | None
    acquisition_cost: str | None


class ContactCreatedV1(ContactStateV1):
    event_type: ClassVar[str] = "treue.contact.created.v1"
    created_at: datetime


class ContactUpdatedV1(ContactStateV1):
    event_type: ClassVar[str] = "treue.contact.updated.v1"
    updated_at: datetime
    changed_fields: list[str]
