"""All SQL of the GDPR export: everything analytics-service holds under one contact id."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Select, Table, select
from sqlalchemy.ext.asyncio import AsyncSession

from analytics.adapters.orm import (
    churns,
    contracts,
    customers,
    erased_contacts,
    interactions,
    nps_responses,
    order_lines,
    orders,
    segment_members,
    segments,
)

Row = dict[str, Any]


@dataclass(frozen=True)
class AnalyticsPersonalData:
    erased_at: datetime | None
    customer: Row | None
    orders: list[Row]
    order_lines: list[Row]
    interactions: list[Row]
    contracts: list[Row]
    nps_responses: list[Row]
    churns: list[Row]
    segment_memberships: list[Row]


class PersonalDataRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def export(self, contact_id: uuid.UUID) -> AnalyticsPersonalData:
        """Oldest first. An erased contact's figures live on under a random id that nothing
        ties to the person, so only the time of the erasure is found under the old id."""

        async def rows(query: Select[Any]) -> list[Row]:
            return [dict(row._mapping) for row in await self.session.execute(query)]

        def of(table: Table, *order_by: Any) -> Select[Any]:
            return select(table).where(table.c.contact_id == contact_id).order_by(*order_by)

        customer = await rows(of(customers))
        return AnalyticsPersonalData(
            erased_at=await self.session.scalar(
                select(erased_contacts.c.erased_at).where(
                    erased_contacts.c.contact_id == contact_id
                )
            ),
            customer=customer[0] if customer else None,
            orders=await rows(of(orders, orders.c.ordered_at, orders.c.order_id)),
            order_lines=await rows(
                of(order_lines, order_lines.c.ordered_at, order_lines.c.order_id).order_by(
                    order_lines.c.line_no
                )
            ),
            interactions=await rows(
                of(interactions, interactions.c.occurred_at, interactions.c.interaction_id)
            ),
            contracts=await rows(of(contracts, contracts.c.end_date, contracts.c.contract_id)),
            nps_responses=await rows(
                of(nps_responses, nps_responses.c.responded_at, nps_responses.c.response_id)
            ),
            churns=await rows(of(churns, churns.c.churned_at)),
            segment_memberships=await rows(
                select(segments.c.id.label("segment_id"), segments.c.name)
                .join(segment_members)
                .where(segment_members.c.contact_id == contact_id)
                .order_by(segments.c.name)
            ),
        )
