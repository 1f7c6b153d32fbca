"""Creating and changing surveys, and inviting contacts to them."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from survey.adapters.repository import ContactCopy
from survey.domain.mail import MailKind, compose
from survey.domain.model import Invitation, RuleViolated, Survey, in_quiet_period
from survey.service_layer.policy import Policy
from survey.service_layer.unit_of_work import SurveyUnitOfWork
from treue.problems import Conflict, FieldError, NotFound, Problem, ValidationFailed


@dataclass(frozen=True)
class CreateSurvey:
    details: dict[str, Any]


@dataclass(frozen=True)
class UpdateSurvey:
    survey_id: uuid.UUID
    changes: dict[str, Any]


@dataclass(frozen=True)
class InviteContacts:
    """A list of contacts, or (`segment_id`) the members of a saved segment."""

    survey_id: uuid.UUID
    contact_ids: list[uuid.UUID]
    channel: str
    segment_id: uuid.UUID | None = None


@dataclass(frozen=True)
class Skipped:
    contact_id: uuid.UUID
    reason: str
    last_surveyed_at: datetime | None = None


@dataclass
class InvitationOutcome:
    invitations: list[Invitation] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)


async def create_survey(command: CreateSurvey, uow: SurveyUnitOfWork) -> Survey:
    async with uow:
        try:
            survey = Survey.create(datetime.now(UTC), **command.details)
        except RuleViolated as error:
            raise ValidationFailed(error.field_name, error.message) from error
        uow.surveys.add(survey)
        await uow.commit()
        return survey


async def update_survey(command: UpdateSurvey, uow: SurveyUnitOfWork) -> Survey:
    async with uow:
        survey = await _survey(uow, command.survey_id, for_update=True)
        try:
            survey.update(datetime.now(UTC), command.changes)
        except RuleViolated as error:
            raise ValidationFailed(error.field_name, error.message) from error
        await uow.commit()
        return survey


async def invite(
    command: InviteContacts, uow: SurveyUnitOfWork, policy: Policy
) -> InvitationOutcome:
    """One invitation per contact, except for contacts still in their quiet period (invited
    or answered within the survey's quiet_period_days, in any survey) and, by e-mail, those
    without an address: those are skipped. An e-mail invitation queues its mail in the
    same transaction."""
    now = datetime.now(UTC)
    async with uow:
        survey = await _survey(uow, command.survey_id)
        if not survey.active:
            raise Conflict(f"survey {survey.id} is not active; activate it to invite")
        if command.segment_id is not None:
            contact_ids = await uow.segments.members(command.segment_id)
            if not contact_ids:
                raise ValidationFailed(
                    "segment_id", f"segment {command.segment_id} has no members (yet)"
                )
            known = await uow.contacts.by_ids(contact_ids)
        else:
            contact_ids = list(dict.fromkeys(command.contact_ids))
            known = await uow.contacts.by_ids(contact_ids)
            _refuse_unknown(command.contact_ids, known.keys())
        ordered = {c: known[c] for c in contact_ids if c in known}
        outcome = await invite_known(uow, policy, survey, ordered, command.channel, now)
        # Segment members whose contact survey-service does not know (yet) are named.
        outcome.skipped += [Skipped(c, "unknown_contact") for c in contact_ids if c not in known]
        await uow.commit()
        return outcome


async def invite_known(
    uow: SurveyUnitOfWork,
    policy: Policy,
    survey: Survey,
    contacts: dict[uuid.UUID, ContactCopy],
    channel: str,
    now: datetime,
) -> InvitationOutcome:
    """The invitations of `contacts` inside the caller's transaction. Each contact's
    advisory lock is taken first (in id order, so two calls cannot deadlock): a second,
    concurrent call waits and then sees the first one's invitation, so nobody gets two
    invitations inside one quiet period."""
    await uow.invitations.lock_contacts(contacts.keys())
    last = await uow.invitations.last_surveyed(list(contacts))
    outcome = InvitationOutcome()
    for contact_id, contact in contacts.items():
        surveyed_at = last.get(contact_id)
        if in_quiet_period(surveyed_at, now, survey.quiet_period_days):
            outcome.skipped.append(Skipped(contact_id, "quiet_period", surveyed_at))
            continue
        if channel == "email" and not contact.email:
            outcome.skipped.append(Skipped(contact_id, "no_email"))
            continue
        invitation = Invitation.create(
            now, survey.id, contact_id, channel, policy.invitation_valid_days
        )
        uow.invitations.add(invitation)
        if channel == "email":
            await queue_mail(uow, policy, survey, contact, invitation, MailKind.INVITATION, now)
        outcome.invitations.append(invitation)
    return outcome


async def queue_mail(
    uow: SurveyUnitOfWork,
    policy: Policy,
    survey: Survey,
    contact: ContactCopy,
    invitation: Invitation,
    kind: MailKind,
    now: datetime,
) -> None:
    assert contact.email is not None
    mail = compose(
        kind,
        contact.language,
        contact.first_name,
        survey.name,
        policy.answer_url(invitation.token),
        invitation.expires_at,
    )
    await uow.mails.enqueue(
        invitation_id=invitation.id,
        contact_id=contact.id,
        kind=kind,
        recipient=contact.email,
        mail=mail,
        now=now,
    )


def _refuse_unknown(requested: list[uuid.UUID], known: Any) -> None:
    errors = [
        FieldError(field=f"contact_ids[{index}]", message=f"contact {contact_id} is unknown")
        for index, contact_id in enumerate(requested)
        if contact_id not in known
    ]
    if errors:
        detail = "; ".join(f"{error.field}: {error.message}" for error in errors[:5])
        raise Problem(
            detail, errors=errors, status=422, slug="validation", title="The request is not valid"
        )


async def _survey(
    uow: SurveyUnitOfWork, survey_id: uuid.UUID, *, for_update: bool = False
) -> Survey:
    survey = await uow.surveys.get(survey_id, for_update=for_update)
    if survey is None:
        raise NotFound(f"survey {survey_id} does not exist")
    return survey
