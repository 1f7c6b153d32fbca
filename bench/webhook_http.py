"""The HTTP side of webhook deliveries alone: each receiver and each client, no database.

For every receiver (webhook_receiver.py's `raw` httptools server and its `uvicorn` ASGI app,
each in its own process) and every client, `--requests` POSTs of a webhook-sized JSON body,
`--concurrency` at a time (closed loop: each of that many tasks sends its next POST when
its last one was answered). Printed per pair: POSTs per second, and the CPU per POST of
the client (this process) and of the receiver (its process), from which the rate two idle
cores could reach follows. Clients:

- `httpx`: an `httpx.AsyncClient` with the pool the delivery worker's client had before
  (as many connections as POSTs in flight, all kept alive), without its SSRF-guarded
  network backend, which only acted when a connection opened.
- `aiohttp`: a bare `aiohttp.ClientSession` with a connection limit of `--concurrency`.
- `sender`: the delivery worker's `WebhookSender` (aiohttp with guarded connections, no
  redirects, a timeout per attempt, the answer truncated), each POST signed as the worker
  signs it.

    .venv/bin/python bench/webhook_http.py [--requests 5000] [--concurrency 400,50]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime

import aiohttp
import httpx
import orjson
from benchlib import run
from webhooks import RunningReceiver, receiver_process

from gateway.adapters.webhook_http import UrlGuard, WebhookSender
from gateway.domain.webhooks import generate_secret, signature_header
from treue.testing import free_port

Post = Callable[[], Awaitable[None]]


def webhook_body() -> bytes:
    data = {"contact_id": "0b6f3c1e-0000-4000-8000-000000000000", "score": 3, "comment": "x" * 80}
    message = {"type": "nps.detractor", "timestamp": datetime.now(UTC).isoformat(), "data": data}
    return orjson.dumps(message)


async def closed_loop(post: Post, count: int, concurrency: int) -> float:
    """Sends `count` POSTs, `concurrency` at a time; seconds taken."""
    remaining = count

    async def one_task() -> None:
        nonlocal remaining
        while remaining > 0:
            remaining -= 1
            await post()

    started = time.perf_counter()
    await asyncio.gather(*(one_task() for _ in range(concurrency)))
    return time.perf_counter() - started


async def measure(
    name: str, receiver: RunningReceiver, concurrency: int, count: int, body: bytes
) -> None:
    url = f"{receiver.base}/hooks/plain"
    headers = {"content-type": "application/json"}
    secret = generate_secret()

    async def with_client(post: Post) -> tuple[float, float, float]:
        await closed_loop(post, min(concurrency * 2, count), concurrency)  # warm-up
        cpu, receiver_cpu = time.process_time(), receiver.cpu_seconds()
        seconds = await closed_loop(post, count, concurrency)
        return seconds, time.process_time() - cpu, receiver.cpu_seconds() - receiver_cpu

    if name == "httpx":
        limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
        async with httpx.AsyncClient(limits=limits, timeout=10, trust_env=False) as client:

            async def httpx_post() -> None:
                answer = await client.post(url, content=body, headers=headers)
                answer.raise_for_status()

            seconds, cpu, receiver_cpu = await with_client(httpx_post)
    elif name == "aiohttp":
        connector = aiohttp.TCPConnector(limit=concurrency)
        async with aiohttp.ClientSession(connector=connector) as session:

            async def aiohttp_post() -> None:
                async with session.post(url, data=body, headers=headers) as answer:
                    await answer.read()
                    answer.raise_for_status()

            seconds, cpu, receiver_cpu = await with_client(aiohttp_post)
    else:
        async with WebhookSender(UrlGuard(True), 10.0, 2048, concurrency) as sender:

            async def sender_post() -> None:
                timestamp = int(time.time())
                signed = {
                    "webhook-id": "msg_bench",
                    "webhook-timestamp": str(timestamp),
                    "webhook-signature": signature_header([secret], "msg_bench", timestamp, body),
                }
                result = await sender.send(url, signed, body)
                assert result.status_code == 200, result

            seconds, cpu, receiver_cpu = await with_client(sender_post)
    per_post = (cpu + receiver_cpu) / count
    print(
        f"  {name:8} x {concurrency:>4} -> {receiver.server:8}: {count / seconds:7,.0f} POSTs/s; "
        f"CPU per POST: client {cpu / count * 1e6:5,.0f} µs + receiver "
        f"{receiver_cpu / count * 1e6:4,.0f} µs (≤ {2 / per_post:6,.0f}/s on 2 idle cores)"
    )


async def main(args: argparse.Namespace) -> None:
    body = webhook_body()
    print(f"webhook HTTP side: {args.requests:,} POSTs of {len(body)} bytes per pair")
    for server in args.receivers.split(","):
        with receiver_process(free_port(), server) as receiver:
            for concurrency in (int(c) for c in args.concurrency.split(",")):
                for client in args.clients.split(","):
                    await measure(client, receiver, concurrency, args.requests, body)
    print(f"(load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs at the end)")


def parse() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=5000, help="POSTs per pair")
    parser.add_argument("--concurrency", default="400,50", help="POSTs in flight, a list")
    parser.add_argument("--receivers", default="uvicorn,raw")
    parser.add_argument("--clients", default="httpx,aiohttp,sender")
    parser.add_argument("--loop", default="uvloop", choices=["uvloop", "asyncio"])
    return parser.parse_args()


if __name__ == "__main__":
    arguments = parse()
    run(main(arguments), loop=arguments.loop)
