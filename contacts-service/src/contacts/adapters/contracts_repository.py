"""All SQL of contacts-service's contracts lives here."""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from typing import Any

from sqlalchemy import ColumnElement, func, literal, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from contacts.adapters.orm import contracts
from contacts.domain.contracts import RUNNING, Contract
from treue.outbox import advisory_lock_key
from treue.pagination import after


class ContractRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    def add(self, contract: Contract) -> None:
        self.session.add(contract)

    async def get(self, contract_id: uuid.UUID, *, for_update: bool = False) -> Contract | None:
        query = select(Contract).where(contracts.c.id == contract_id)
        if for_update:
            query = query.with_for_update()
        return (await self.session.execute(query)).scalar_one_or_none()

    async def page(
        self,
        contact_id: uuid.UUID | None,
        status: str | None,
        limit: int,
        cursor: list[Any] | None,
    ) -> list[Contract]:
        """Newest first by (created_at, id), continuing after `cursor`."""
        key: list[ColumnElement[Any]] = [contracts.c.created_at, contracts.c.id]
        query = select(Contract)
        if contact_id is not None:
            query = query.where(contracts.c.contact_id == contact_id)
        if status is not None:
            query = query.where(contracts.c.status == status)
        if cursor is not None:
            query = query.where(after(key, cursor, descending=True))
        query = query.order_by(*(column.desc() for column in key)).limit(limit)
        return list((await self.session.scalars(query)).all())

    async def try_lock(self, name: str) -> bool:
        """A transaction-scoped advisory lock: held until this transaction ends."""
        key = advisory_lock_key(name)
        return bool(await self.session.scalar(select(func.pg_try_advisory_xact_lock(key))))

    async def renewals_due(self, today: date, window_days: int, limit: int) -> list[Contract]:
        """Running contracts whose notice date falls in [today, today + window] and whose
        term was not announced yet; locked, and skipping rows another transaction holds."""
        notice_date = contracts.c.end_date - contracts.c.notice_period_days
        query = (
            select(Contract)
            .where(
                contracts.c.status.in_([str(status) for status in RUNNING]),
                # Bounds on end_date alone let the (status, end_date) index narrow the scan.
                contracts.c.end_date >= literal(today),
                notice_date >= literal(today),
                notice_date <= literal(today + timedelta(days=window_days)),
                or_(
                    contracts.c.renewal_notified_for.is_(None),
                    contracts.c.renewal_notified_for != contracts.c.end_date,
                ),
            )
            .order_by(contracts.c.end_date, contracts.c.id)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
        return list((await self.session.scalars(query)).all())
