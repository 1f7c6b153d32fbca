"""Logging interactions with a contact."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from contacts.domain.interactions import Interaction
from contacts.domain.rules import RuleViolated
from contacts.service_layer.errors import rule_problem
from contacts.service_layer.events import to_contract
from contacts.service_layer.unit_of_work import ContactsUnitOfWork
from treue.problems import NotFound


@dataclass(frozen=True)
class LogInteraction:
    contact_id: uuid.UUID
    details: dict[str, Any]


async def log_interaction(command: LogInteraction, uow: ContactsUnitOfWork) -> Interaction:
    async with uow:
        if await uow.contacts.get(command.contact_id) is None:
            raise NotFound(f"contact {command.contact_id} does not exist")
        try:
            interaction = Interaction.log(command.contact_id, datetime.now(UTC), **command.details)
        except RuleViolated as error:
            raise rule_problem(error) from error
        uow.interactions.add(interaction)
        for event in interaction.pull_events():
            uow.publish(to_contract(event), subject=str(interaction.contact_id))
        await uow.commit()
        return interaction
