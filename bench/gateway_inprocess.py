"""The gateway's own CPU per proxied request, measured in-process.

The gateway app (`create_app`, lifespan, sign-in cache, rate limits, identity tokens, its
real upstream client) is called as ASGI by this script, without uvicorn and without an
HTTP client in front, so the process's CPU time is the gateway's work plus the event loop.
The upstream is `webhook_receiver.py` (raw: httptools on uvloop, its own process), which
answers every GET with an empty 200, so what the upstream costs is not counted here.
Each request is GET /api/v1/contacts/{id} with an API key (one per concurrent caller), as
`gateway_proxy.py` sends it. The rate limit is counted as always (in blocks); the sign-in
cache keeps keys for an hour, so the figure is the steady hot path.

Run it from two source trees in turn (`PYTHONPATH=<old>/gateway/src:<old>/services/src`)
to compare commits on the same machine within minutes; CPU per request moves far less
with the machine's load than wall-clock rates do.

    deploy/local/with-env.sh .venv/bin/python bench/gateway_inprocess.py \
        [--requests 4000] [--concurrency 32] [--rounds 3] [--profile]
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import pstats
import time
import uuid
from pathlib import Path
from typing import Any

import httpx
from asgi_lifespan import LifespanManager
from benchlib import asgi_call, asgi_scope, run
from webhooks import receiver_process

from gateway.main import create_app
from gateway.settings import GatewaySettings
from treue.testing import create_migrated_database, free_port

ROOT = Path(__file__).resolve().parent.parent
ALEMBIC_INI = ROOT / "gateway" / "alembic.ini"
ADMIN = {"email": "bench@treue.local", "password": "a-long-bench-password"}


def scope_for(path: str, key: str) -> dict[str, Any]:
    headers = [
        (b"host", b"gateway"),
        (b"accept", b"application/json"),
        (b"authorization", f"Bearer {key}".encode()),
    ]
    return asgi_scope("GET", path, headers, 8000)


async def measure(
    app: Any, scopes: list[dict[str, Any]], requests: int
) -> tuple[float, float, dict[int, int]]:
    """Wall seconds, CPU seconds and the statuses of `requests` requests, `len(scopes)` at
    a time (each caller its own key)."""
    statuses: dict[int, int] = {}
    remaining = requests

    async def caller(scope: dict[str, Any]) -> None:
        nonlocal remaining
        while remaining > 0:
            remaining -= 1
            status = await asgi_call(app, scope)
            statuses[status] = statuses.get(status, 0) + 1

    wall, cpu = time.perf_counter(), time.process_time()
    await asyncio.gather(*(caller(scope) for scope in scopes))
    return time.perf_counter() - wall, time.process_time() - cpu, statuses


def package_of(filename: str) -> str:
    """The top-level package a profiled function belongs to ("python" for the standard
    library and built-ins)."""
    for marker in ("site-packages/", "/src/"):
        if marker in filename:
            return filename.split(marker, 1)[1].split("/", 1)[0].removesuffix(".py")
    return "python"


def print_by_package(stats: pstats.Stats) -> None:
    """Own time (tottime) summed per package, largest first."""
    totals: dict[str, float] = {}
    entries: dict[Any, Any] = stats.stats  # type: ignore[attr-defined]
    for (filename, _, _), (_, _, tottime, _, _) in entries.items():
        package = package_of(filename)
        totals[package] = totals.get(package, 0.0) + tottime
    whole = sum(totals.values())
    print("own time by package:")
    for package, seconds in sorted(totals.items(), key=lambda item: -item[1]):
        if seconds / whole >= 0.005:
            print(f"  {package:<36} {seconds:7.2f} s  {seconds / whole:5.1%}")


async def main(args: argparse.Namespace) -> None:
    database_url = create_migrated_database("gateway_bench_inprocess", ALEMBIC_INI)
    with receiver_process(free_port()) as receiver:
        settings = GatewaySettings(
            database_url=database_url,
            run_background=False,
            admin_email=ADMIN["email"],
            admin_password=ADMIN["password"],
            contacts_url=receiver.base,
            rate_limit_api_key_per_minute=10_000_000,
            # Who a key belongs to is looked up once, however slowly a loaded machine runs
            # the rounds: with the default 5 s, a slow run would pay more lookups per request.
            sign_in_cache_seconds=3600,
            log_level="WARNING",
        )
        async with LifespanManager(create_app(settings)) as manager:
            app = manager.app
            async with httpx.AsyncClient(
                transport=httpx.ASGITransport(app=app), base_url="http://gateway"
            ) as setup:
                login = await setup.post("/api/v1/auth/login", json=ADMIN)
                setup.headers["Authorization"] = f"Bearer {login.json()['access_token']}"
                keys = []
                for number in range(args.concurrency):
                    body = {"name": f"bench in-process {number}", "scopes": ["contacts:read"]}
                    created = await setup.post("/api/v1/api-keys", json=body)
                    created.raise_for_status()
                    keys.append(created.json()["key"])
            path = f"/api/v1/contacts/{uuid.uuid4()}"
            scopes = [scope_for(path, key) for key in keys]
            await measure(app, scopes, max(200, args.concurrency * 10))  # warm-up
            for round_number in range(1, args.rounds + 1):
                # CPU time, not wall time: on a loaded machine a frame preempted by other
                # processes would be charged with their time.
                profile = cProfile.Profile(time.process_time) if args.profile else None
                if profile:
                    profile.enable()
                wall, cpu, statuses = await measure(app, scopes, args.requests)
                if profile:
                    profile.disable()
                    stats = pstats.Stats(profile).sort_stats(args.profile_sort)
                    stats.print_stats(args.profile_lines)
                    print_by_package(stats)
                print(
                    f"round {round_number}: {args.requests} requests, c={args.concurrency}:"
                    f" {args.requests / wall:,.0f} req/s,"
                    f" CPU {cpu / args.requests * 1e6:,.0f} µs/request, statuses {statuses}",
                    flush=True,
                )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=4000)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--profile", action="store_true", help="cProfile each round")
    parser.add_argument("--profile-lines", type=int, default=40)
    parser.add_argument(
        "--profile-sort", default="tottime", help="pstats order: tottime, cumulative"
    )
    parser.add_argument("--loop", default="uvloop", choices=["uvloop", "asyncio"])
    arguments = parser.parse_args()
    run(main(arguments), loop=arguments.loop)
