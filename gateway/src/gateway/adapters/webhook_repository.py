"""All SQL of the webhooks: endpoints, messages, deliveries and their attempts."""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import asyncpg
import structlog
from sqlalchemy import ColumnElement, Row, delete, func, insert, select, text, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from gateway.adapters.orm import (
    webhook_attempts,
    webhook_deliveries,
    webhook_endpoints,
    webhook_messages,
)
from gateway.domain.webhooks import (
    AttemptResult,
    DeliveryStatus,
    Endpoint,
    EndpointHealth,
    NextStep,
)
from treue.outbox import asyncpg_dsn
from treue.pagination import after

NOTIFY_CHANNEL = "treue_webhooks"
log = structlog.get_logger("gateway.webhooks")


class WebhookRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    def add(self, endpoint: Endpoint) -> None:
        self.session.add(endpoint)

    async def delete(self, endpoint: Endpoint) -> None:
        await self.session.delete(endpoint)

    async def get(self, endpoint_id: uuid.UUID, for_update: bool = False) -> Endpoint | None:
        return await self.session.get(Endpoint, endpoint_id, with_for_update=for_update)

    async def page(self, limit: int, cursor: list[Any] | None) -> Sequence[Endpoint]:
        columns: list[ColumnElement[Any]] = [webhook_endpoints.c.created_at, webhook_endpoints.c.id]
        query = select(Endpoint).order_by(*(c.desc() for c in columns)).limit(limit)
        if cursor is not None:
            query = query.where(after(columns, cursor, True))
        return (await self.session.scalars(query)).all()

    async def add_message(
        self,
        message_id: str,
        event_type: str,
        event_id: uuid.UUID | None,
        occurred_at: datetime,
        body: str,
        contact_id: uuid.UUID | None = None,
    ) -> bool:
        """False when a message of this event exists already (a replayed event)."""
        statement = (
            pg_insert(webhook_messages)
            .values(
                id=message_id,
                event_type=event_type,
                event_id=event_id,
                occurred_at=occurred_at,
                body=body,
                contact_id=contact_id,
            )
            .on_conflict_do_nothing()
            .returning(webhook_messages.c.id)
        )
        return (await self.session.execute(statement)).scalar_one_or_none() is not None

    async def subscribers(self, event_type: str) -> list[uuid.UUID]:
        query = select(webhook_endpoints.c.id).where(
            webhook_endpoints.c.enabled.is_(True),
            webhook_endpoints.c.event_types.contains([event_type]),
        )
        return list((await self.session.scalars(query)).all())

    async def add_deliveries(
        self, message_id: str, endpoint_ids: Sequence[uuid.UUID], due: datetime
    ) -> list[uuid.UUID]:
        if not endpoint_ids:
            return []
        rows: list[dict[str, Any]] = [
            {
                "id": uuid.uuid4(),
                "endpoint_id": endpoint_id,
                "message_id": message_id,
                "status": DeliveryStatus.PENDING,
                "next_attempt_at": due,
                "created_at": due,
            }
            for endpoint_id in endpoint_ids
        ]
        await self.session.execute(insert(webhook_deliveries), rows)
        await self.notify()
        return [row["id"] for row in rows]

    async def notify(self) -> None:
        """Wakes the delivery workers when the transaction commits."""
        await self.session.execute(func.pg_notify(NOTIFY_CHANNEL, "").select())

    async def delivery(self, endpoint_id: uuid.UUID, delivery_id: uuid.UUID) -> Row[Any] | None:
        query = select(webhook_deliveries).where(
            webhook_deliveries.c.id == delivery_id,
            webhook_deliveries.c.endpoint_id == endpoint_id,
        )
        return (await self.session.execute(query)).one_or_none()

    async def deliveries_page(
        self, endpoint_id: uuid.UUID, limit: int, cursor: list[Any] | None
    ) -> Sequence[Row[Any]]:
        columns: list[ColumnElement[Any]] = [
            webhook_deliveries.c.created_at,
            webhook_deliveries.c.id,
        ]
        query = (
            select(
                webhook_deliveries,
                webhook_messages.c.event_type,
                webhook_messages.c.body,
            )
            .join(webhook_messages, webhook_messages.c.id == webhook_deliveries.c.message_id)
            .where(webhook_deliveries.c.endpoint_id == endpoint_id)
            .order_by(*(c.desc() for c in columns))
            .limit(limit)
        )
        if cursor is not None:
            query = query.where(after(columns, cursor, True))
        return (await self.session.execute(query)).all()

    async def attempts_of(self, delivery_ids: Sequence[uuid.UUID]) -> Sequence[Row[Any]]:
        query = (
            select(webhook_attempts)
            .where(webhook_attempts.c.delivery_id.in_(delivery_ids))
            .order_by(webhook_attempts.c.id)
        )
        return (await self.session.execute(query)).all()

    async def unsuccessful_messages_since(
        self, endpoint_id: uuid.UUID, since: datetime
    ) -> list[str]:
        """Messages since `since` this endpoint never received (none of their deliveries
        succeeded) and none is still under way."""
        settled = (
            select(webhook_deliveries.c.message_id)
            .where(
                webhook_deliveries.c.endpoint_id == endpoint_id,
                webhook_deliveries.c.status.in_([DeliveryStatus.SUCCEEDED, DeliveryStatus.PENDING]),
            )
            .scalar_subquery()
        )
        query = (
            select(webhook_deliveries.c.message_id)
            .where(
                webhook_deliveries.c.endpoint_id == endpoint_id,
                webhook_deliveries.c.created_at >= since,
                webhook_deliveries.c.message_id.not_in(settled),
            )
            .group_by(webhook_deliveries.c.message_id)
            .order_by(func.min(webhook_deliveries.c.created_at))
        )
        return list((await self.session.scalars(query)).all())

    async def erase_contact(self, contact_id: uuid.UUID) -> None:
        """Deletes every message about the contact, sent or not, with its deliveries and
        their attempts (the answers may quote the person too)."""
        d, m = webhook_deliveries, webhook_messages
        about = select(m.c.id).where(m.c.contact_id == contact_id).scalar_subquery()
        await self.session.execute(delete(d).where(d.c.message_id.in_(about)))
        await self.session.execute(delete(m).where(m.c.contact_id == contact_id))

    async def fail_pending(self, endpoint_id: uuid.UUID, now: datetime) -> None:
        """A disabled endpoint gets nothing more; redeliver `since` sends it all later."""
        await self.session.execute(
            update(webhook_deliveries)
            .where(
                webhook_deliveries.c.endpoint_id == endpoint_id,
                webhook_deliveries.c.status == DeliveryStatus.PENDING,
            )
            .values(status=DeliveryStatus.FAILED, next_attempt_at=None, finished_at=now)
        )


