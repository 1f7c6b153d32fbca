"""One migrated gateway database and app per test run; the services are a fake upstream."""

from __future__ import annotations

import asyncio
import contextlib
import json
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from http.cookiejar import CookieJar, DefaultCookiePolicy
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn
from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from asgi_lifespan import LifespanManager
from fastapi import FastAPI
from starlette.requests import Request
from starlette.responses import StreamingResponse
from starlette.types import ASGIApp, Receive, Scope, Send

from gateway.main import create_app
from gateway.settings import GatewaySettings
from treue.identity import INTERNAL_TOKEN_HEADER, verify_internal_token
from treue.testing import eventually, free_port

ALEMBIC_INI = Path(__file__).parents[2] / "alembic.ini"
ADMIN = {"email": "chefin@treue.local", "password": "a-long-admin-password"}
PASSWORD = "ein-sehr-langes-passwort"

MakeUser = Callable[..., Awaitable[tuple[dict[str, Any], dict[str, str]]]]


async def fake_contacts(scope: Scope, receive: Receive, send: Send) -> None:
    """contacts-service as a real HTTP server that echoes what reached it, unsized (the
    gateway streams such an answer through as it would a real upstream's)."""
    if scope["type"] != "http":
        return
    if scope["path"].endswith("/no-content"):
        # As some servers send it: a Content-Length of 0 that the gateway must not pass on.
        headers = [(b"content-length", b"0")]
        await send({"type": "http.response.start", "status": 204, "headers": headers})
        await send({"type": "http.response.body", "body": b""})
        return
    request = Request(scope, receive)
    body = await request.body()
    token = request.headers.get(INTERNAL_TOKEN_HEADER)
    secret = GatewaySettings().internal_token_secret
    identity = verify_internal_token(token, secret).model_dump(mode="json") if token else None
    created = request.method == "POST"
    target = scope["raw_path"].decode()
    if scope["query_string"]:
        target += "?" + scope["query_string"].decode()
    echo = {
        "method": request.method,
        "target": target,
        "identity": identity,
        "body_bytes": len(body),
        "content_type": request.headers.get("content-type"),
    }
    headers = {"location": f"{request.url.path}/{uuid.uuid4()}"} if created else {}

    async def once() -> AsyncIterator[bytes]:
        yield json.dumps(echo).encode()

    answer = StreamingResponse(
        once(), status_code=201 if created else 200, headers=headers, media_type="application/json"
    )
    await answer(scope, receive, send)


# The fake contacts-service's port, taken when the tests start (fake_contacts_server); the
# other services are refused (port 1).
FAKE_CONTACTS_PORT = free_port()


def gateway_settings(database_url: str, **overrides: Any) -> GatewaySettings:
    values: dict[str, Any] = {
        "database_url": database_url,
        "run_background": False,
        "admin_email": ADMIN["email"],
        "admin_password": ADMIN["password"],
        "contacts_url": f"http://127.0.0.1:{FAKE_CONTACTS_PORT}",
        "survey_url": "http://127.0.0.1:1",
        "analytics_url": "http://127.0.0.1:1",
        "login_limit_per_account": 10_000,
        "login_limit_per_address": 10_000,
        "audit_flush_seconds": 0.05,
        # Explicit: the local environment (with-env.sh) allows private webhook URLs.
        "webhooks_allow_private_urls": False,
        **overrides,
    }
    return GatewaySettings(**values)


@pytest.fixture(scope="session", autouse=True)
async def fake_contacts_server() -> AsyncIterator[None]:
    async with serving(fake_contacts, FAKE_CONTACTS_PORT):
        yield


@contextlib.asynccontextmanager
async def serving(app: ASGIApp, port: int) -> AsyncIterator[uvicorn.Server]:
    """`app` served by uvicorn on 127.0.0.1:`port` (0: a free one) until the block ends."""
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="off")
    )
    task = asyncio.create_task(server.serve())

    async def started() -> bool:
        return bool(server.started)

    await eventually(started, timeout=10, message="the server started")
    try:
        yield server
    finally:
        server.should_exit = True
        await task


@pytest.fixture(scope="session")
def database_url() -> str:
    from treue.testing import create_migrated_database

    return create_migrated_database("gateway_test", ALEMBIC_INI)


