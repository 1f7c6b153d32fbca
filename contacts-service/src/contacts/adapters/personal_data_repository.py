"""All SQL of the GDPR export and erasure of a contact's history (the contact row itself is
the aggregate's, through ContactRepository)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from contacts.adapters.orm import (
    analytics_flags,
    contracts,
    interactions,
    lifecycle_changes,
    orders,
    survey_responses,
    tasks,
)
from contacts.domain.contracts import Contract
from contacts.domain.interactions import Interaction
from contacts.domain.orders import Order
from contacts.domain.tasks import Task

ERASED_TITLE = "(erased)"


@dataclass(frozen=True)
class ContactHistory:
    interactions: list[Interaction]
    orders: list[Order]
    contracts: list[Contract]
    tasks: list[Task]
    survey_responses: list[dict[str, Any]]
    analytics_flags: list[dict[str, Any]]
    lifecycle_changes: list[dict[str, Any]]


class PersonalDataRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def history(self, contact_id: uuid.UUID) -> ContactHistory:
        """Everything recorded with the contact, oldest first."""

        async def all_of(entity: Any, table: Any, order_by: Any) -> list[Any]:
            query = select(entity).where(table.c.contact_id == contact_id)
            return list((await self.session.scalars(query.order_by(order_by, table.c.id))).all())

        async def rows_of(table: Any, *order_by: Any) -> list[dict[str, Any]]:
            query = select(table).where(table.c.contact_id == contact_id).order_by(*order_by)
            return [dict(row._mapping) for row in await self.session.execute(query)]

        return ContactHistory(
            interactions=await all_of(Interaction, interactions, interactions.c.occurred_at),
            orders=await all_of(Order, orders, orders.c.ordered_at),
            contracts=await all_of(Contract, contracts, contracts.c.created_at),
            tasks=await all_of(Task, tasks, tasks.c.created_at),
            survey_responses=await rows_of(survey_responses, survey_responses.c.responded_at),
            analytics_flags=await rows_of(
                analytics_flags, analytics_flags.c.occurred_at, analytics_flags.c.id
            ),
            lifecycle_changes=await rows_of(
                lifecycle_changes, lifecycle_changes.c.occurred_at, lifecycle_changes.c.id
            ),
        )

    async def erase_history(self, contact_id: uuid.UUID) -> None:
        """Removes the free text of the contact's history, which may name or describe the
        person; kinds, times and amounts stay, so revenue, costs and counts stay right.
        The copy of survey answers goes (survey-service erases the originals itself), and
        so do analytics' flags and the churn history (its notes describe the person)."""
        await self.session.execute(
            update(interactions)
            .where(interactions.c.contact_id == contact_id)
            .values(subject=None, body=None, channel=None)
        )
        await self.session.execute(
            update(tasks)
            .where(tasks.c.contact_id == contact_id)
            .values(title=ERASED_TITLE, title_code=None, title_params=None)
        )
        await self.session.execute(
            update(contracts)
            .where(contracts.c.contact_id == contact_id)
            .values(cancellation_reason=None)
        )
        for table in (survey_responses, analytics_flags, lifecycle_changes):
            await self.session.execute(delete(table).where(table.c.contact_id == contact_id))
