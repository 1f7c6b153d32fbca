"""The same read served directly by contacts-service and through the gateway.

Against the running local stack: GET /api/v1/contacts/{id} of one seeded contact, in a
closed loop of `--concurrency` keep-alive connections for `--seconds`, first straight to
contacts-service (with an internal identity token, as the gateway would send) and then
through the gateway with an API key (authentication, rate limiting and the identity token
all on). Prints req/s and p50/p99 of both, the gateway's share of the direct throughput and
the latency it adds at p50. The issue's goal: >= 50 % of direct, < 3 ms added at p50.
It also prints the CPU time each server process (found by its `--port` in /proc) spent per
request, which moves far less with the machine's load than the rates do.

Each connection uses its own API key (created here, revoked afterwards): the per-key rate
limit (6,000/min by default) is counted on every request but not reached, so 429s do not
flatter the figures. The load generator is a minimal HTTP/1.1 client on raw sockets, so
that it costs far less CPU than the servers it measures (both share the machine).

    .venv/bin/python bench/gateway_proxy.py [--concurrency 1,8,32] [--seconds 15]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx
from benchlib import run
from e2e_latency import login
from hdrh.histogram import HdrHistogram

from treue.identity import Identity
from treue.testing import identity_headers

ROOT = Path(__file__).resolve().parent.parent
WARMUP_SECONDS = 2.0


@dataclass
class Result:
    target: str
    concurrency: int
    seconds: float
    ok: int = 0
    failed: dict[int, int] = field(default_factory=dict)
    latency_us: HdrHistogram = field(default_factory=lambda: HdrHistogram(1, 60_000_000, 3))
    # CPU µs per request (warm-up included) of each server process, by port.
    cpu_us: dict[int, float] = field(default_factory=dict)

    @property
    def rate(self) -> float:
        return self.ok / self.seconds

    def ms(self, percentile: float) -> float:
        return float(self.latency_us.get_value_at_percentile(percentile)) / 1000

    def line(self) -> str:
        failed = f", failed {self.failed}" if self.failed else ""
        cpu = " + ".join(f":{port} {us:,.0f} µs" for port, us in self.cpu_us.items())
        return (
            f"{self.target:<7} c={self.concurrency:<3} {self.rate:7,.0f} req/s"
            f"  p50 {self.ms(50):6.1f} ms  p99 {self.ms(99):6.1f} ms"
            f"  CPU/request {cpu}{failed}"
        )


def server_pids(port: int) -> list[int]:
    """The uvicorn processes serving `port` (from their command lines)."""
    pids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                command = (entry / "cmdline").read_bytes().split(b"\0")
            except OSError:
                continue
            if b"--port" in command and command[command.index(b"--port") + 1 :][:1] == [
                str(port).encode()
            ]:
                pids.append(int(entry.name))
    return pids


def cpu_seconds(pids: list[int]) -> float:
    """utime + stime of the processes (fields 14 and 15 of /proc/<pid>/stat)."""
    total = 0
    for pid in pids:
        with contextlib.suppress(OSError):
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])
    return total / os.sysconf("SC_CLK_TCK")


class Connection:
    """One keep-alive HTTP/1.1 connection: GET with fixed headers, read the whole answer."""

    def __init__(self, host: str, port: int, path: str, headers: dict[str, str]) -> None:
        self.host, self.port = host, port
        lines = [f"GET {path} HTTP/1.1", f"Host: {host}:{port}"]
        lines += [f"{name}: {value}" for name, value in headers.items()]
        self.request = ("\r\n".join(lines) + "\r\n\r\n").encode()
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def get(self) -> int:
        """The answer's status; 0 when the server dropped the connection (it is reopened)."""
        try:
            return await self._get()
        except (ConnectionError, asyncio.IncompleteReadError):
            await self.close()
            return 0

    async def _get(self) -> int:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        assert self.reader is not None
        self.writer.write(self.request)
        head = await self.reader.readuntil(b"\r\n\r\n")
        status = int(head[9:12])
        fields = {
            name.strip().lower(): value.strip()
            for name, _, value in (
                line.decode("latin-1").partition(":") for line in head.split(b"\r\n")[1:]
            )
            if name
        }
        if "content-length" in fields:
            await self.reader.readexactly(int(fields["content-length"]))
        elif fields.get("transfer-encoding") == "chunked":
            while size := int((await self.reader.readuntil(b"\r\n")).strip(), 16):
                await self.reader.readexactly(size + 2)
            await self.reader.readuntil(b"\r\n")
        if fields.get("connection") == "close":
            await self.close()
        return status

    async def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
            self.writer = None


