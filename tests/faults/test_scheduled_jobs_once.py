"""Scheduled jobs run once, not once per replica: with two replicas of every service, each
checking its schedule every second (and both at startup), a due contract gets one renewal
task and one contract.renewal_due event, a renewal survey one invitation mail per contact,
an unanswered invitation one reminder mail, and analytics one CLV fit per schedule tick.

What keeps them apart: advisory locks taken in the job's own transaction (renewals, survey
schedule, CLV schedule), SKIP LOCKED on the rows (renewals, scheduled invitations, the mail
queue, the job queue). The test restarts the services' replicas with short schedules and
puts the stack back to what it found afterwards.
"""

from __future__ import annotations

import asyncio
import itertools
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import asyncpg
import httpx
import pytest

from tests.replicas import running_gateways, scale, stop
from tests.support import NotYet, create_contact, database_url, wait_for

# Restarting six processes twice takes minutes on a busy 2-core machine.
pytestmark = [pytest.mark.e2e, pytest.mark.faults, pytest.mark.timeout(900)]

SERVICES = ("contacts", "surveys", "analytics")
CHECK_SECONDS = 1.0
# The CLV fit is due this long after the last one (and retried no sooner): one tick.
FIT_EVERY_SECONDS = 15.0
SCHEDULES = {
    "TREUE_CONTACTS_RENEWAL_CHECK_SECONDS": str(CHECK_SECONDS),
    "TREUE_SURVEY_SCHEDULE_CHECK_SECONDS": str(CHECK_SECONDS),
    "TREUE_SURVEY_MAIL_POLL_SECONDS": "0.5",
    "TREUE_ANALYTICS_CLV_FIT_EVERY_HOURS": str(FIT_EVERY_SECONDS / 3600),
    "TREUE_ANALYTICS_CLV_FIT_RETRY_HOURS": str(FIT_EVERY_SECONDS / 3600),
    "TREUE_ANALYTICS_CLV_FIT_CHECK_SECONDS": "0.5",
}
# A replica starting beside a running CLV fit is slow to get ready on a busy machine.
READY_TIMEOUT = {"TREUE_READY_TIMEOUT": "240"}
CONTRACTS = 6
# Turns of every schedule after the work was done, in which nothing may happen again.
SETTLE_SECONDS = 4 * CHECK_SECONDS
FLOW_TIMEOUT = 120.0


async def _restart_services(replicas: int, env: dict[str, str] | None) -> None:
    """Stops both replicas of each service (in parallel), then scales to `replicas`, so
    every service process starts again with `env`."""
    await asyncio.gather(
        *(asyncio.to_thread(stop, service, r) for service in SERVICES for r in (1, 2))
    )
    await asyncio.to_thread(scale, replicas, {**READY_TIMEOUT, **(env or {})})


@pytest.fixture
async def short_schedules() -> AsyncIterator[datetime]:
    """Two replicas of every service checking their schedules every second; when they
    started (the first turns run at startup, both replicas at once)."""
    found = max(1, running_gateways())
    started = datetime.now(UTC)
    await _restart_services(2, SCHEDULES)
    try:
        yield started
    finally:
        await _restart_services(found, None)


@pytest.fixture
async def survey_db() -> AsyncIterator[asyncpg.Pool]:
    pool: asyncpg.Pool = await asyncpg.create_pool(database_url("survey"), min_size=1, max_size=2)
    yield pool
    await pool.close()


async def _post(client: httpx.AsyncClient, path: str, body: dict[str, object]) -> str:
    answer = await client.post(path, json=body)
    assert answer.status_code == 201, answer.text
    return str(answer.json()["id"])


async def test_scheduled_jobs_run_once_under_two_replicas(
    short_schedules: datetime,
    client: httpx.AsyncClient,
    contacts_db: asyncpg.Pool,
    analytics_db: asyncpg.Pool,
    survey_db: asyncpg.Pool,
) -> None:
    survey_id = await _post(
        client,
        "/api/v1/surveys",
        {
            "name": f"Before renewal {uuid.uuid4().hex[:8]}",
            "before_renewal_days": 30,
            "quiet_period_days": 0,
            "reminder_after_days": 1,
            "max_reminders": 1,
        },
    )
    try:
        await _renewals_reminders_once(client, contacts_db, survey_db, survey_id)
    finally:
        # Inactive, it invites nobody at later renewals of this stack's contracts.
        answer = await client.patch(f"/api/v1/surveys/{survey_id}", json={"active": False})
        assert answer.status_code == 200, answer.text
    await _one_fit_per_tick(analytics_db, short_schedules)


