"""Responses and feedback cases turned into the public event contracts."""

from __future__ import annotations

from survey.domain.model import FeedbackCase, Response
from treue.events.contracts import (
    FeedbackCaseUpdatedV1,
    NpsDetractorV1,
    NpsPromoterV1,
    NpsResponseRecordedV1,
)


def response_recorded(response: Response) -> NpsResponseRecordedV1:
    return NpsResponseRecordedV1(
        response_id=response.id,
        survey_id=response.survey_id,
        contact_id=response.contact_id,
        score=response.score,
        category=response.category,
        comment=response.comment,
        responded_at=response.responded_at,
        channel=response.channel,
        revision=response.revision,
        recorded_at=response.updated_at,
    )


def detractor(response: Response, case: FeedbackCase) -> NpsDetractorV1:
    return NpsDetractorV1(
        contact_id=response.contact_id,
        survey_id=response.survey_id,
        response_id=response.id,
        score=response.score,
        comment=response.comment,
        responded_at=response.responded_at,
        feedback_case_id=case.id,
        due_at=case.due_at,
    )


def promoter(response: Response) -> NpsPromoterV1:
    return NpsPromoterV1(
        contact_id=response.contact_id,
        survey_id=response.survey_id,
        response_id=response.id,
        score=response.score,
        comment=response.comment,
        responded_at=response.responded_at,
    )


def case_updated(case: FeedbackCase) -> FeedbackCaseUpdatedV1:
    return FeedbackCaseUpdatedV1(
        feedback_case_id=case.id,
        contact_id=case.contact_id,
        survey_id=case.survey_id,
        status=case.status,
        owner_id=case.owner_id,
        due_at=case.due_at,
        opened_at=case.created_at,
        resolved_at=case.resolved_at,
        updated_at=case.updated_at,
    )