async def measure(
    target: str,
    url: str,
    path: str,
    headers: list[dict[str, str]],
    seconds: float,
    servers: list[int],
) -> Result:
    parts = httpx.URL(url)
    assert parts.port is not None
    result = Result(target, len(headers), seconds)
    pids = {port: server_pids(port) for port in servers}
    cpu_before = {port: cpu_seconds(found) for port, found in pids.items()}
    served = 0
    start = time.monotonic()
    measured_from, end = start + WARMUP_SECONDS, start + WARMUP_SECONDS + seconds

    async def worker(own: dict[str, str]) -> None:
        nonlocal served
        connection = Connection(parts.host, parts.port or 80, path, own)
        try:
            while (now := time.monotonic()) < end:
                status = await connection.get()
                served += 1
                if now < measured_from:
                    continue
                if status == 200:
                    result.ok += 1
                    result.latency_us.record_value(int((time.monotonic() - now) * 1_000_000))
                else:
                    result.failed[status] = result.failed.get(status, 0) + 1
        finally:
            await connection.close()

    await asyncio.gather(*(worker(own) for own in headers))
    for port, found in pids.items():
        if found and served:
            result.cpu_us[port] = (cpu_seconds(found) - cpu_before[port]) / served * 1e6
    return result


async def main(args: argparse.Namespace) -> None:
    gateway = os.environ.get("TREUE_GATEWAY_URL", "http://127.0.0.1:8000")
    contacts = os.environ.get("TREUE_GATEWAY_CONTACTS_URL", "http://127.0.0.1:8001")
    levels = [int(n) for n in args.concurrency.split(",")]
    async with httpx.AsyncClient(base_url=gateway, timeout=30) as admin:
        admin.headers["Authorization"] = f"Bearer {await login(admin, args.credentials)}"
        listed = (await admin.get("/api/v1/contacts", params={"limit": 1})).json()["items"]
        if not listed:
            raise SystemExit("no contacts: run make up (it seeds demo data) first")
        path = f"/api/v1/contacts/{listed[0]['id']}"
        keys = []
        for number in range(max(levels)):
            body = {"name": f"bench gateway_proxy {number}", "scopes": ["contacts:read"]}
            created = await admin.post("/api/v1/api-keys", json=body)
            created.raise_for_status()
            keys.append(created.json())
        try:
            results = []
            for concurrency in levels:
                # The service sees the identity the gateway would pass for these keys.
                direct = [
                    identity_headers(
                        Identity(subject=key["id"], kind="api_key", scopes=["contacts:read"])
                    )
                    for key in keys[:concurrency]
                ]
                through = [{"Authorization": f"Bearer {key['key']}"} for key in keys[:concurrency]]
                service_port = httpx.URL(contacts).port or 80
                gateways = [("gateway", gateway)]
                if args.compare:
                    gateways.append(("compare", args.compare))
                measured = [
                    await measure("direct", contacts, path, direct, args.seconds, [service_port])
                ]
                for target, url in gateways:
                    port = httpx.URL(url).port or 80
                    measured.append(
                        await measure(
                            target, url, path, through, args.seconds, [port, service_port]
                        )
                    )
                for result in measured:
                    print(result.line(), flush=True)
                results.append(measured)
        finally:
            for key in keys:
                await admin.delete(f"/api/v1/api-keys/{key['id']}")
    print(f"\n{os.cpu_count()} CPU cores; load average {os.getloadavg()[0]:.1f} at the end")
    print("concurrency  target   direct req/s  its req/s  ratio  added p50  added p99")
    for direct_result, *through_results in results:
        for result in through_results:
            ratio = result.rate / direct_result.rate if direct_result.rate else 0.0
            print(
                f"{direct_result.concurrency:>11}  {result.target:<7}"
                f"  {direct_result.rate:12,.0f}  {result.rate:9,.0f}  {ratio:5.0%}"
                f"  {result.ms(50) - direct_result.ms(50):6.1f} ms"
                f"  {result.ms(99) - direct_result.ms(99):6.1f} ms"
            )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--concurrency", default="1,8,32", help="levels to measure, in order")
    parser.add_argument("--seconds", type=float, default=15.0)
    parser.add_argument(
        "--compare",
        help="URL of a second gateway on the same stack (e.g. an earlier commit's code on "
        "another port), measured after the first in the same run",
    )
    parser.add_argument("--credentials", type=Path, default=ROOT / ".run" / "admin-credentials")
    parser.add_argument("--loop", default="uvloop", choices=["uvloop", "asyncio"])
    arguments = parser.parse_args()
    run(main(arguments), loop=arguments.loop)
