"""The pool hands out no connection whose backend went away (it replaced `pool_pre_ping`)."""

from __future__ import annotations

import asyncpg
import httpx

ANNA = {"first_name": "Anna", "last_name": "Müller", "email": "anna.mueller@example.de"}


async def test_a_request_after_every_pooled_backend_was_terminated_succeeds(
    client: httpx.AsyncClient, db: asyncpg.Connection
) -> None:
    first = await client.post("/api/v1/contacts", json=ANNA)
    pooled = await db.fetchval(
        "SELECT count(*) FROM pg_stat_activity"
        " WHERE datname = current_database() AND pid <> pg_backend_pid()"
    )
    # The timeout makes each call wait until the backend has gone (its socket closed).
    await db.execute(
        "SELECT pg_terminate_backend(pid, 5000) FROM pg_stat_activity"
        " WHERE datname = current_database() AND pid <> pg_backend_pid()"
    )

    listed = await client.get("/api/v1/contacts")
    second = await client.post("/api/v1/contacts", json={**ANNA, "email": "anna@example.org"})

    assert first.status_code == 201
    assert pooled >= 1
    assert listed.status_code == 200, listed.text
    assert second.status_code == 201, second.text
    assert await db.fetchval("SELECT count(*) FROM contacts") == 2
