"""Defining custom fields of contacts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from contacts.domain.custom_fields import CustomField
from contacts.service_layer.errors import domain_errors
from contacts.service_layer.unit_of_work import ContactsUnitOfWork
from treue.problems import ALREADY_USED, IN_USE, Conflict, FieldError, NotFound


@dataclass(frozen=True)
class DefineCustomField:
    details: dict[str, Any]


@dataclass(frozen=True)
class ChangeCustomField:
    key: str
    changes: dict[str, Any]


async def define_custom_field(command: DefineCustomField, uow: ContactsUnitOfWork) -> CustomField:
    async with uow:
        key = command.details["key"]
        if await uow.custom_fields.get(key) is not None:
            raise Conflict(
                f"a custom field {key} exists already",
                errors=[FieldError(field="key", message="already defined", code=ALREADY_USED)],
            )
        with domain_errors():
            definition = CustomField.create(datetime.now(UTC), **command.details)
        uow.custom_fields.add(definition)
        await uow.commit()
        return definition


async def change_custom_field(command: ChangeCustomField, uow: ContactsUnitOfWork) -> CustomField:
    """Label, required and options may change; the key and type stay, as stored values
    depend on them. A new requirement holds for the contacts' next custom_fields write."""
    async with uow:
        definition = await uow.custom_fields.get(command.key, for_update=True)
        if definition is None:
            raise NotFound(f"custom field {command.key} does not exist")
        with domain_errors():
            definition.update(datetime.now(UTC), command.changes)
        await uow.commit()
        return definition


async def delete_custom_field(key: str, uow: ContactsUnitOfWork) -> None:
    """Only a field no contact holds a value of: the contacts' next writes would otherwise
    fail on an undefined key. Remove the values first (PATCH the contacts)."""
    async with uow:
        definition = await uow.custom_fields.get(key, for_update=True)
        if definition is None:
            raise NotFound(f"custom field {key} does not exist")
        if await uow.custom_fields.in_use(key):
            raise Conflict(
                f"contacts hold values of the custom field {key}",
                errors=[FieldError(field="key", message="in use by contacts", code=IN_USE)],
            )
        await uow.custom_fields.delete(key)
        await uow.commit()
