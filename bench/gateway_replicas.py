"""Write throughput through the gateway with 1 and with 2 replicas of every service.

Against the running local stack: for each replica count, deploy/local/scale.sh runs that
many replicas of contacts, survey, analytics and the gateway, then `--concurrency` clients
create contacts (POST /api/v1/contacts) in a closed loop for `--seconds`, spread round robin
over the gateway replicas (as a load balancer in front of them would). Prints contacts/s
and latency percentiles per count; afterwards the stack runs the replica count it had.

    .venv/bin/python bench/gateway_replicas.py [--replicas 1,2] [--seconds 30] [--concurrency 32]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import subprocess
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import httpx
from benchlib import run
from e2e_latency import contact_body, login
from hdrh.histogram import HdrHistogram

ROOT = Path(__file__).resolve().parent.parent
PORT_BASE = int(os.environ.get("TREUE_PORT_BASE", "8000"))
REPLICA_PORT_STEP = 10  # deploy/local/lib.sh
WARMUP_SECONDS = 3.0


@dataclass
class Result:
    replicas: int
    seconds: float
    created: int = 0
    failures: Counter[str] = field(default_factory=Counter)
    latency_us: HdrHistogram = field(default_factory=lambda: HdrHistogram(1, 60_000_000, 3))

    def line(self) -> str:
        def ms(percentile: float) -> str:
            return f"{self.latency_us.get_value_at_percentile(percentile) / 1000:.0f} ms"

        failed = f", failed {dict(self.failures)}" if self.failures else ""
        return (
            f"GATEWAY REPLICAS {self.replicas}: {self.created / self.seconds:.0f} contacts/s"
            f" (p50 {ms(50)}, p99 {ms(99)}, {self.created} in {self.seconds:.0f} s{failed})"
        )


def scale(replicas: int) -> None:
    subprocess.run([str(ROOT / "deploy" / "local" / "scale.sh"), str(replicas)], check=True)


def gateway_url(replica: int) -> str:
    return f"http://127.0.0.1:{PORT_BASE + REPLICA_PORT_STEP * (replica - 1)}"


async def measure(replicas: int, seconds: float, concurrency: int, credentials: Path) -> Result:
    clients = [
        httpx.AsyncClient(
            base_url=gateway_url(r),
            timeout=60,
            limits=httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency),
        )
        for r in range(1, replicas + 1)
    ]
    token = await login(clients[0], credentials)
    for client in clients:
        client.headers["Authorization"] = f"Bearer {token}"
    result = Result(replicas, seconds)
    run_id = uuid.uuid4().hex[:8]
    start = time.monotonic()
    measured_from, end = start + WARMUP_SECONDS, start + WARMUP_SECONDS + seconds

    async def worker(number: int) -> None:
        index = number
        while (now := time.monotonic()) < end:
            client = clients[index % len(clients)]
            try:
                answer = await client.post("/api/v1/contacts", json=contact_body(run_id, index))
                outcome = str(answer.status_code)
            except httpx.TransportError as error:
                outcome = type(error).__name__
            if now >= measured_from:
                if outcome == "201":
                    result.created += 1
                    result.latency_us.record_value(int((time.monotonic() - now) * 1_000_000))
                else:
                    result.failures[outcome] += 1
            index += concurrency

    try:
        await asyncio.gather(*(worker(n) for n in range(concurrency)))
    finally:
        for client in clients:
            await client.aclose()
    return result


def running_replicas() -> int:
    return max(1, sum(1 for _ in (ROOT / ".run").glob("gateway*.pid")))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--replicas", default="1,2", help="replica counts to measure, in order")
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--credentials", type=Path, default=ROOT / ".run" / "admin-credentials")
    parser.add_argument("--loop", default="uvloop", choices=["uvloop", "asyncio"])
    args = parser.parse_args()
    found = running_replicas()
    print(f"{os.cpu_count()} CPU cores; the stack runs {found} replica(s) now")
    results = []
    try:
        for replicas in (int(n) for n in args.replicas.split(",")):
            scale(replicas)
            result = run(
                measure(replicas, args.seconds, args.concurrency, args.credentials), loop=args.loop
            )
            print(result.line(), flush=True)
            results.append(result)
    finally:
        scale(found)
    print()
    for result in results:
        print(result.line())


if __name__ == "__main__":
    main()
