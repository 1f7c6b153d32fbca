"""The proxy's transport (httpx over aiohttp) against a real local HTTP server: streaming
both ways, pooling and its limit, timeouts, and errors reported by whether the request can
have reached the service."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import AsyncIterator
from dataclasses import dataclass, field

import httpx
import pytest

from gateway.adapters.upstream_transport import AiohttpTransport
from gateway.adapters.upstreams import NOT_SENT, may_retry


@dataclass
class Server:
    """HTTP/1.1 on 127.0.0.1 with keep-alive; answers by the last path segment (see
    answer()) and keeps each request's head and body."""

    port: int = 0
    heads: list[bytes] = field(default_factory=list)
    bodies: list[bytes] = field(default_factory=list)
    connections: int = 0
    open_now: int = 0
    most_open: int = 0

    async def handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.connections += 1
        self.open_now += 1
        self.most_open = max(self.most_open, self.open_now)
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                self.heads.append(head)
                self.bodies.append(await self.body(head, reader))
                if not await self.answer(head.split(b" ")[1].rsplit(b"/", 1)[-1], writer):
                    return
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            self.open_now -= 1
            writer.close()

    @staticmethod
    async def body(head: bytes, reader: asyncio.StreamReader) -> bytes:
        lines = head.lower().split(b"\r\n")
        if b"transfer-encoding: chunked" in lines:
            body = b""
            while size := int((await reader.readuntil(b"\r\n")).strip(), 16):
                body += await reader.readexactly(size)
                await reader.readexactly(2)
            await reader.readexactly(2)
            return body
        length = next((int(x.split(b":")[1]) for x in lines if x.startswith(b"content-length:")), 0)
        return await reader.readexactly(length)

    async def answer(self, name: bytes, writer: asyncio.StreamWriter) -> bool:
        """Answers; False when the connection is to be closed."""
        if name == b"drop":
            return False
        if name == b"slow":
            await asyncio.sleep(0.3)
        if name == b"stuck":
            await asyncio.sleep(30)
        if name == b"chunks":
            writer.write(b"HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n")
            for part in (b"first,", b"second,", b"third"):
                writer.write(b"%x\r\n%s\r\n" % (len(part), part))
                await writer.drain()
                await asyncio.sleep(0.1)
            writer.write(b"0\r\n\r\n")
            return True
        if name == b"cut":
            writer.write(b"HTTP/1.1 200 OK\r\ncontent-length: 100\r\n\r\nonly ten b")
            await writer.drain()
            return False
        writer.write(b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\nx-from: server\r\n\r\nok")
        await writer.drain()
        return True


@pytest.fixture
async def server() -> AsyncIterator[Server]:
    state = Server()
    listening = await asyncio.start_server(state.handle, "127.0.0.1", 0)
    state.port = listening.sockets[0].getsockname()[1]
    try:
        yield state
    finally:
        listening.close()


def client_for(max_connections: int = 10, **timeouts: float) -> httpx.AsyncClient:
    return httpx.AsyncClient(
        transport=AiohttpTransport(httpx.Limits(max_connections=max_connections)),
        timeout=httpx.Timeout(5.0, **timeouts),
    )


async def test_an_answer_streams_through_piece_by_piece(server: Server) -> None:
    async with client_for() as client:
        url = f"http://127.0.0.1:{server.port}/chunks"
        async with client.stream("GET", url) as answer:
            pieces = [piece async for piece in answer.aiter_raw()]

    assert answer.status_code == 200
    assert b"".join(pieces) == b"first,second,third"
    # Each piece was passed on when it arrived, not after the whole answer.
    assert len(pieces) == 3


async def test_a_streamed_request_body_arrives_whole(server: Server) -> None:
    async def upload() -> AsyncIterator[bytes]:
        for _ in range(32):
            yield b"y" * 65536

    async with client_for() as client:
        answer = await client.post(f"http://127.0.0.1:{server.port}/import", content=upload())

    assert answer.status_code == 200
    assert server.bodies == [b"y" * 32 * 65536]
    assert b"transfer-encoding: chunked" in server.heads[0].lower()


async def test_headers_and_a_small_body_go_as_httpx_built_them(server: Server) -> None:
    async with client_for() as client:
        answer = await client.post(
            f"http://127.0.0.1:{server.port}/contacts",
            content=b'{"a":1}',
            headers={"content-type": "application/json", "x-request-id": "r-1"},
        )

    head = server.heads[0].lower()
    assert b"content-type: application/json" in head
    assert b"x-request-id: r-1" in head
    assert head.count(b"content-length: 7") == 1
    assert server.bodies == [b'{"a":1}']
    assert answer.headers["x-from"] == "server"
    assert answer.text == "ok"


async def test_the_path_goes_as_the_caller_encoded_it(server: Server) -> None:
    async with client_for() as client:
        await client.get(f"http://127.0.0.1:{server.port}/api/%2e%2e/a%2Fb/%01%7F/x?q=%20")

    assert server.heads[0].startswith(b"GET /api/%2e%2e/a%2Fb/%01%7F/x?q=%20 HTTP/1.1")


async def test_connections_are_reused(server: Server) -> None:
    async with client_for() as client:
        for _ in range(5):
            assert (await client.get(f"http://127.0.0.1:{server.port}/ok")).status_code == 200

    assert server.connections == 1


async def test_no_more_connections_than_the_limit(server: Server) -> None:
    async with client_for(max_connections=2) as client:
        url = f"http://127.0.0.1:{server.port}/slow"
        answers = await asyncio.gather(*(client.get(url) for _ in range(6)))

    assert [a.status_code for a in answers] == [200] * 6
    assert server.most_open == 2


async def test_a_refused_connection_is_a_connect_error_never_sent() -> None:
    with socket.socket() as unused:
        unused.bind(("127.0.0.1", 0))
        port = unused.getsockname()[1]
    async with client_for() as client:
        with pytest.raises(httpx.ConnectError) as raised:
            await client.post(f"http://127.0.0.1:{port}/contacts", content=b"{}")

    assert isinstance(raised.value, NOT_SENT)


async def test_waiting_too_long_for_a_free_connection_is_never_sent(server: Server) -> None:
    async with client_for(max_connections=1, pool=0.1) as client:
        busy = asyncio.create_task(client.get(f"http://127.0.0.1:{server.port}/stuck"))
        await asyncio.sleep(0.1)
        with pytest.raises(httpx.ConnectTimeout) as raised:
            await client.post(f"http://127.0.0.1:{server.port}/contacts", content=b"{}")
        busy.cancel()

    assert isinstance(raised.value, NOT_SENT)
    assert len(server.heads) == 1


async def test_no_answer_in_time_is_a_read_timeout(server: Server) -> None:
    async with client_for(read=0.2) as client:
        with pytest.raises(httpx.ReadTimeout):
            await client.get(f"http://127.0.0.1:{server.port}/stuck")


async def test_a_connection_dropped_after_sending_may_have_applied_the_write(
    server: Server,
) -> None:
    async with client_for() as client:
        with pytest.raises(httpx.TransportError) as raised:
            await client.post(f"http://127.0.0.1:{server.port}/drop", content=b"{}")

    assert server.bodies == [b"{}"]
    assert not isinstance(raised.value, (*NOT_SENT, httpx.TimeoutException))
    assert not may_retry(raised.value, "POST", idempotency_key=False, body_replayable=True)
    assert may_retry(raised.value, "POST", idempotency_key=True, body_replayable=True)


async def test_an_answer_cut_short_is_a_transport_error(server: Server) -> None:
    url = f"http://127.0.0.1:{server.port}/cut"
    async with client_for() as client, client.stream("GET", url) as answer:
        with pytest.raises(httpx.TransportError):
            await answer.aread()
