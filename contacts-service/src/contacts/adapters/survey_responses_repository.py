"""The copy of survey-service's NPS responses that the timeline shows."""

from __future__ import annotations

from typing import Any

from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from contacts.adapters.orm import survey_responses


class SurveyResponseRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def keep_latest(self, response: dict[str, Any]) -> None:
        """Inserts the response, or replaces the copy when this revision is higher: an
        older revision arriving late changes nothing."""
        statement = insert(survey_responses).values(response)
        columns = {name: statement.excluded[name] for name in response if name != "response_id"}
        await self.session.execute(
            statement.on_conflict_do_update(
                index_elements=[survey_responses.c.response_id],
                set_=columns,
                where=survey_responses.c.revision < statement.excluded.revision,
            )
        )
