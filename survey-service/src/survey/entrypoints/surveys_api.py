"""HTTP routes of surveys and their invitations: thin, they parse, call a handler and shape
the answer."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Query, status

from survey.domain.model import Invitation, Survey
from survey.domain.statistics import Counts, score
from survey.entrypoints.dependencies import PolicyDep, RulesDep, UowDep, problem_responses
from survey.entrypoints.schemas import (
    InvitationBatch,
    InvitationCreate,
    InvitationRead,
    InvitationStatusRead,
    SkippedRead,
    SurveyCreate,
    SurveyListItem,
    SurveyRead,
    SurveyUpdate,
)
from survey.service_layer import survey_handlers
from survey.service_layer.policy import Policy
from treue.identity import CurrentIdentity, current_identity
from treue.pagination import Cursor, Limit, Page, decode_cursor
from treue.problems import NotFound, ValidationFailed

# Null switches the automatic invitations off.
NULLABLE = {"after_order_days", "before_renewal_days"}
router = APIRouter(
    prefix="/api/v1/surveys", tags=["surveys"], dependencies=[Depends(current_identity)]
)


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    response_model=SurveyRead,
    responses=problem_responses(403),
)
async def create_survey(
    body: SurveyCreate, uow: UowDep, rules: RulesDep, identity: CurrentIdentity
) -> SurveyRead:
    identity.require_scope("surveys:write")
    details = {**rules.survey_defaults(), **body.model_dump(exclude_none=True)}
    survey = await survey_handlers.create_survey(survey_handlers.CreateSurvey(details), uow)
    return SurveyRead.model_validate(survey)


@router.get("", response_model=Page[SurveyListItem])
async def list_surveys(
    uow: UowDep, identity: CurrentIdentity, limit: Limit = 50, cursor: Cursor = None
) -> Page[SurveyListItem]:
    """Oldest first, each with its answers so far and their NPS."""
    identity.require_scope("surveys:read")
    position = decode_cursor(cursor, 2) if cursor else None
    async with uow:
        rows = await uow.surveys.page(limit + 1, position)
        totals = await uow.responses.totals_by_survey([row.id for row in rows[:limit]])

    def listed(survey: Survey) -> SurveyListItem:
        counts, last_day = totals.get(survey.id, (Counts(), None))
        return SurveyListItem(
            **SurveyRead.model_validate(survey).model_dump(),
            responses=counts.n,
            nps=score(counts).nps,
            last_response_on=last_day,
        )

    return Page.of(
        rows,
        limit,
        key=lambda survey: [survey.created_at.isoformat(), str(survey.id)],
        item=listed,
    )


@router.get("/{survey_id}", response_model=SurveyRead, responses=problem_responses(404))
async def get_survey(survey_id: uuid.UUID, uow: UowDep, identity: CurrentIdentity) -> SurveyRead:
    identity.require_scope("surveys:read")
    async with uow:
        survey = await uow.surveys.get(survey_id)
    if survey is None:
        raise NotFound(f"survey {survey_id} does not exist")
    return SurveyRead.model_validate(survey)


@router.patch("/{survey_id}", response_model=SurveyRead, responses=problem_responses(403, 404))
async def update_survey(
    survey_id: uuid.UUID, body: SurveyUpdate, uow: UowDep, identity: CurrentIdentity
) -> SurveyRead:
    identity.require_scope("surveys:write")
    changes = body.model_dump(exclude_unset=True)
    for name in sorted(changes):
        if changes[name] is None and name not in NULLABLE:
            raise ValidationFailed(name, "must not be null")
    survey = await survey_handlers.update_survey(
        survey_handlers.UpdateSurvey(survey_id, changes), uow
    )
    return SurveyRead.model_validate(survey)


@router.post(
    "/{survey_id}/invitations",
    status_code=status.HTTP_201_CREATED,
    response_model=InvitationBatch,
    responses=problem_responses(403, 404, 409),
)
async def invite_contacts(
    survey_id: uuid.UUID,
    body: InvitationCreate,
    uow: UowDep,
    policy: PolicyDep,
    identity: CurrentIdentity,
) -> InvitationBatch:
    """One invitation with an unguessable token and its answer URL per contact. Contacts
    invited or answering (in any survey) within the survey's `quiet_period_days` are not
    invited again but listed in `skipped` (also under concurrent calls). Channel `email`
    sends the link by e-mail in the contact's language (German or English, plain text and
    HTML); the mail is queued in the same transaction as the invitation and sent in the
    background, retried while the mail server fails. Contacts without an e-mail address
    are skipped with reason `no_email`. Channel `link`: the caller hands the URL out.
    With `segment_id`, the contacts now in that saved segment are invited (membership as
    analytics-service last announced it)."""
    identity.require_scope("surveys:write")
    if (body.contact_ids is None) == (body.segment_id is None):
        raise ValidationFailed("segment_id", "send either contact_ids or segment_id")
    outcome = await survey_handlers.invite(
        survey_handlers.InviteContacts(
            survey_id, body.contact_ids or [], body.channel, body.segment_id
        ),
        uow,
        policy,
    )
    return InvitationBatch(
        items=[_invitation(invitation, policy) for invitation in outcome.invitations],
        skipped=[
            SkippedRead(
                contact_id=s.contact_id, reason=s.reason, last_surveyed_at=s.last_surveyed_at
            )
            for s in outcome.skipped
        ],
    )


@router.get(
    "/{survey_id}/invitations",
    response_model=Page[InvitationStatusRead],
    responses=problem_responses(403, 404),
)
async def list_invitations(
    survey_id: uuid.UUID,
    uow: UowDep,
    identity: CurrentIdentity,
    contact_id: Annotated[uuid.UUID | None, Query(description="Only this contact's")] = None,
    limit: Limit = 50,
    cursor: Cursor = None,
) -> Page[InvitationStatusRead]:
    """Newest first: how each invitation came (by hand, after an order, before a renewal),
    whether its mail went out, the reminders sent and whether it was answered."""
    identity.require_scope("surveys:read")
    position = decode_cursor(cursor, 2) if cursor else None
    async with uow:
        if await uow.surveys.get(survey_id) is None:
            raise NotFound(f"survey {survey_id} does not exist")
        rows = await uow.invitations.page(survey_id, contact_id, limit + 1, position)
    return Page.of(
        rows,
        limit,
        key=lambda invitation: [invitation.created_at.isoformat(), str(invitation.id)],
        item=InvitationStatusRead.model_validate,
    )


def _invitation(invitation: Invitation, policy: Policy) -> InvitationRead:
    return InvitationRead(
        id=invitation.id,
        survey_id=invitation.survey_id,
        contact_id=invitation.contact_id,
        channel=invitation.channel,
        token=invitation.token,
        url=policy.answer_url(invitation.token),
        created_at=invitation.created_at,
        expires_at=invitation.expires_at,
    )
