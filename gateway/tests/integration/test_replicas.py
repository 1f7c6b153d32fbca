"""The gateway balances over real upstream servers and routes around one that is gone."""

from __future__ import annotations

import asyncio
import contextlib
import socket
from collections.abc import AsyncIterator, Callable
from http.cookiejar import CookieJar, DefaultCookiePolicy
from typing import Any

import httpx
import pytest
import uvicorn
from asgi_lifespan import LifespanManager
from fastapi import FastAPI, Request
from fastapi.responses import StreamingResponse

from gateway.entrypoints import docs
from gateway.main import create_app
from gateway.settings import GatewaySettings

ADMIN = {"email": "chefin@treue.local", "password": "a-long-admin-password"}

Upstream = tuple[str, Callable[[], None]]
# Rows of the unsized answer: about 1 MB, more than the gateway reads whole.
BIG_ROWS = 1000


def echo_app(name: str) -> FastAPI:
    """A contacts-service stand-in that says which replica answered."""
    app = FastAPI()

    @app.api_route("/api/v1/contacts", methods=["GET", "POST"])
    async def contacts(request: Request) -> dict[str, Any]:
        return {"replica": name, "body": (await request.body()).decode()}

    @app.get("/api/v1/contacts/slow")
    async def slow() -> dict[str, Any]:
        await asyncio.sleep(3)
        return {"replica": name}

    @app.get("/api/v1/contacts/export")
    async def export() -> StreamingResponse:
        async def rows() -> AsyncIterator[bytes]:
            for number in range(BIG_ROWS):
                yield b"%08d,%s\n" % (number, b"x" * 1000)

        return StreamingResponse(rows(), media_type="text/csv")

    return app