@dataclass(frozen=True)
class ClaimedDelivery:
    id: uuid.UUID
    attempts: int
    message_id: str
    body: str
    endpoint_id: uuid.UUID
    url: str
    secret: str
    previous_secret: str | None
    previous_secret_expires_at: datetime | None
    failing_since: datetime | None


@dataclass(frozen=True)
class Outcome:
    delivery: ClaimedDelivery
    attempted_at: datetime
    result: AttemptResult
    step: NextStep
    health: EndpointHealth


# Arrays, one element per outcome: the statement is the same for any batch size, so it is
# prepared once, and its parameters stay nine however many deliveries a batch holds.
RECORD_OUTCOMES = text(
    """
    WITH outcome AS (
        SELECT * FROM unnest(
            CAST(:delivery_ids AS uuid[]), CAST(:statuses AS text[]),
            CAST(:next_attempts_at AS timestamptz[]), CAST(:finished AS timestamptz[]),
            CAST(:attempted AS timestamptz[]), CAST(:status_codes AS smallint[]),
            CAST(:durations_ms AS integer[]), CAST(:response_bodies AS text[]),
            CAST(:errors AS text[])
        ) AS o(delivery_id, status, next_attempt_at, finished_at, attempted_at, status_code,
               duration_ms, response_body, error)
    ),
    updated AS (
        UPDATE webhook_deliveries AS d
        SET status = o.status, attempts = d.attempts + 1,
            next_attempt_at = o.next_attempt_at, finished_at = o.finished_at
        FROM outcome AS o
        WHERE d.id = o.delivery_id
        RETURNING d.id
    )
    INSERT INTO webhook_attempts
        (delivery_id, attempted_at, status_code, duration_ms, response_body, error)
    SELECT o.delivery_id, o.attempted_at, o.status_code, o.duration_ms, o.response_body, o.error
    FROM outcome AS o JOIN updated AS u ON u.id = o.delivery_id
    """
)

