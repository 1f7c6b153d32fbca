"""Command handlers: each takes a command and a unit of work, and only the unit of work commits."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from contacts.domain.custom_fields import check_custom_fields
from contacts.domain.model import Contact
from contacts.domain.rules import RuleViolated
from contacts.service_layer.errors import rule_problem
from contacts.service_layer.events import to_contract
from contacts.service_layer.unit_of_work import ContactsUnitOfWork
from treue.identity import Identity
from treue.problems import ALREADY_USED, Conflict, FieldError, NotFound


@dataclass(frozen=True)
class CreateContact:
    details: dict[str, Any]


@dataclass(frozen=True)
class UpdateContact:
    contact_id: uuid.UUID
    changes: dict[str, Any]
    # who asks; their role decides whom they may make owner (None: trusted internal callers)
    actor: Identity | None = None


async def create_contact(command: CreateContact, uow: ContactsUnitOfWork) -> Contact:
    async with uow:
        try:
            details = await _with_checked_custom_fields(uow, command.details)
            contact = Contact.create(datetime.now(UTC), **details)
        except RuleViolated as error:
            raise rule_problem(error) from error
        # The unique indexes find a taken e-mail or external id, not a SELECT first: a
        # round trip less per create, and the answer of a lost race is the same 409.
        with _taken_values_named(command.details):
            await uow.contacts.add(contact)
        _publish(uow, contact)
        await uow.commit()
        return contact


async def update_contact(command: UpdateContact, uow: ContactsUnitOfWork) -> Contact:
    async with uow:
        contact = await uow.contacts.get(command.contact_id, for_update=True)
        if contact is None:
            raise NotFound(f"contact {command.contact_id} does not exist")
        if command.actor is not None and "owner_id" in command.changes:
            command.actor.require_assignable(
                "owner_id", contact.owner_id, command.changes["owner_id"]
            )
        await _check_unique(uow, command.changes, contact)
        try:
            changes = command.changes
            if "custom_fields" in changes:
                changes = await _with_checked_custom_fields(uow, changes)
            contact.update(datetime.now(UTC), changes)
        except RuleViolated as error:
            raise rule_problem(error) from error
        _publish(uow, contact)
        await uow.commit()
        return contact


async def _with_checked_custom_fields(
    uow: ContactsUnitOfWork, details: dict[str, Any]
) -> dict[str, Any]:
    definitions = await uow.custom_fields.all()
    checked = check_custom_fields(details.get("custom_fields") or {}, definitions)
    return {**details, "custom_fields": checked}


def _publish(uow: ContactsUnitOfWork, contact: Contact) -> None:
    for event in contact.pull_events():
        uow.publish(to_contract(event), subject=str(contact.id))


async def _check_unique(
    uow: ContactsUnitOfWork, values: dict[str, Any], existing: Contact | None
) -> None:
    email: str | None = values.get("email")
    email_changes = email and (existing is None or (existing.email or "").lower() != email.lower())
    if (
        email
        and email_changes
        and await uow.contacts.email_taken(email, other_than=existing.id if existing else None)
    ):
        raise _taken("email", email)
    external_id: str | None = values.get("external_id")
    external_id_changes = existing is None or existing.external_id != external_id
    if external_id and external_id_changes and await uow.contacts.external_id_taken(external_id):
        raise _taken("external_id", external_id)


@contextmanager
def _taken_values_named(values: dict[str, Any]) -> Iterator[None]:
    """The unit of work's 409 of a unique index as the one naming the taken value."""
    try:
        yield
    except Conflict as conflict:
        field = conflict.errors[0].field if conflict.errors else None
        if field in _UNIQUE_VALUES:
            raise _taken(field, values[field]) from conflict
        raise


_UNIQUE_VALUES = {"email": "the e-mail", "external_id": "the external id"}


def _taken(field: str, value: str) -> Conflict:
    return Conflict(
        f"a contact with {_UNIQUE_VALUES[field]} {value} exists already",
        errors=[
            FieldError(field=field, message="already used by another contact", code=ALREADY_USED)
        ],
    )
