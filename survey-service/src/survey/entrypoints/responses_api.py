"""HTTP routes of responses from other systems and of the NPS reports."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Response, status

from survey.adapters.responses_repository import NpsFilter
from survey.domain.statistics import Interval, Report
from survey.domain.statistics import Score as NpsScore
from survey.entrypoints.dependencies import PolicyDep, UowDep, problem_responses
from survey.entrypoints.response_schemas import (
    NpsRead,
    PeriodRead,
    ResponseCreate,
    ResponseRateRead,
    ResponseRead,
    ScoreRead,
    ThemesRead,
)
from survey.service_layer import response_handlers, views
from treue.identity import CurrentIdentity, current_identity
from treue.pagination import Cursor, Limit, Page, decode_cursor
from treue.problems import ValidationFailed

router = APIRouter(prefix="/api/v1", tags=["responses"], dependencies=[Depends(current_identity)])

NPS_DESCRIPTION = """
NPS = % promoters (9-10) - % detractors (0-6), from -100 to +100; passives (7-8) count in n.

**Statistics.** Each answer is a variable taking +100 (promoter), 0 (passive) or -100
(detractor); the NPS is its mean. With the proportions p_p and p_d of n answers, the
variance per answer is `var = p_p + p_d - (p_p - p_d)²`, the standard error
`SE = 100·sqrt(var / n)` and the 95% confidence interval `nps ± 1.96·SE`, clipped to
[-100, 100]. `change` is the NPS of a period minus that of the period before; it is tested
with a two-sample z-test, `z = change / sqrt(SE₁² + SE₂²)`, two-sided
`p_value = erfc(|z| / √2)`, `significant` when p < 0.05. Without answers in a period
(n = 0) its `nps`, CI and change are null; when both periods are unanimous (zero variance)
the test is undefined and `p_value` is null. Periods start on Monday (week), the first of the
month or of the quarter, in UTC; `from` is inclusive, `to` exclusive, both on `responded_at`.

