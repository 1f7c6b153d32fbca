"""Working on feedback cases: owner, due date, status and resolution."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from survey.domain.model import FeedbackCase, RuleViolated, TransitionRefused
from survey.service_layer import events
from survey.service_layer.unit_of_work import SurveyUnitOfWork
from treue.identity import Identity
from treue.problems import Conflict, FieldError, NotFound, ValidationFailed


@dataclass(frozen=True)
class UpdateCase:
    case_id: uuid.UUID
    changes: dict[str, Any]
    # who asks; their role decides whom they may make owner (None: trusted internal callers)
    actor: Identity | None = None


async def update_case(command: UpdateCase, uow: SurveyUnitOfWork) -> FeedbackCase:
    async with uow:
        case = await uow.cases.get(command.case_id, for_update=True)
        if case is None:
            raise NotFound(f"feedback case {command.case_id} does not exist")
        if command.actor is not None and "owner_id" in command.changes:
            command.actor.require_assignable("owner_id", case.owner_id, command.changes["owner_id"])
        try:
            case.change(datetime.now(UTC), command.changes)
        except TransitionRefused as error:
            raise Conflict(
                str(error), errors=[FieldError(field="status", message=str(error))]
            ) from error
        except RuleViolated as error:
            raise ValidationFailed(error.field_name, error.message) from error
        uow.publish(events.case_updated(case), subject=str(case.contact_id))
        await uow.commit()
        return case
