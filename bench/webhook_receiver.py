"""The subscriber of bench/webhooks.py, bench/webhook_http.py and bench/webhook_latency.py:
answers 200 to every POST and remembers, per request, its arrival time minus the body's
`timestamp` (the event's time), and its arrival time by the body's `data.response_id`
(detractor answers).

GET /stats answers both; GET /reset forgets them. Kept apart from webhooks.py
so it starts in its own process without importing the gateway.

Two servers of the same behaviour:
- `raw` (the default): an asyncio protocol on uvloop with httptools' parser, HTTP/1.1
  keep-alive, nothing else. A subscriber's cost per request is tiny next to the sender's,
  so the benchmark measures the sender, not the receiver.
- `uvicorn`: the same handler as an ASGI app under uvicorn (one worker), the receiver of
  the first measurements; about three times the CPU per request of `raw`.

    .venv/bin/python bench/webhook_receiver.py PORT [--server raw|uvicorn]
"""

from __future__ import annotations

import argparse
import asyncio
import time
from datetime import datetime
from typing import Any, cast

import httptools
import orjson
import uvicorn
import uvloop

latencies: list[float] = []
arrivals: dict[str, float] = {}


def handle(method: str, path: str, body: bytes) -> bytes:
    """What the receiver answers (always 200) to one request; records POSTs."""
    if method == "POST":
        arrived = time.time()
        message = orjson.loads(body)
        latencies.append(arrived - datetime.fromisoformat(message["timestamp"]).timestamp())
        response_id = message.get("data", {}).get("response_id")
        # The first arrival counts: a retry of the same message comes later.
        if response_id is not None and response_id not in arrivals:
            arrivals[response_id] = arrived
        return b""
    if path == "/stats":
        return orjson.dumps({"latencies": latencies, "arrivals": arrivals})
    if path == "/reset":
        latencies.clear()
        arrivals.clear()
    return b""


async def asgi_receiver(scope: dict[str, Any], receive: Any, send: Any) -> None:
    if scope["type"] != "http":
        return
    body = b""
    while True:
        message = await receive()
        body += message.get("body", b"")
        if not message.get("more_body"):
            break
    answer = handle(scope["method"], scope["path"], body)
    await send({"type": "http.response.start", "status": 200, "headers": []})
    await send({"type": "http.response.body", "body": answer})


class RawReceiver(asyncio.Protocol):
    """One connection: requests parsed by httptools, each answered at once."""

    def __init__(self) -> None:
        self.parser = httptools.HttpRequestParser(self)
        self.transport: asyncio.WriteTransport | None = None
        self.url = b""
        self.body = bytearray()

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        # uvloop's TCP transports are not asyncio.Transport subclasses, but write the same.
        self.transport = cast(asyncio.WriteTransport, transport)

    def data_received(self, data: bytes) -> None:
        try:
            self.parser.feed_data(data)
        except httptools.HttpParserError:
            assert self.transport is not None
            self.transport.close()

    def on_message_begin(self) -> None:
        self.url = b""
        self.body = bytearray()

    def on_url(self, url: bytes) -> None:
        self.url += url

    def on_body(self, body: bytes) -> None:
        self.body += body

    def on_message_complete(self) -> None:
        assert self.transport is not None
        path = httptools.parse_url(self.url).path.decode()
        answer = handle(self.parser.get_method().decode(), path, bytes(self.body))
        self.transport.write(
            b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n"
            b"content-length: %d\r\n\r\n%s" % (len(answer), answer)
        )
        if not self.parser.should_keep_alive():
            self.transport.close()


async def serve_raw(port: int) -> None:
    # uvicorn's backlog: a client opening hundreds of connections at once is not refused.
    server = await asyncio.get_running_loop().create_server(
        RawReceiver, "127.0.0.1", port, backlog=2048
    )
    async with server:
        await server.serve_forever()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("port", type=int)
    parser.add_argument("--server", choices=["raw", "uvicorn"], default="raw")
    args = parser.parse_args()
    if args.server == "uvicorn":
        uvicorn.run(asgi_receiver, host="127.0.0.1", port=args.port, log_level="warning")
    else:
        uvloop.run(serve_raw(args.port))


if __name__ == "__main__":
    main()
