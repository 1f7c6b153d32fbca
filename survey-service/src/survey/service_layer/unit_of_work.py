from __future__ import annotations

from survey.adapters.mail_repository import MailQueueRepository
from survey.adapters.personal_data import PersonalDataRepository
from survey.adapters.repository import (
    ContactRepository,
    InvitationRepository,
    SegmentRepository,
    SurveyRepository,
)
from survey.adapters.responses_repository import FeedbackCaseRepository, ResponseRepository
from survey.adapters.schedule_repository import ScheduleRepository
from treue.uow import UnitOfWork


class SurveyUnitOfWork(UnitOfWork):
    contacts: ContactRepository
    surveys: SurveyRepository
    invitations: InvitationRepository
    responses: ResponseRepository
    cases: FeedbackCaseRepository
    mails: MailQueueRepository
    schedule: ScheduleRepository
    segments: SegmentRepository
    personal_data: PersonalDataRepository
    unique_constraint_fields = {
        "uq_responses_survey_id_external_id": "external_id",
        "uq_responses_invitation_id": "token",
        "uq_feedback_cases_response_id": "response_id",
    }

    def open_repositories(self) -> None:
        self.contacts = ContactRepository(self.session)
        self.surveys = SurveyRepository(self.session)
        self.invitations = InvitationRepository(self.session)
        self.responses = ResponseRepository(self.session)
        self.cases = FeedbackCaseRepository(self.session)
        self.mails = MailQueueRepository(self.session)
        self.schedule = ScheduleRepository(self.session)
        self.segments = SegmentRepository(self.session)
        self.personal_data = PersonalDataRepository(self.session)
