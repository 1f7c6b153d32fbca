"""The dead-letter route every service mounts, paged on the real table."""

from __future__ import annotations

from types import SimpleNamespace

import httpx
from fastapi import FastAPI
from sqlalchemy import insert
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from treue.admin import dead_letter_router
from treue.identity import INTERNAL_TOKEN_HEADER, Identity, issue_internal_token
from treue.problems import install_problem_handlers
from treue.tables import BackboneTables

SECRET = "a-test-secret-that-is-long-enough-for-hs256"
PATH = "/api/v1/admin/services/contacts/dead-letters"


def make_app(session_factory: async_sessionmaker[AsyncSession], tables: BackboneTables) -> FastAPI:
    app = FastAPI()
    install_problem_handlers(app)
    app.include_router(dead_letter_router("contacts"))
    # Only what the route and the identity check read of the service's runtime and settings.
    app.state.runtime = SimpleNamespace(session_factory=session_factory, tables=tables)
    app.state.settings = SimpleNamespace(internal_token_secret=SECRET)
    return app


async def test_dead_letters_are_paged_newest_first_and_refused_to_non_admins(
    session_factory: async_sessionmaker[AsyncSession], tables: BackboneTables
) -> None:
    async with session_factory() as session, session.begin():
        await session.execute(
            insert(tables.dead_letters),
            [
                {"topic": "t", "partition": 0, "offset": n, "headers": {}, "error": f"error {n}"}
                for n in range(5)
            ],
        )
    admin = issue_internal_token(Identity(subject="a", kind="user", role="admin"), SECRET)
    agent = issue_internal_token(Identity(subject="b", kind="user", role="agent"), SECRET)
    transport = httpx.ASGITransport(app=make_app(session_factory, tables))
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        pages = []
        cursor: str | None = None
        while True:
            params = {"limit": 2} | ({"cursor": cursor} if cursor else {})
            answer = await client.get(PATH, params=params, headers={INTERNAL_TOKEN_HEADER: admin})
            assert answer.status_code == 200
            pages.append([letter["error"] for letter in answer.json()["items"]])
            cursor = answer.json()["next_cursor"]
            if cursor is None:
                break
        refused = await client.get(PATH, headers={INTERNAL_TOKEN_HEADER: agent})

    assert pages == [["error 4", "error 3"], ["error 2", "error 1"], ["error 0"]]
    assert refused.status_code == 403
