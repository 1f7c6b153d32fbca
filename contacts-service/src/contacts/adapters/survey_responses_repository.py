"""The copy of survey-service's NPS responses that the timeline shows."""

from __future__ import annotations

from typing import Any

from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from contacts.adapters.copies import for_live_contact
from contacts.adapters.orm import survey_responses


class SurveyResponseRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def keep_latest(self, response: dict[str, Any]) -> None:
        """Inserts the response, or replaces the copy when this revision is higher: an
        older revision arriving late changes nothing. Only for a live contact (see
        `for_live_contact`)."""
        columns, rows = for_live_contact(survey_responses, response)
        statement = insert(survey_responses).from_select(columns, rows)
        updated = {name: statement.excluded[name] for name in response if name != "response_id"}
        await self.session.execute(
            statement.on_conflict_do_update(
                index_elements=[survey_responses.c.response_id],
                set_=updated,
                where=survey_responses.c.revision < statement.excluded.revision,
            )
        )