async def _renewals_reminders_once(
    client: httpx.AsyncClient,
    contacts_db: asyncpg.Pool,
    survey_db: asyncpg.Pool,
    survey_id: str,
) -> None:
    product_id = await _post(
        client,
        "/api/v1/products",
        {
            "sku": f"SCHED-{uuid.uuid4().hex[:8]}",
            "name": "Wartungsvertrag (scheduled jobs test)",
            "price": "1200.00",
            "unit_cost": "800.00",
            "currency": "EUR",
        },
    )
    contacts = [str((await create_contact(client))["id"]) for _ in range(CONTRACTS)]
    known = "SELECT count(*) FROM contacts WHERE id = ANY($1::uuid[])"
    # The survey must know the contacts before their invitation is due, or it skips them.
    await wait_for(
        lambda: _reached(survey_db, known, contacts, CONTRACTS),
        message="the contacts in survey-service",
    )
    # The renewal job's day is the UTC date.
    today = datetime.now(UTC).date()
    # Notice date in 10 days: inside the 30-day renewal window from the first turn on.
    contracts = [
        await _post(
            client,
            "/api/v1/contracts",
            {
                "contact_id": contact_id,
                "product_id": product_id,
                "start_date": (today - timedelta(days=340)).isoformat(),
                "end_date": (today + timedelta(days=20)).isoformat(),
                "notice_period_days": 10,
                "monthly_value": "100.00",
                "currency": "EUR",
            },
        )
        for contact_id in contacts
    ]

    renewal_tasks = (
        "SELECT count(*) FROM tasks"
        " WHERE contact_id = ANY($1::uuid[]) AND source_key LIKE 'renewal:%'"
    )
    await wait_for(
        lambda: _reached(contacts_db, renewal_tasks, contacts, CONTRACTS),
        FLOW_TIMEOUT,
        message="a renewal task per contract",
    )
    invitations = "SELECT count(*) FROM invitations WHERE survey_id = $1"
    await wait_for(
        lambda: _reached(survey_db, invitations, uuid.UUID(survey_id), CONTRACTS),
        FLOW_TIMEOUT,
        message="an invitation per renewal",
    )
    # No client can send an invitation in the past: dated back, its reminder is due.
    await survey_db.execute(
        "UPDATE invitations SET created_at = created_at - interval '2 days' WHERE survey_id = $1",
        uuid.UUID(survey_id),
    )
    reminded = "SELECT count(*) FROM invitations WHERE survey_id = $1 AND reminders_sent > 0"
    await wait_for(
        lambda: _reached(survey_db, reminded, uuid.UUID(survey_id), CONTRACTS),
        FLOW_TIMEOUT,
        message="a reminder per invitation",
    )
    await asyncio.sleep(SETTLE_SECONDS)

    per_contract = await contacts_db.fetch(
        """
        SELECT c.id,
               (SELECT count(*) FROM tasks t WHERE t.source_key LIKE 'renewal:' || c.id || ':%')
                 AS tasks,
               (SELECT count(*) FROM outbox o
                 WHERE o.event_type = 'treue.contract.renewal_due.v1'
                   AND o.data->>'contract_id' = c.id::text) AS events
        FROM contracts c WHERE c.id = ANY($1::uuid[])
        """,
        contracts,
    )
    assert len(per_contract) == CONTRACTS
    assert {(row["tasks"], row["events"]) for row in per_contract} == {(1, 1)}, [
        dict(row) for row in per_contract
    ]
    per_invitation = await survey_db.fetch(
        """
        SELECT i.contact_id, i.reminders_sent,
               count(*) FILTER (WHERE m.kind = 'invitation') AS invitation_mails,
               count(*) FILTER (WHERE m.kind = 'reminder') AS reminder_mails,
               count(*) FILTER (WHERE m.status = 'sent' AND m.attempts = 1) AS sent_once
        FROM invitations i JOIN mail_queue m ON m.invitation_id = i.id
        WHERE i.survey_id = $1 GROUP BY i.id
        """,
        uuid.UUID(survey_id),
    )
    assert sorted(str(row["contact_id"]) for row in per_invitation) == sorted(contacts)
    assert {
        (row["reminders_sent"], row["invitation_mails"], row["reminder_mails"], row["sent_once"])
        for row in per_invitation
    } == {(1, 1, 1, 2)}, [dict(row) for row in per_invitation]


async def _one_fit_per_tick(analytics_db: asyncpg.Pool, since: datetime) -> None:
    """Each replica looks every half second; fits are still FIT_EVERY_SECONDS apart."""
    query = (
        "SELECT created_at, status FROM jobs WHERE kind = 'clv-fit' AND created_by = 'schedule'"
        " AND created_at >= $1 ORDER BY created_at"
    )

    async def two_ticks() -> list[asyncpg.Record] | NotYet:
        rows: list[asyncpg.Record] = await analytics_db.fetch(query, since)
        if len(rows) >= 2 and rows[0]["status"] == "succeeded":
            return rows
        return NotYet(str([row["status"] for row in rows]))

    fits = await wait_for(two_ticks, FLOW_TIMEOUT, message="two scheduled CLV fits")
    times = [row["created_at"] for row in fits]
    gaps = [(b - a).total_seconds() for a, b in itertools.pairwise(times)]
    # now() is the start of the scheduling transaction: exact to the retry interval.
    assert min(gaps) >= FIT_EVERY_SECONDS, f"CLV fits queued {gaps} s apart"


async def _reached(pool: asyncpg.Pool, query: str, arg: object, count: int) -> bool | NotYet:
    found: int = await pool.fetchval(query, arg)
    return True if found >= count else NotYet(f"{found} of {count}")