**Speed.** The counts come from daily rollups per survey (and per tag and per segment),
kept up to date in the same transaction as every answer, edit, merge or erasure, so the
time does not grow with the number of answers; a `from`/`to` that is not midnight UTC adds
the answers of its partial first and last day. `tag` and `segment_id` together are counted
from the answers themselves and are slow on large surveys.
"""

IntervalQuery = Annotated[Interval, Query(description="Length of each period in `series`")]
FromQuery = Annotated[datetime | None, Query(alias="from", description="responded_at ≥ from")]
ToQuery = Annotated[datetime | None, Query(alias="to", description="responded_at < to")]
TagQuery = Annotated[str | None, Query(max_length=50, description="Only contacts with this tag")]
SegmentQuery = Annotated[
    uuid.UUID | None,
    Query(description="Only contacts now in this saved segment (as analytics-service reports)"),
]


@router.post(
    "/surveys/{survey_id}/responses",
    status_code=status.HTTP_201_CREATED,
    response_model=ResponseRead,
    responses={
        200: {"description": "The first response of this external_id", "model": ResponseRead},
        **problem_responses(403, 404),
    },
)
async def record_response(
    survey_id: uuid.UUID,
    body: ResponseCreate,
    uow: UowDep,
    policy: PolicyDep,
    identity: CurrentIdentity,
    response: Response,
) -> ResponseRead:
    """An answer collected by another system; detractors open a feedback case as usual."""
    identity.require_scope("surveys:write")
    recorded = await response_handlers.record_response(
        response_handlers.RecordResponse(survey_id, **body.model_dump()), uow, policy
    )
    if not recorded.created:
        response.status_code = status.HTTP_200_OK
    return ResponseRead.model_validate(recorded.response)


@router.get(
    "/surveys/{survey_id}/responses",
    response_model=Page[ResponseRead],
    responses=problem_responses(403),
)
async def list_responses(
    survey_id: uuid.UUID,
    uow: UowDep,
    identity: CurrentIdentity,
    limit: Limit = 50,
    cursor: Cursor = None,
) -> Page[ResponseRead]:
    """Newest answer first."""
    identity.require_scope("surveys:read")
    position = decode_cursor(cursor, 2) if cursor else None
    async with uow:
        rows = await uow.responses.page(survey_id, limit + 1, position)
    return Page.of(
        rows,
        limit,
        key=lambda response: [response.responded_at.isoformat(), str(response.id)],
        item=ResponseRead.model_validate,
    )


@router.get(
    "/surveys/{survey_id}/nps",
    response_model=NpsRead,
    description=NPS_DESCRIPTION + "\n`response_rate`: invitations answered / invitations sent.",
    responses=problem_responses(403, 404),
)
async def survey_nps(
    survey_id: uuid.UUID,
    uow: UowDep,
    identity: CurrentIdentity,
    interval: IntervalQuery = Interval.MONTH,
    responded_from: FromQuery = None,
    responded_to: ToQuery = None,
    tag: TagQuery = None,
    segment_id: SegmentQuery = None,
) -> NpsRead:
    identity.require_scope("surveys:read")
    filters = _filters(survey_id, responded_from, responded_to, tag, segment_id)
    found, rate = await views.survey_nps(filters, interval, uow)
    result = _nps(found)
    result.response_rate = ResponseRateRead(
        invitations=rate.invitations, answered=rate.answered, rate=rate.rate
    )
    return result


@router.get(
    "/nps", response_model=NpsRead, description=NPS_DESCRIPTION, responses=problem_responses(403)
)
async def nps(
    uow: UowDep,
    identity: CurrentIdentity,
    interval: IntervalQuery = Interval.MONTH,
    responded_from: FromQuery = None,
    responded_to: ToQuery = None,
    tag: TagQuery = None,
    segment_id: SegmentQuery = None,
) -> NpsRead:
    """NPS over the responses of all surveys."""
    identity.require_scope("surveys:read")
    filters = _filters(None, responded_from, responded_to, tag, segment_id)
    return _nps(await views.nps(filters, interval, uow))


def _filters(
    survey_id: uuid.UUID | None,
    start: datetime | None,
    end: datetime | None,
    tag: str | None,
    segment_id: uuid.UUID | None,
) -> NpsFilter:
    for name, moment in (("from", start), ("to", end)):
        if moment is not None and moment.tzinfo is None:
            raise ValidationFailed(name, "needs a time zone offset (RFC 3339)")
    if start is not None and end is not None and end <= start:
        raise ValidationFailed("to", "must be after from")
    return NpsFilter(
        survey_id=survey_id,
        responded_from=start,
        responded_to=end,
        tag=tag,
        segment_id=segment_id,
    )


def _round(value: float | None, digits: int = 2) -> float | None:
    return round(value, digits) if value is not None else None


def _score(score: NpsScore) -> ScoreRead:
    counts = score.counts
    return ScoreRead(
        nps=_round(score.nps),
        n=counts.n,
        promoters=counts.promoters,
        passives=counts.passives,
        detractors=counts.detractors,
        ci_low=_round(score.ci_low),
        ci_high=_round(score.ci_high),
    )


def _nps(report: Report) -> NpsRead:
    series = [
        PeriodRead(
            period_start=period.start,
            nps=_round(period.score.nps),
            n=period.score.counts.n,
            ci_low=_round(period.score.ci_low),
            ci_high=_round(period.score.ci_high),
            change=_round(period.change.change),
            p_value=_round(period.change.p_value, 6),
            significant=period.change.significant,
        )
        for period in report.series
    ]
    return NpsRead(overall=_score(report.overall), series=series)


THEMES_DESCRIPTION = """
The words and two-word phrases over-represented in detractors' comments (score 0-6) versus
promoters' (9-10), and the other way round; passives are left out of the contrast.
Comments are lower-cased and split into words; German and English stop words are removed
and break phrases. Each term counts once per comment.

Statistics: for a term found in y_d of n_d detractor comments and y_p of n_p promoter
comments, the log odds ratio `ln((y_d+.5)/(n_d-y_d+.5)) - ln((y_p+.5)/(n_p-y_p+.5))` (0.5
added to each cell, Haldane-Anscombe) and `z` = that ratio / its standard error
`sqrt(1/(y_d+.5) + 1/(n_d-y_d+.5) + 1/(y_p+.5) + 1/(n_p-y_p+.5))`. A detractor theme has
z >= 1.96 (over-represented at the 5 % level) and occurs in at least `min_comments`
detractor comments; a promoter theme likewise with z <= -1.96. `from` is inclusive, `to`
exclusive, on `responded_at`: ask one period at a time to follow the themes over time.
"""


@router.get(
    "/surveys/{survey_id}/themes",
    response_model=ThemesRead,
    description=THEMES_DESCRIPTION,
    responses=problem_responses(403, 404),
)
async def comment_themes(
    survey_id: uuid.UUID,
    uow: UowDep,
    identity: CurrentIdentity,
    responded_from: FromQuery = None,
    responded_to: ToQuery = None,
    tag: TagQuery = None,
    segment_id: SegmentQuery = None,
    min_comments: Annotated[
        int, Query(ge=1, le=1000, description="Least comments of the side naming a theme")
    ] = 2,
    limit: Annotated[int, Query(ge=1, le=100, description="Themes per side")] = 20,
) -> ThemesRead:
    identity.require_scope("surveys:read")
    filters = _filters(survey_id, responded_from, responded_to, tag, segment_id)
    found = await views.comment_themes(filters, uow, min_comments, limit)
    return ThemesRead.model_validate(found)