@contextlib.asynccontextmanager
async def serving(app: FastAPI) -> AsyncIterator[Upstream]:
    """A uvicorn server on a free port; yields its URL and a function that kills it."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="off"))
    task = asyncio.create_task(server.serve(sockets=[sock]))
    while not server.started:  # noqa: ASYNC110 (uvicorn has no started event)
        await asyncio.sleep(0.01)

    def kill() -> None:
        server.should_exit = server.force_exit = True

    try:
        yield f"http://127.0.0.1:{sock.getsockname()[1]}", kill
    finally:
        kill()
        await task
        sock.close()


@contextlib.asynccontextmanager
async def dropping() -> AsyncIterator[str]:
    """A replica that reads the request and closes the connection without an answer, like
    one killed while it worked on it."""

    async def drop(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await reader.read(65536)
        writer.close()

    server = await asyncio.start_server(drop, "127.0.0.1", 0)
    try:
        yield f"http://127.0.0.1:{server.sockets[0].getsockname()[1]}"
    finally:
        server.close()
        await server.wait_closed()


@contextlib.asynccontextmanager
async def gateway(
    database_url: str, *urls: str, **overrides: Any
) -> AsyncIterator[httpx.AsyncClient]:
    """A gateway with its real HTTP client, balancing contacts over `urls`."""
    settings = GatewaySettings(
        database_url=database_url,
        run_background=False,
        admin_email=ADMIN["email"],
        admin_password=ADMIN["password"],
        contacts_urls=",".join(urls),
        upstream_down_seconds=30,
        **overrides,
    )
    async with LifespanManager(create_app(settings)) as manager:
        no_cookies = CookieJar(policy=DefaultCookiePolicy(allowed_domains=[]))
        async with httpx.AsyncClient(
            transport=httpx.ASGITransport(app=manager.app),
            base_url="http://gateway",
            cookies=no_cookies,
        ) as client:
            login = await client.post("/api/v1/auth/login", json=ADMIN)
            client.headers["Authorization"] = f"Bearer {login.json()['access_token']}"
            yield client


@pytest.fixture
async def two_replicas() -> AsyncIterator[tuple[Upstream, Upstream]]:
    async with serving(echo_app("one")) as one, serving(echo_app("two")) as two:
        yield one, two


async def test_requests_take_turns_over_the_replicas(
    database_url: str, two_replicas: tuple[Upstream, Upstream]
) -> None:
    (one, _), (two, _) = two_replicas
    async with gateway(database_url, one, two) as client:
        answers = [await client.get("/api/v1/contacts") for _ in range(4)]

    assert [a.json()["replica"] for a in answers] == ["one", "two", "one", "two"]


async def test_a_killed_replica_gets_no_requests_and_none_fail(
    database_url: str, two_replicas: tuple[Upstream, Upstream]
) -> None:
    (one, kill_one), (two, _) = two_replicas
    async with gateway(database_url, one, two) as client:
        kill_one()
        await asyncio.sleep(0.3)
        answers = [await client.post("/api/v1/contacts", json={"n": n}) for n in range(4)]

    assert [a.status_code for a in answers] == [200] * 4
    assert {a.json()["replica"] for a in answers} == {"two"}
    assert [a.json()["body"] for a in answers] == [f'{{"n":{n}}}' for n in range(4)]


async def test_a_write_lost_after_sending_is_a_502_not_a_second_write(
    database_url: str, two_replicas: tuple[Upstream, Upstream]
) -> None:
    (_, _), (two, _) = two_replicas
    async with dropping() as dropper, gateway(database_url, dropper, two) as client:
        lost = await client.post("/api/v1/contacts", json={"n": 1})

    assert lost.status_code == 502
    assert lost.headers["content-type"] == "application/problem+json"
    assert "Idempotency-Key" in lost.json()["detail"]


async def test_a_service_that_refuses_connections_is_a_503_with_retry_after(
    database_url: str,
) -> None:
    with socket.socket() as unused:
        unused.bind(("127.0.0.1", 0))
        nobody = f"http://127.0.0.1:{unused.getsockname()[1]}"
    async with gateway(database_url, nobody) as client:
        answer = await client.post("/api/v1/contacts", json={"n": 1})

    assert answer.status_code == 503
    assert answer.headers["retry-after"] == "5"
    assert answer.json()["type"] == "urn:treue:problem:service-unavailable"


async def test_a_service_that_does_not_answer_in_time_is_a_504(
    database_url: str, two_replicas: tuple[Upstream, Upstream]
) -> None:
    (one, _), (_, _) = two_replicas
    async with gateway(database_url, one, upstream_timeout_seconds=0.5) as client:
        answer = await client.get("/api/v1/contacts/slow")

    assert answer.status_code == 504
    assert answer.headers["content-type"] == "application/problem+json"
    assert "did not answer in time" in answer.json()["detail"]


async def test_a_large_unsized_answer_streams_through_whole(
    database_url: str, two_replicas: tuple[Upstream, Upstream]
) -> None:
    (one, _), (_, _) = two_replicas
    async with gateway(database_url, one) as client:
        answer = await client.get("/api/v1/contacts/export")

    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("text/csv")
    lines = answer.content.splitlines()
    assert len(lines) == BIG_ROWS
    assert lines[-1] == b"%08d,%s" % (BIG_ROWS - 1, b"x" * 1000)


async def test_a_write_with_an_idempotency_key_goes_to_the_next_replica(
    database_url: str, two_replicas: tuple[Upstream, Upstream]
) -> None:
    (_, _), (two, _) = two_replicas
    async with dropping() as dropper, gateway(database_url, dropper, two) as client:
        keyed = await client.post(
            "/api/v1/contacts", json={"n": 1}, headers={"Idempotency-Key": "k-1"}
        )
        read = await client.get("/api/v1/contacts")

    assert keyed.status_code == 200
    assert keyed.json() == {"replica": "two", "body": '{"n":1}'}
    # The dropping replica is marked down: the next request goes straight to the other.
    assert read.json()["replica"] == "two"


async def test_the_api_docs_come_from_a_replica_that_is_up(
    database_url: str, two_replicas: tuple[Upstream, Upstream]
) -> None:
    (one, kill_one), (two, _) = two_replicas
    async with gateway(database_url, one, two) as client:
        kill_one()
        await asyncio.sleep(0.3)
        await client.get("/api/v1/contacts")  # fails over and marks the first replica down
        try:
            document = (await client.get("/api/v1/openapi.json")).json()
        finally:
            docs._cache.clear()

    assert "/api/v1/contacts" in document["paths"]
