"""The SSRF guard where connections open: one lookup, every address checked, the
connection made to a checked address (DNS rebinding), with a fake resolver."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import httpcore
import pytest

from gateway.adapters.webhook_http import (
    GuardedNetworkBackend,
    UrlGuard,
    WebhookSender,
    make_client,
)
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


class Stream(httpcore.AsyncNetworkStream):
    def __init__(self, address: str) -> None:
        self.address = address


class Inner(httpcore.AsyncNetworkBackend):
    """Records where it was asked to connect; `refusing` addresses fail to connect."""

    def __init__(self, refusing: frozenset[str] = frozenset()) -> None:
        self.connected: list[tuple[str, int]] = []
        self.refusing = refusing

    async def connect_tcp(self, host: str, port: int, *args: Any, **kwargs: Any) -> Stream:
        self.connected.append((host, port))
        if host in self.refusing:
            raise httpcore.ConnectError(f"{host} refused")
        return Stream(host)

    async def sleep(self, seconds: float) -> None:
        await asyncio.sleep(seconds)


async def test_a_connection_goes_to_the_address_that_was_checked() -> None:
    resolver = Resolver({"hooks.example.com": [["93.184.216.34"], ["127.0.0.1"]]})
    inner = Inner()
    backend = GuardedNetworkBackend(UrlGuard(False, resolver), inner)

    stream = await backend.connect_tcp("hooks.example.com", 443, timeout=5)

    assert isinstance(stream, Stream)
    assert stream.address == "93.184.216.34"
    assert inner.connected == [("93.184.216.34", 443)]
    # One lookup: the second (rebound) answer was never asked for.
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
async def test_any_private_address_refuses_the_connection(addresses: list[str]) -> None:
    inner = Inner()
    backend = GuardedNetworkBackend(UrlGuard(False, Resolver({"h.example": [addresses]})), inner)

    with pytest.raises(UnsafeUrl):
        await backend.connect_tcp("h.example", 80)

    assert inner.connected == []


async def test_private_addresses_are_connected_to_when_allowed() -> None:
    inner = Inner()
    backend = GuardedNetworkBackend(UrlGuard(True, Resolver({"localhost": [["127.0.0.1"]]})), inner)

    await backend.connect_tcp("localhost", 9000)

    assert inner.connected == [("127.0.0.1", 9000)]


async def test_the_next_checked_address_is_tried_when_one_does_not_answer() -> None:
    resolver = Resolver({"h.example": [["93.184.216.34", "93.184.216.35"]]})
    inner = Inner(refusing=frozenset({"93.184.216.34"}))
    backend = GuardedNetworkBackend(UrlGuard(False, resolver), inner)

    stream = await backend.connect_tcp("h.example", 80)

    assert isinstance(stream, Stream)
    assert stream.address == "93.184.216.35"
    assert resolver.lookups == ["h.example"]


async def test_a_name_that_does_not_resolve_is_refused() -> None:
    async def failing(host: str, port: int) -> list[str]:
        raise OSError("no such host")

    with pytest.raises(UnsafeUrl, match="does not resolve"):
        await GuardedNetworkBackend(UrlGuard(False, failing), Inner()).connect_tcp("x.example", 80)


@pytest.fixture
async def receiver() -> AsyncIterator[tuple[int, list[bytes]]]:
    """A one-line HTTP server on 127.0.0.1 that keeps each request's head."""
    heads: list[bytes] = []

    async def answer(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        heads.append(await reader.readuntil(b"\r\n\r\n"))
        writer.write(b"HTTP/1.1 204 No Content\r\ncontent-length: 0\r\n\r\n")
        await writer.drain()
        writer.close()

    server = await asyncio.start_server(answer, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    async with server:
        yield port, heads


async def test_the_sender_keeps_the_name_in_the_host_header(
    receiver: tuple[int, list[bytes]],
) -> None:
    port, heads = receiver
    resolver = Resolver({"receiver.test": [["127.0.0.1"]]})
    async with make_client(5.0, UrlGuard(True, resolver)) as client:
        result = await WebhookSender(client, 2048).send(
            f"http://receiver.test:{port}/hook", {"webhook-id": "msg_1"}, b"{}"
        )

    assert result.status_code == 204, result
    assert f"host: receiver.test:{port}".encode() in heads[0].lower()
    assert resolver.lookups == ["receiver.test"]


async def test_the_sender_records_a_refused_address_as_the_attempt_error() -> None:
    resolver = Resolver({"inside.test": [["10.0.0.5"]]})
    async with make_client(5.0, UrlGuard(False, resolver)) as client:
        result = await WebhookSender(client, 2048).send("http://inside.test/hook", {}, b"{}")

    assert result.status_code is None
    assert result.error is not None
    assert result.error.startswith("refused: ")
