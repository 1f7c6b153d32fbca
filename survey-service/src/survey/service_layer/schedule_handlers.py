"""The scheduled work of survey-service: reminders for unanswered e-mail invitations and
the automatic invitations whose day has come. One replica at a time does it (advisory
lock); `now` is passed in, so tests move the clock."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from survey.adapters.repository import ContactCopy
from survey.domain.mail import MailKind
from survey.domain.model import ScheduledInvitation, Survey
from survey.service_layer.policy import Policy
from survey.service_layer.survey_handlers import invite_known, queue_mail
from survey.service_layer.unit_of_work import SurveyUnitOfWork

SCHEDULE_LOCK = "survey:schedule"


@dataclass
class ScheduleRun:
    ran: bool = True
    reminded: int = 0
    invited: int = 0
    skipped: int = 0
    purged: int = 0


async def run_schedule(
    uow: SurveyUnitOfWork, policy: Policy, now: datetime, batch: int = 500
) -> ScheduleRun:
    """One turn: up to `batch` reminders and `batch` automatic invitations, in one
    transaction with their mails, and the purge of mails older than the retention. Another
    replica holding the lock makes this a no-op."""
    async with uow:
        if not await uow.invitations.try_lock(SCHEDULE_LOCK):
            return ScheduleRun(ran=False)
        run = ScheduleRun()
        await _remind(uow, policy, now, batch, run)
        await _invite_due(uow, policy, now, batch, run)
        run.purged = await uow.mails.purge(now - policy.mail_retention)
        await uow.commit()
        return run


async def _remind(
    uow: SurveyUnitOfWork, policy: Policy, now: datetime, batch: int, run: ScheduleRun
) -> None:
    candidates = await uow.invitations.reminder_candidates(now, batch)
    contacts = await uow.contacts.by_ids({invitation.contact_id for invitation, _ in candidates})
    for invitation, survey in candidates:
        contact = contacts.get(invitation.contact_id)
        if contact is None or not invitation.reminder_due(now, survey):
            continue
        invitation.note_reminder()
        await queue_mail(uow, policy, survey, contact, invitation, MailKind.REMINDER, now)
        run.reminded += 1


async def _invite_due(
    uow: SurveyUnitOfWork, policy: Policy, now: datetime, batch: int, run: ScheduleRun
) -> None:
    due = await uow.schedule.due(now, batch)
    contacts = await uow.contacts.by_ids({item.contact_id for item in due})
    surveys: dict[uuid.UUID, Survey | None] = {}
    for item in due:
        if item.survey_id not in surveys:
            surveys[item.survey_id] = await uow.surveys.get(item.survey_id)
        outcome, invitation_id = await _invite_one(
            uow, policy, surveys[item.survey_id], item, contacts, now
        )
        await uow.schedule.mark_done(item.id, outcome, invitation_id, now)
        if invitation_id is not None:
            run.invited += 1
        else:
            run.skipped += 1


async def _invite_one(
    uow: SurveyUnitOfWork,
    policy: Policy,
    survey: Survey | None,
    item: ScheduledInvitation,
    contacts: dict[uuid.UUID, ContactCopy],
    now: datetime,
) -> tuple[str, uuid.UUID | None]:
    """(outcome, invitation id): `invited`, or why not (inactive, unknown_contact,
    quiet_period, no_email)."""
    if survey is None or not survey.active:
        return "inactive", None
    contact = contacts.get(item.contact_id)
    if contact is None:
        return "unknown_contact", None
    outcome = await invite_known(uow, policy, survey, {item.contact_id: contact}, "email", now)
    if outcome.invitations:
        return "invited", outcome.invitations[0].id
    return outcome.skipped[0].reason, None
