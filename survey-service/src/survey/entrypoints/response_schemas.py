"""Request and response bodies of responses, the public answer page, NPS and feedback cases."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import TYPE_CHECKING, Annotated, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, Strict, StringConstraints

if TYPE_CHECKING:
    from survey.adapters.responses_repository import CaseView

# Strict: 7.5, "7" and true are not scores.
Score = Annotated[int, Strict(), Field(ge=0, le=10, description="0..10, an integer")]
Comment = Annotated[str, StringConstraints(strip_whitespace=True, max_length=5000)]


class PublicAnswer(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"score": 9, "comment": "Schneller Service"}]},
    )

    score: Score
    comment: Comment | None = None


class PublicResponseRead(BaseModel):
    score: int
    comment: str | None
    responded_at: datetime
    editable_until: datetime


class PublicInvitationRead(BaseModel):
    survey_id: uuid.UUID
    language: str
    question: str
    follow_up_question: str
    scale_min: int = 0
    scale_max: int = 10
    response: PublicResponseRead | None = Field(description="The answer given so far, if any")


class ResponseCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    contact_id: uuid.UUID
    score: Score
    comment: Comment | None = None
    responded_at: AwareDatetime | None = Field(None, description="Default: now")
    external_id: Annotated[
        str | None, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)
    ] = Field(None, description="The same external_id again returns the first response (200)")


class ResponseRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    survey_id: uuid.UUID
    contact_id: uuid.UUID
    score: int
    category: Literal["detractor", "passive", "promoter"]
    comment: str | None
    responded_at: datetime
    channel: Literal["link", "api"]
    external_id: str | None
    revision: int
    created_at: datetime
    updated_at: datetime


class ScoreRead(BaseModel):
    nps: float | None
    n: int
    promoters: int
    passives: int
    detractors: int
    ci_low: float | None
    ci_high: float | None


class PeriodRead(BaseModel):
    period_start: datetime
    nps: float | None
    n: int
    ci_low: float | None
    ci_high: float | None
    change: float | None
    p_value: float | None
    significant: bool


class ResponseRateRead(BaseModel):
    invitations: int
    answered: int
    rate: float | None = Field(description="answered / invitations")


class NpsRead(BaseModel):
    overall: ScoreRead
    series: list[PeriodRead]
    response_rate: ResponseRateRead | None = Field(
        None, description="Per survey only: invitations answered through their link"
    )


class ThemeRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    term: str = Field(description="A word or a two-word phrase, lower-case")
    detractor_comments: int = Field(description="Detractor comments containing the term")
    promoter_comments: int = Field(description="Promoter comments containing the term")
    detractor_share: float
    promoter_share: float
    log_odds_ratio: float = Field(description="> 0: more typical of detractors")
    z: float = Field(description="log_odds_ratio / its standard error")


class ThemesRead(BaseModel):
    model_config = ConfigDict(
        from_attributes=True,
        json_schema_extra={
            "examples": [
                {
                    "detractor_comments": 120,
                    "promoter_comments": 310,
                    "detractor_themes": [
                        {
                            "term": "lieferung",
                            "detractor_comments": 41,
                            "promoter_comments": 12,
                            "detractor_share": 0.342,
                            "promoter_share": 0.039,
                            "log_odds_ratio": 2.55,
                            "z": 7.9,
                        }
                    ],
                    "promoter_themes": [],
                }
            ]
        },
    )

    detractor_comments: int
    promoter_comments: int
    detractor_themes: list[ThemeRead] = Field(description="Strongest first (highest z)")
    promoter_themes: list[ThemeRead] = Field(description="Strongest first (lowest z)")


CaseStatus = Literal["open", "in_progress", "resolved"]


class CaseRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    contact_id: uuid.UUID
    survey_id: uuid.UUID
    response_id: uuid.UUID
    status: CaseStatus
    owner_id: uuid.UUID | None
    due_at: datetime
    resolution_note: str | None
    created_at: datetime
    updated_at: datetime
    resolved_at: datetime | None
    score: int | None = Field(
        description="The score of the answer that opened the case; null once the contact was erased"
    )
    comment: str | None = Field(description="What the customer wrote with the score")
    survey_name: str | None = Field(description="The survey the customer answered")

    @classmethod
    def of(cls, view: CaseView) -> CaseRead:
        answer = {"score": view.score, "comment": view.comment, "survey_name": view.survey_name}
        case = {name: getattr(view.case, name) for name in cls.model_fields if name not in answer}
        return cls(**case, **answer)


class CaseUpdate(BaseModel):
    """Only the fields sent change. Status: open → in_progress → resolved (a note is
    required to resolve); in_progress → open hands it back; resolved → in_progress reopens."""

    model_config = ConfigDict(extra="forbid")

    status: CaseStatus | None = None
    owner_id: uuid.UUID | None = None
    due_at: AwareDatetime | None = None
    resolution_note: (
        Annotated[str, StringConstraints(strip_whitespace=True, max_length=5000)] | None
    ) = None
