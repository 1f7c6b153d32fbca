"""Rules of surveys, responses and feedback cases, without a database."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta

import pytest

from survey.domain.model import (
    EditWindowClosed,
    FeedbackCase,
    Invitation,
    Response,
    RuleViolated,
    Survey,
    TransitionRefused,
    in_quiet_period,
)

NOW = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)


def a_response(score: int, at: datetime = NOW) -> Response:
    return Response.record(
        at, survey_id=uuid.uuid4(), contact_id=uuid.uuid4(), score=score, channel="link"
    )


def test_a_survey_asks_the_standard_question_in_german_and_english_by_default() -> None:
    survey = Survey.create(NOW, name="NPS")

    assert survey.question_in("de")[0].startswith("Wie wahrscheinlich")
    assert survey.question_in("fr")[0].startswith("How likely")


def test_a_survey_needs_both_languages() -> None:
    with pytest.raises(RuleViolated) as refused:
        Survey.create(NOW, name="NPS", question={"de": "Frage", "en": " "})

    assert refused.value.field_name == "question.en"


def test_invitation_tokens_are_long_and_unique() -> None:
    tokens = {
        Invitation.create(NOW, uuid.uuid4(), uuid.uuid4(), "link", 60).token for _ in range(50)
    }

    assert len(tokens) == 50
    assert min(len(token) for token in tokens) >= 43


def test_the_quiet_period_counts_days_from_the_last_contact() -> None:
    assert in_quiet_period(NOW - timedelta(days=89), NOW, 90)
    assert not in_quiet_period(NOW - timedelta(days=90), NOW, 90)
    assert not in_quiet_period(None, NOW, 90)


def test_an_edit_within_the_window_reclassifies_the_answer() -> None:
    response = a_response(8)

    response.edit(NOW + timedelta(hours=23), 3, "zu teuer", timedelta(hours=24))

    assert (response.category, response.revision, response.comment) == ("detractor", 2, "zu teuer")


def test_an_edit_after_the_window_is_refused() -> None:
    response = a_response(8)

    with pytest.raises(EditWindowClosed):
        response.edit(NOW + timedelta(hours=25), 3, None, timedelta(hours=24))
    assert response.score == 8


def test_a_case_is_due_an_sla_after_the_answer_and_moves_open_in_progress_resolved() -> None:
    case = FeedbackCase.open_for(a_response(2), NOW, timedelta(hours=48))

    assert case.due_at == NOW + timedelta(hours=48)
    case.change(NOW, {"status": "in_progress"})
    case.change(NOW, {"status": "resolved", "resolution_note": "Angerufen, Rabatt gewährt"})
    assert (case.status, case.resolved_at) == ("resolved", NOW)


def test_a_case_cannot_skip_in_progress_nor_resolve_without_a_note() -> None:
    case = FeedbackCase.open_for(a_response(2), NOW, timedelta(hours=48))

    with pytest.raises(TransitionRefused):
        case.change(NOW, {"status": "resolved", "resolution_note": "x"})
    case.change(NOW, {"status": "in_progress"})
    with pytest.raises(RuleViolated) as refused:
        case.change(NOW, {"status": "resolved"})
    assert refused.value.field_name == "resolution_note"


def test_reminders_come_every_n_days_up_to_the_surveys_limit() -> None:
    now = datetime(2027, 1, 1, tzinfo=UTC)
    survey = Survey.create(now, name="NPS", reminder_after_days=5, max_reminders=2)
    invitation = Invitation.create(now, survey.id, uuid.uuid4(), "email", days=60)

    due = [invitation.reminder_due(now + timedelta(days=d), survey) for d in (4, 5)]
    invitation.note_reminder()
    second = [invitation.reminder_due(now + timedelta(days=d), survey) for d in (9, 10)]
    invitation.note_reminder()

    assert due == [False, True]
    assert second == [False, True]
    assert not invitation.reminder_due(now + timedelta(days=40), survey)
    assert not invitation.reminder_due(now + timedelta(days=61), survey)


def test_link_invitations_get_no_reminders() -> None:
    now = datetime(2027, 1, 1, tzinfo=UTC)
    survey = Survey.create(now, name="NPS")
    invitation = Invitation.create(now, survey.id, uuid.uuid4(), "link", days=60)

    assert not invitation.reminder_due(now + timedelta(days=10), survey)


def test_automatic_invitations_are_due_after_the_order_and_before_the_notice_date() -> None:
    now = datetime(2027, 1, 10, 12, tzinfo=UTC)
    survey = Survey.create(now, name="NPS", after_order_days=7, before_renewal_days=14)
    plain = Survey.create(now, name="NPS")

    assert survey.invitation_after_order(now, now) == now + timedelta(days=7)
    assert survey.invitation_after_order(now - timedelta(days=10), now) == now
    assert survey.invitation_after_order(now - timedelta(days=30), now) is None
    assert survey.invitation_before_renewal(date(2027, 3, 1), now) == datetime(
        2027, 2, 15, 8, tzinfo=UTC
    )
    assert survey.invitation_before_renewal(date(2027, 1, 12), now) == now
    assert plain.invitation_after_order(now, now) is None
    assert plain.invitation_before_renewal(date(2027, 3, 1), now) is None


@pytest.mark.parametrize(
    ("field", "value"),
    [("max_reminders", 3), ("reminder_after_days", 0), ("after_order_days", -1)],
)
def test_bad_reminder_and_trigger_settings_are_refused(field: str, value: int) -> None:
    with pytest.raises(RuleViolated) as refused:
        Survey.create(datetime(2027, 1, 1, tzinfo=UTC), name="NPS", **{field: value})

    assert refused.value.field_name == field
