"""The copy of survey-service's NPS responses that the timeline shows."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, literal, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from contacts.adapters.orm import contacts, survey_responses


class SurveyResponseRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def keep_latest(self, response: dict[str, Any]) -> None:
        """Inserts the response, or replaces the copy when this revision is higher: an
        older revision arriving late changes nothing. As with analytics' flags, a response
        of a contact never seen here or erased is dropped (one recorded just before the
        erasure may arrive after it, and its comment must not come back); one of a
        merged-away duplicate goes to the survivor."""
        details = [name for name in response if name != "contact_id"]
        rows = select(
            func.coalesce(contacts.c.merged_into_id, contacts.c.id),
            *(literal(response[name], survey_responses.c[name].type) for name in details),
        ).where(contacts.c.id == response["contact_id"], contacts.c.erased_at.is_(None))
        statement = insert(survey_responses).from_select(["contact_id", *details], rows)
        columns = {name: statement.excluded[name] for name in response if name != "response_id"}
        await self.session.execute(
            statement.on_conflict_do_update(
                index_elements=[survey_responses.c.response_id],
                set_=columns,
                where=survey_responses.c.revision < statement.excluded.revision,
            )
        )
