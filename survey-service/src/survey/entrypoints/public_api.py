"""The public answer page behind the token: no login and no identity (the gateway passes
none for /api/v1/public/**), so these routes never depend on `current_identity`."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Response, status

from survey.entrypoints.dependencies import PolicyDep, UowDep, problem_responses
from survey.entrypoints.response_schemas import (
    PublicAnswer,
    PublicInvitationRead,
    PublicResponseRead,
)
from survey.service_layer import response_handlers, views

router = APIRouter(prefix="/api/v1/public/invitations", tags=["public"])
Token = Annotated[str, Path(min_length=20, max_length=100, description="The invitation token")]


@router.get("/{token}", response_model=PublicInvitationRead, responses=problem_responses(404, 410))
async def get_invitation(token: Token, uow: UowDep, policy: PolicyDep) -> PublicInvitationRead:
    """The question in the invited contact's language, and the answer given so far."""
    view = await views.invitation_view(token, uow, policy)
    answer = None
    if view.response is not None and view.editable_until is not None:
        answer = PublicResponseRead(
            score=view.response.score,
            comment=view.response.comment,
            responded_at=view.response.responded_at,
            editable_until=view.editable_until,
        )
    return PublicInvitationRead(
        survey_id=view.survey_id,
        language=view.language,
        question=view.question,
        follow_up_question=view.follow_up_question,
        response=answer,
    )


@router.post(
    "/{token}/response",
    status_code=status.HTTP_201_CREATED,
    response_model=PublicResponseRead,
    responses={
        200: {"description": "An earlier answer was changed", "model": PublicResponseRead},
        **problem_responses(404, 409, 410),
    },
)
async def answer(
    token: Token, body: PublicAnswer, uow: UowDep, policy: PolicyDep, response: Response
) -> PublicResponseRead:
    """One response per token: the first answer is recorded (201); another within 24 h
    changes it (200); after that → 409."""
    recorded = await response_handlers.answer_by_token(
        response_handlers.AnswerByToken(token, body.score, body.comment), uow, policy
    )
    if not recorded.created:
        response.status_code = status.HTTP_200_OK
    given = recorded.response
    return PublicResponseRead(
        score=given.score,
        comment=given.comment,
        responded_at=given.responded_at,
        editable_until=given.created_at + policy.edit_window,
    )