async def running(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    async with LifespanManager(app) as manager:
        transport = httpx.ASGITransport(app=manager.app)
        # No cookie jar: a login's session cookie would sign in every later request.
        no_cookies = CookieJar(policy=DefaultCookiePolicy(allowed_domains=[]))
        async with httpx.AsyncClient(
            transport=transport, base_url="http://gateway", cookies=no_cookies
        ) as client:
            yield client


@pytest.fixture
def another_gateway(
    client: httpx.AsyncClient, database_url: str
) -> Callable[..., contextlib.AbstractAsyncContextManager[httpx.AsyncClient]]:
    """Starts a second gateway on the same database with other settings (e.g. tight limits)."""

    @contextlib.asynccontextmanager
    async def start(**overrides: Any) -> AsyncIterator[httpx.AsyncClient]:
        app = create_app(gateway_settings(database_url, **overrides))
        async for other in running(app):
            yield other

    return start


@pytest.fixture(scope="session")
async def client(database_url: str) -> AsyncIterator[httpx.AsyncClient]:
    async for client in running(create_app(gateway_settings(database_url))):
        yield client


async def login(client: httpx.AsyncClient, credentials: dict[str, str]) -> dict[str, str]:
    answer = await client.post("/api/v1/auth/login", json=credentials)
    assert answer.status_code == 200, answer.text
    return {"Authorization": f"Bearer {answer.json()['access_token']}"}


@pytest.fixture
async def admin(client: httpx.AsyncClient) -> dict[str, str]:
    """Bearer headers of the first admin."""
    return await login(client, ADMIN)


@pytest.fixture
def make_user(client: httpx.AsyncClient, admin: dict[str, str]) -> MakeUser:
    """Creates a user with `role` through the API; returns it and its bearer headers."""

    async def make(role: str, name: str = "Jonas Weber") -> tuple[dict[str, Any], dict[str, str]]:
        email = f"{role}.{uuid.uuid4().hex[:8]}@treue.local"
        body = {"email": email, "name": name, "role": role, "password": PASSWORD}
        answer = await client.post("/api/v1/users", json=body, headers=admin)
        assert answer.status_code == 201, answer.text
        return answer.json(), await login(client, {"email": email, "password": PASSWORD})

    return make


@pytest.fixture(scope="session")
async def members(client: httpx.AsyncClient) -> dict[str, dict[str, str]]:
    """Bearer headers of one manager, agent and viewer, shared by the tests that only read."""
    admin = await login(client, ADMIN)
    headers: dict[str, dict[str, str]] = {}
    for role in ("manager", "agent", "viewer"):
        email = f"{role}.member@treue.local"
        body = {"email": email, "name": f"Mitglied {role}", "role": role, "password": PASSWORD}
        answer = await client.post("/api/v1/users", json=body, headers=admin)
        assert answer.status_code == 201, answer.text
        headers[role] = await login(client, {"email": email, "password": PASSWORD})
    return headers


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: bytes


@dataclass
class Receiver:
    """A real HTTP subscriber on a free local port. `script[name]` lists what the path
    /hooks/{name} answers in turn (a status, or a status and headers), then 200; every
    request is recorded."""

    base_url: str = ""
    received: list[Received] = field(default_factory=list)
    script: dict[str, list[int | tuple[int, dict[str, str]]]] = field(default_factory=dict)
    arrived: asyncio.Event = field(default_factory=asyncio.Event)

    def url(self, name: str) -> str:
        return f"{self.base_url}/hooks/{name}"

    def at(self, name: str) -> list[Received]:
        return [r for r in self.received if r.path == f"/hooks/{name}"]

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            return
        body = b""
        while True:
            message = await receive()
            body += message.get("body", b"")
            if not message.get("more_body"):
                break
        headers = {k.decode(): v.decode() for k, v in scope["headers"]}
        self.received.append(Received(scope["path"], headers, body))
        self.arrived.set()
        name = scope["path"].rsplit("/", 1)[-1]
        answers = self.script.get(name, [])
        answer = answers.pop(0) if answers else 200
        status, headers = answer if isinstance(answer, tuple) else (answer, {})
        await send(
            {
                "type": "http.response.start",
                "status": status,
                "headers": [(k.encode(), v.encode()) for k, v in headers.items()],
            }
        )
        await send({"type": "http.response.body", "body": f"answered {status}".encode()})


@pytest.fixture(scope="session")
async def receiver() -> AsyncIterator[Receiver]:
    app = Receiver()
    async with serving(app, 0) as server:
        port = server.servers[0].sockets[0].getsockname()[1]
        app.base_url = f"http://127.0.0.1:{port}"
        yield app


@dataclass(frozen=True)
class Live:
    client: httpx.AsyncClient
    settings: GatewaySettings
    app: FastAPI


@pytest.fixture(scope="session")
async def live(database_url: str) -> AsyncIterator[Live]:
    """A gateway with its background loops: the Kafka dispatcher (own topics and group) and
    the delivery worker with a fast retry schedule; loopback URLs allowed."""
    run = uuid.uuid4().hex[:10]
    settings = gateway_settings(
        database_url,
        run_background=True,
        service_name=f"gateway-test-{run}",
        topic_prefix=f"test-{run}",
        webhooks_allow_private_urls=True,
        webhook_retry_delays_seconds=[0.2, 0.2, 0.2, 0.2, 0.2],
        webhook_poll_seconds=0.1,
        # The whole attempt, to the answer: the receiver runs in this test's event loop,
        # and on a loaded machine a backlog of hundreds can take seconds to answer (a
        # timed-out attempt is sent again, which a test counting arrivals would see).
        webhook_timeout_seconds=5.0,
        webhook_lanes=2,
    )
    topics = [settings.topic(owner) for owner in ("contacts", "surveys", "analytics")]
    admin = AIOKafkaAdminClient(bootstrap_servers=settings.kafka_bootstrap_servers)
    await admin.start()
    try:
        await admin.create_topics(
            [NewTopic(t, num_partitions=3, replication_factor=1) for t in topics]
        )
        app = create_app(settings)
        async for client in running(app):
            yield Live(client, settings, app)
        await admin.delete_topics(topics)
    finally:
        await admin.close()
