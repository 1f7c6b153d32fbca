"""The webhook sender against a real local HTTP server: the SSRF guard where connections
open (one lookup, every address checked, the connection made to a checked address), no
redirects, no cookies, the timeout per attempt and the truncated answer. Names resolve
through a fake resolver."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass, field

import pytest

from gateway.adapters.webhook_http import GuardedResolver, UrlGuard, WebhookSender
from gateway.domain.webhooks import UnsafeUrl


class Resolver:
    """Answers from a table, one answer after another per name (a rebinding DNS server
    answers a public address first and a private one the next time)."""

    def __init__(self, answers: dict[str, list[list[str]]]) -> None:
        self.answers = answers
        self.lookups: list[str] = []

    async def __call__(self, host: str, port: int) -> list[str]:
        self.lookups.append(host)
        queue = self.answers[host]
        return queue.pop(0) if len(queue) > 1 else queue[0]


async def test_the_resolver_answers_the_addresses_that_were_checked() -> None:
    resolver = Resolver({"hooks.example.com": [["93.184.216.34"], ["127.0.0.1"]]})

    [answer] = await GuardedResolver(UrlGuard(False, resolver)).resolve("hooks.example.com", 443)

    assert answer["host"] == "93.184.216.34"
    assert answer["hostname"] == "hooks.example.com"
    assert answer["port"] == 443
    assert resolver.lookups == ["hooks.example.com"]


@pytest.mark.parametrize(
    "addresses",
    [
        ["127.0.0.1"],
        ["10.1.2.3"],
        ["169.254.169.254"],
        ["93.184.216.34", "192.168.0.10"],
        ["2606:2800:220:1::1", "::1"],
        ["::ffff:10.0.0.1"],
    ],
)
async def test_any_private_address_refuses_the_name(addresses: list[str]) -> None:
    resolver = GuardedResolver(UrlGuard(False, Resolver({"h.example": [addresses]})))

    with pytest.raises(UnsafeUrl):
        await resolver.resolve("h.example", 80)


async def test_private_addresses_are_answered_when_allowed() -> None:
    resolver = GuardedResolver(UrlGuard(True, Resolver({"localhost": [["127.0.0.1", "::1"]]})))

    answers = await resolver.resolve("localhost", 9000)

    assert [a["host"] for a in answers] == ["127.0.0.1", "::1"]


async def test_a_name_that_does_not_resolve_is_refused() -> None:
    async def failing(host: str, port: int) -> list[str]:
        raise OSError("no such host")

    with pytest.raises(UnsafeUrl, match="does not resolve"):
        await GuardedResolver(UrlGuard(False, failing)).resolve("x.example", 80)


@dataclass
class Server:
    """A small HTTP/1.1 server on 127.0.0.1: keeps each request's head and answers by the
    last segment of its path (see answer())."""

    port: int = 0
    heads: list[bytes] = field(default_factory=list)
    connections: int = 0

    async def handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.connections += 1
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                self.heads.append(head)
                length = next(
                    (
                        int(line.split(b":")[1])
                        for line in head.lower().split(b"\r\n")
                        if line.startswith(b"content-length:")
                    ),
                    0,
                )
                await reader.readexactly(length)
                await self.answer(head.split(b" ")[1].rsplit(b"/", 1)[-1], writer)
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            writer.close()

    async def answer(self, name: bytes, writer: asyncio.StreamWriter) -> None:
        if name == b"slow":
            await asyncio.sleep(30)
        if name == b"trickle":
            # The head at once, then a byte of the body every 0.2 s.
            writer.write(b"HTTP/1.1 200 OK\r\ncontent-length: 100\r\n\r\n")
            for _ in range(100):
                writer.write(b"x")
                await writer.drain()
                await asyncio.sleep(0.2)
            return
        body = {b"big": b"x" * 10_000}.get(name, b"ok")
        status, headers = {
            b"moved": (b"302 Found", b"location: /hooks/elsewhere\r\n"),
            b"cookie": (b"200 OK", b"set-cookie: session=abc; Path=/\r\n"),
            b"busy": (b"503 Service Unavailable", b"retry-after: 120\r\n"),
        }.get(name, (b"200 OK", b""))
        writer.write(
            b"HTTP/1.1 %s\r\n%scontent-length: %d\r\n\r\n%s" % (status, headers, len(body), body)
        )
        await writer.drain()


@pytest.fixture
async def server() -> AsyncIterator[Server]:
    state = Server()
    listening = await asyncio.start_server(state.handle, "127.0.0.1", 0)
    state.port = listening.sockets[0].getsockname()[1]
    async with listening:
        yield state


def sender(guard: UrlGuard, timeout: float = 5.0, body_limit: int = 2048) -> WebhookSender:
    return WebhookSender(guard, timeout, body_limit)


async def test_the_sender_connects_to_the_checked_address_and_keeps_the_name(
    server: Server,
) -> None:
    """receiver.test exists only in the fake resolver: the connection went to its answer."""
    resolver = Resolver({"receiver.test": [["127.0.0.1"]]})
    async with sender(UrlGuard(True, resolver)) as webhooks:
        result = await webhooks.send(
            f"http://receiver.test:{server.port}/hook", {"webhook-id": "msg_1"}, b"{}"
        )

    assert result.status_code == 200, result
    head = server.heads[0].lower()
    assert f"host: receiver.test:{server.port}".encode() in head
    assert b"webhook-id: msg_1" in head
    assert b"content-type: application/json" in head
    assert b"user-agent: treue-webhooks/1.0" in head
    assert b"accept-encoding" not in head
    assert resolver.lookups == ["receiver.test"]


async def test_a_name_resolving_inside_is_refused_as_the_attempt_error(server: Server) -> None:
    resolver = Resolver({"inside.test": [["127.0.0.1"]]})
    async with sender(UrlGuard(False, resolver)) as webhooks:
        result = await webhooks.send(f"http://inside.test:{server.port}/hook", {}, b"{}")

    assert result.status_code is None
    assert result.error is not None
    assert result.error.startswith("refused: ")
    assert server.heads == []


@pytest.mark.parametrize("host", ["127.0.0.1", "[::1]"])
async def test_a_private_address_in_the_url_is_refused(server: Server, host: str) -> None:
    async with sender(UrlGuard(False)) as webhooks:
        result = await webhooks.send(f"http://{host}:{server.port}/hook", {}, b"{}")

    assert result.error is not None
    assert result.error.startswith("refused: ")
    assert server.heads == []


async def test_redirects_are_answered_not_followed(server: Server) -> None:
    async with sender(UrlGuard(True)) as webhooks:
        result = await webhooks.send(f"http://127.0.0.1:{server.port}/hooks/moved", {}, b"{}")

    assert result.status_code == 302
    assert len(server.heads) == 1


async def test_cookies_of_one_answer_are_not_sent_again(server: Server) -> None:
    async with sender(UrlGuard(True)) as webhooks:
        for _ in range(2):
            await webhooks.send(f"http://127.0.0.1:{server.port}/hooks/cookie", {}, b"{}")

    assert len(server.heads) == 2
    assert b"cookie:" not in server.heads[1].lower()


async def test_the_answer_is_stored_truncated(server: Server) -> None:
    async with sender(UrlGuard(True), body_limit=100) as webhooks:
        result = await webhooks.send(f"http://127.0.0.1:{server.port}/hooks/big", {}, b"{}")

    assert result.status_code == 200
    assert result.response_body == "x" * 100


@pytest.mark.parametrize("name", ["slow", "trickle"])
async def test_an_attempt_not_answered_in_time_times_out(server: Server, name: str) -> None:
    """No answer at all, or an answer whose body trickles in: one timeout for the whole."""
    started = time.monotonic()
    async with sender(UrlGuard(True), timeout=0.5) as webhooks:
        result = await webhooks.send(f"http://127.0.0.1:{server.port}/hooks/{name}", {}, b"{}")

    assert result.status_code is None
    assert result.error == "timed out"
    assert 0.4 < time.monotonic() - started < 3
    assert 400 <= result.duration_ms < 3000


async def test_retry_after_is_read_from_the_answer(server: Server) -> None:
    async with sender(UrlGuard(True)) as webhooks:
        result = await webhooks.send(f"http://127.0.0.1:{server.port}/hooks/busy", {}, b"{}")

    assert result.status_code == 503
    assert result.retry_after == 120


async def test_a_closed_port_is_recorded_as_a_connection_error() -> None:
    async with sender(UrlGuard(True)) as webhooks:
        result = await webhooks.send("http://127.0.0.1:1/hook", {}, b"{}")

    assert result.status_code is None
    assert result.error is not None
    assert result.error.startswith("ClientConnectorError")


async def test_connections_are_kept_alive_between_attempts(server: Server) -> None:
    async with sender(UrlGuard(True)) as webhooks:
        for _ in range(5):
            result = await webhooks.send(f"http://127.0.0.1:{server.port}/hook", {}, b"{}")
            assert result.status_code == 200

    assert len(server.heads) == 5
    assert server.connections == 1
