"""Recording NPS answers (through the public token or from other systems) and the closed
loop: every detractor opens a feedback case; every answer is published, in one transaction."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime

from survey.domain.model import EditWindowClosed, FeedbackCase, Response
from survey.domain.statistics import Category
from survey.service_layer import events
from survey.service_layer.policy import Gone, Policy
from survey.service_layer.unit_of_work import SurveyUnitOfWork
from treue.problems import Conflict, FieldError, NotFound, ValidationFailed


@dataclass(frozen=True)
class AnswerByToken:
    token: str
    score: int
    comment: str | None


@dataclass(frozen=True)
class RecordResponse:
    survey_id: uuid.UUID
    contact_id: uuid.UUID
    score: int
    comment: str | None
    responded_at: datetime | None
    external_id: str | None


@dataclass(frozen=True)
class Recorded:
    response: Response
    created: bool


async def answer_by_token(
    command: AnswerByToken, uow: SurveyUnitOfWork, policy: Policy
) -> Recorded:
    """The first answer records the response; another within the edit window changes it."""
    now = datetime.now(UTC)
    async with uow:
        invitation = await uow.invitations.by_token(command.token)
        if invitation is None:
            raise NotFound("this survey link is unknown")
        if invitation.expired(now):
            raise Gone("this survey link has expired")
        response = await uow.responses.for_invitation(invitation.id, for_update=True)
        if response is None:
            response = Response.record(
                now,
                survey_id=invitation.survey_id,
                contact_id=invitation.contact_id,
                invitation_id=invitation.id,
                score=command.score,
                comment=command.comment,
                channel="link",
            )
            await uow.responses.add(response)
            await _close_the_loop(uow, response, policy, was=None, now=now)
            await uow.commit()
            return Recorded(response, created=True)
        await _edit(uow, response, command, policy, now)
        await uow.commit()
        return Recorded(response, created=False)


async def _edit(
    uow: SurveyUnitOfWork, response: Response, command: AnswerByToken, policy: Policy, now: datetime
) -> None:
    was = response.category
    try:
        response.edit(now, command.score, command.comment, policy.edit_window)
    except EditWindowClosed as error:
        hours = int(policy.edit_window.total_seconds() // 3600)
        raise Conflict(
            f"the response was given more than {hours} h ago and can no longer be changed",
            errors=[FieldError(field="token", message="already answered")],
        ) from error
    await _close_the_loop(uow, response, policy, was=was, now=now)


async def record_response(
    command: RecordResponse, uow: SurveyUnitOfWork, policy: Policy
) -> Recorded:
    """An answer another system collected; the same external_id again returns the first."""
    now = datetime.now(UTC)
    async with uow:
        if await uow.surveys.get(command.survey_id) is None:
            raise NotFound(f"survey {command.survey_id} does not exist")
        if command.external_id is not None:
            first = await uow.responses.by_external_id(command.survey_id, command.external_id)
            if first is not None:
                return Recorded(first, created=False)
        if await uow.contacts.get(command.contact_id) is None:
            raise ValidationFailed("contact_id", f"contact {command.contact_id} is unknown")
        if command.responded_at is not None and command.responded_at > now:
            raise ValidationFailed("responded_at", "must not be in the future")
        response = Response.record(
            now,
            survey_id=command.survey_id,
            contact_id=command.contact_id,
            score=command.score,
            comment=command.comment,
            responded_at=command.responded_at,
            external_id=command.external_id,
            channel="api",
        )
        await uow.responses.add(response)
        await _close_the_loop(uow, response, policy, was=None, now=now)
        await uow.commit()
        return Recorded(response, created=True)


async def _close_the_loop(
    uow: SurveyUnitOfWork, response: Response, policy: Policy, was: str | None, now: datetime
) -> None:
    """Publish the answer; a new detractor gets a feedback case (one per response), a new
    promoter is announced for a referral request."""
    subject = str(response.contact_id)
    uow.publish(events.response_recorded(response), subject=subject)
    if response.category == was:
        return
    if response.category == Category.DETRACTOR:
        case = await uow.cases.for_response(response.id) if was is not None else None
        if case is None:
            case = FeedbackCase.open_for(response, now, policy.case_sla)
            uow.cases.add(case)
            uow.publish(events.detractor(response, case), subject=subject)
            uow.publish(events.case_updated(case), subject=subject)
    elif response.category == Category.PROMOTER:
        uow.publish(events.promoter(response), subject=subject)