# A batch looks at this many due deliveries per slot, so endpoints behind another one's
# backlog still get their share of it.
CANDIDATES_PER_SLOT = 4


class DeliveryQueue:
    """The delivery workers' side: claim due deliveries, record what their attempts did."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def claim(
        self, limit: int, now: datetime, lease: timedelta, per_endpoint: int | None = None
    ) -> list[ClaimedDelivery]:
        """Due deliveries of enabled endpoints, leased: SKIP LOCKED keeps replicas from
        claiming the same rows, and the lease (next_attempt_at pushed past the attempt's
        timeout) makes a delivery due again if this replica dies mid-attempt. At most
        `per_endpoint` of one endpoint: the rest of its backlog waits for the next batch
        instead of opening that many connections to one subscriber at once."""
        d, e, m = webhook_deliveries, webhook_endpoints, webhook_messages
        per_endpoint = per_endpoint or limit
        # Candidates locked for this statement only: those past an endpoint's share stay
        # due (their lease is not touched) and are claimed by a later batch.
        candidates = (
            select(d.c.id, d.c.endpoint_id, d.c.next_attempt_at)
            .join(e, e.c.id == d.c.endpoint_id)
            .where(
                d.c.status == DeliveryStatus.PENDING,
                d.c.next_attempt_at <= now,
                e.c.enabled.is_(True),
            )
            .order_by(d.c.next_attempt_at)
            .limit(limit * CANDIDATES_PER_SLOT if per_endpoint < limit else limit)
            .with_for_update(skip_locked=True, of=d)
            .cte("candidates")
        )
        ranked = select(
            candidates.c.id,
            candidates.c.next_attempt_at,
            func.row_number()
            .over(partition_by=candidates.c.endpoint_id, order_by=candidates.c.next_attempt_at)
            .label("rank"),
        ).subquery("ranked")
        due = (
            select(ranked.c.id)
            .where(ranked.c.rank <= per_endpoint)
            .order_by(ranked.c.next_attempt_at)
            .limit(limit)
            .scalar_subquery()
        )
        claimed = (
            update(d)
            .where(d.c.id.in_(due))
            .values(next_attempt_at=now + lease)
            .returning(d.c.id, d.c.attempts, d.c.message_id, d.c.endpoint_id)
            .cte("claimed")
        )
        query = (
            select(
                claimed.c.id,
                claimed.c.attempts,
                claimed.c.message_id,
                m.c.body,
                claimed.c.endpoint_id,
                e.c.url,
                e.c.secret,
                e.c.previous_secret,
                e.c.previous_secret_expires_at,
                e.c.failing_since,
            )
            .select_from(claimed)
            .join(m, m.c.id == claimed.c.message_id)
            .join(e, e.c.id == claimed.c.endpoint_id)
        )
        rows = (await self.session.execute(query)).all()
        return [ClaimedDelivery(**row._asdict()) for row in rows]

    async def record(self, outcomes: Sequence[Outcome]) -> None:
        if not outcomes:
            return
        # Endpoints first, in id order: an admin's PATCH locks its endpoint before that
        # endpoint's deliveries too, so the two never wait on each other in a cycle.
        disabled = await self._update_endpoints(outcomes)
        # One statement for the whole batch, however large: each delivery's new state and
        # its attempt. A delivery deleted during the attempt (its endpoint was) is no longer
        # there to update, so it gets no attempt row; the rest of the batch is recorded, or
        # it would be sent again after the lease.
        await self.session.execute(
            RECORD_OUTCOMES,
            {
                "delivery_ids": [o.delivery.id for o in outcomes],
                "statuses": [o.step.status.value for o in outcomes],
                "next_attempts_at": [o.step.next_attempt_at for o in outcomes],
                "finished": [
                    o.attempted_at if o.step.status != DeliveryStatus.PENDING else None
                    for o in outcomes
                ],
                "attempted": [o.attempted_at for o in outcomes],
                "status_codes": [o.result.status_code for o in outcomes],
                "durations_ms": [o.result.duration_ms for o in outcomes],
                "response_bodies": [o.result.response_body for o in outcomes],
                "errors": [o.result.error[:1000] if o.result.error else None for o in outcomes],
            },
        )
        for endpoint_id, now in disabled.items():
            await WebhookRepository(self.session).fail_pending(endpoint_id, now)

    async def purge(self, before: datetime, limit: int) -> int:
        """Deletes finished deliveries (with their attempts) created before `before`, at
        most `limit`, then the messages nothing refers to any more; how many deliveries."""
        d, m = webhook_deliveries, webhook_messages
        old = (
            select(d.c.id)
            .where(d.c.created_at < before, d.c.status != DeliveryStatus.PENDING)
            .limit(limit)
            .scalar_subquery()
        )
        deleted = await self.session.execute(delete(d).where(d.c.id.in_(old)).returning(d.c.id))
        count = len(deleted.all())
        referred = select(d.c.id).where(d.c.message_id == m.c.id).exists()
        await self.session.execute(delete(m).where(m.c.created_at < before, ~referred))
        return count

    async def _update_endpoints(self, outcomes: Sequence[Outcome]) -> dict[uuid.UUID, datetime]:
        """Applies each endpoint's health (the last outcome in the batch decides); returns
        the endpoints this disabled, with when."""
        latest = {o.delivery.endpoint_id: o for o in outcomes}
        disabled: dict[uuid.UUID, datetime] = {}
        endpoint = webhook_endpoints.c
        for endpoint_id in sorted(latest):
            outcome = latest[endpoint_id]
            health = outcome.health
            values: dict[str, Any] = {"failing_since": health.failing_since}
            if health.disabled_reason is not None:
                values.update(
                    enabled=False,
                    disabled_reason=health.disabled_reason,
                    disabled_at=outcome.attempted_at,
                )
            changed = await self.session.execute(
                update(webhook_endpoints)
                .where(endpoint.id == endpoint_id, endpoint.enabled.is_(True))
                .values(values)
                .returning(endpoint.id)
            )
            if changed.first() is not None and health.disabled_reason is not None:
                disabled[endpoint_id] = outcome.attempted_at
        return disabled


class DeliveryWakeup:
    """LISTENs on a connection of its own; set() whenever deliveries were queued anywhere."""

    def __init__(self, database_url: str) -> None:
        self.database_url = database_url
        self.event = asyncio.Event()
        self._connection: asyncpg.Connection | None = None

    async def __aenter__(self) -> DeliveryWakeup:
        await self._listen()
        return self

    async def _listen(self) -> None:
        try:
            self._connection = await asyncpg.connect(asyncpg_dsn(self.database_url))
            await self._connection.add_listener(NOTIFY_CHANNEL, lambda *_: self.event.set())
        except (OSError, asyncpg.PostgresError) as error:
            # The workers still poll; they only answer a little later.
            self._connection = None
            log.warning("webhook notifications unavailable; polling", error=str(error))

    async def __aexit__(self, *_: object) -> None:
        if self._connection is not None:
            with contextlib.suppress(Exception):
                await asyncio.shield(self._connection.close(timeout=2))

    async def wait(self, timeout: float) -> None:
        if self._connection is None or self._connection.is_closed():
            await self._listen()
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self.event.wait(), timeout)
        self.event.clear()
