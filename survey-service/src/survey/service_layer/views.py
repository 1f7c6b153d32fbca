"""Read-side answers that need more than one repository: the public answer page and NPS."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime

from survey.adapters.responses_repository import NpsFilter
from survey.domain.model import Response
from survey.domain.statistics import Interval, Report, report
from survey.domain.themes import Themes, themes
from survey.service_layer.policy import Gone, Policy
from survey.service_layer.unit_of_work import SurveyUnitOfWork
from treue.problems import NotFound


@dataclass(frozen=True)
class InvitationView:
    survey_id: uuid.UUID
    language: str
    question: str
    follow_up_question: str
    response: Response | None
    editable_until: datetime | None


@dataclass(frozen=True)
class ResponseRate:
    invitations: int
    answered: int

    @property
    def rate(self) -> float | None:
        return self.answered / self.invitations if self.invitations else None


async def invitation_view(token: str, uow: SurveyUnitOfWork, policy: Policy) -> InvitationView:
    """The question in the invited contact's language (English when the copy lacks it)."""
    async with uow:
        invitation = await uow.invitations.by_token(token)
        if invitation is None:
            raise NotFound("this survey link is unknown")
        if invitation.expired(datetime.now(UTC)):
            raise Gone("this survey link has expired")
        survey = await uow.surveys.get(invitation.survey_id)
        contact = await uow.contacts.get(invitation.contact_id)
        response = await uow.responses.for_invitation(invitation.id)
    assert survey is not None
    language = (
        contact.language if contact is not None and contact.language in survey.question else "en"
    )
    question, follow_up = survey.question_in(language)
    editable_until = response.created_at + policy.edit_window if response is not None else None
    return InvitationView(survey.id, language, question, follow_up, response, editable_until)


async def nps(filters: NpsFilter, interval: Interval, uow: SurveyUnitOfWork) -> Report:
    async with uow:
        return await _nps(filters, interval, uow)


async def survey_nps(
    filters: NpsFilter, interval: Interval, uow: SurveyUnitOfWork
) -> tuple[Report, ResponseRate]:
    """One survey's NPS and its response rate, read in one transaction."""
    assert filters.survey_id is not None
    async with uow:
        report_ = await _nps(filters, interval, uow)
        invitations, answered = await uow.invitations.count_for(filters.survey_id)
    return report_, ResponseRate(invitations, answered)


async def _nps(filters: NpsFilter, interval: Interval, uow: SurveyUnitOfWork) -> Report:
    if filters.survey_id is not None and await uow.surveys.get(filters.survey_id) is None:
        raise NotFound(f"survey {filters.survey_id} does not exist")
    counts = await uow.responses.counts_by_period(filters, interval)
    return report(counts, interval)


async def comment_themes(
    filters: NpsFilter, uow: SurveyUnitOfWork, min_comments: int, limit: int
) -> Themes:
    async with uow:
        if filters.survey_id is not None and await uow.surveys.get(filters.survey_id) is None:
            raise NotFound(f"survey {filters.survey_id} does not exist")
        comments = await uow.responses.comments(filters)
    return themes(
        comments["detractor"], comments["promoter"], min_comments=min_comments, limit=limit
    )
