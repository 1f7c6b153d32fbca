"""contacts-service's own CPU per `POST /api/v1/contacts`, measured in-process.

The service's app (`create_app`, lifespan, its pool against a scratch database on the
project's Postgres) is called as ASGI by this script, without uvicorn, the gateway or an
HTTP client, so the process's CPU time is the service's work for a create plus the event
loop; the relay, the consumers and the jobs do not run (`run_background=False`), and
Postgres' own CPU is printed apart. Each request carries a signed internal identity token,
as the gateway sends it, and a new contact with an e-mail, company and tags.

Run it from two source trees in turn (`PYTHONPATH=<old>/contacts-service/src:<old>/services/src`)
to compare commits within minutes: CPU per request moves far less with the machine's load
than wall-clock rates do.

    deploy/local/with-env.sh .venv/bin/python bench/contacts_inprocess.py \
        [--requests 3000] [--concurrency 8] [--rounds 3]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import time
import uuid
from pathlib import Path
from typing import Any

from asgi_lifespan import LifespanManager
from benchlib import CpuSample, asgi_call, asgi_scope, run

from contacts.main import create_app
from contacts.settings import ContactsSettings
from treue.identity import INTERNAL_TOKEN_HEADER, Identity, issue_internal_token
from treue.testing import create_migrated_database

ROOT = Path(__file__).resolve().parent.parent
ALEMBIC_INI = ROOT / "contacts-service" / "alembic.ini"
DATABASE = "contacts_bench_inprocess"


def scope_for(token: str) -> dict[str, Any]:
    headers = [
        (b"host", b"contacts"),
        (b"content-type", b"application/json"),
        (b"accept", b"application/json"),
        (INTERNAL_TOKEN_HEADER.encode(), token.encode()),
    ]
    return asgi_scope("POST", "/api/v1/contacts", headers, 8001)


def body_of(number: int, run_id: str) -> bytes:
    return json.dumps(
        {
            "first_name": "Anna",
            "last_name": f"Schmidt {number}",
            "email": f"anna.schmidt.{run_id}.{number}@example.de",
            "company": "Schmidt Maschinenbau GmbH",
            "lifecycle_stage": "customer",
            "tags": ["bench", "maschinenbau"],
        }
    ).encode()


async def measure(
    app: Any, scope: dict[str, Any], requests: int, concurrency: int
) -> tuple[float, float, dict[int, int]]:
    """Wall seconds, CPU seconds of this process and the statuses of `requests` creates,
    `concurrency` at a time."""
    statuses: dict[int, int] = {}
    run_id = uuid.uuid4().hex[:8]
    numbers = iter(range(requests))

    async def caller() -> None:
        for number in numbers:
            status = await asgi_call(app, scope, body_of(number, run_id))
            statuses[status] = statuses.get(status, 0) + 1

    wall, cpu = time.perf_counter(), time.process_time()
    await asyncio.gather(*(caller() for _ in range(concurrency)))
    return time.perf_counter() - wall, time.process_time() - cpu, statuses


async def main(args: argparse.Namespace) -> None:
    database_url = create_migrated_database(DATABASE, ALEMBIC_INI)
    settings = ContactsSettings(
        database_url=database_url, run_background=False, log_level="WARNING"
    )
    identity = Identity(subject=str(uuid.uuid4()), kind="user", role="admin", name="Bench")
    scope = scope_for(issue_internal_token(identity, settings.internal_token_secret, ttl=3600))
    async with LifespanManager(create_app(settings)) as manager:
        app = manager.app
        await measure(app, scope, 300, args.concurrency)  # warm-up
        for round_number in range(1, args.rounds + 1):
            before = CpuSample.now(DATABASE)
            wall, cpu, statuses = await measure(app, scope, args.requests, args.concurrency)
            postgres = CpuSample.now(DATABASE).postgres - before.postgres
            print(
                f"round {round_number}: {args.requests} creates, c={args.concurrency}:"
                f" {args.requests / wall:,.0f}/s, CPU {cpu / args.requests * 1e6:,.0f} µs"
                f" + Postgres {postgres / args.requests * 1e6:,.0f} µs per create,"
                f" statuses {statuses}",
                flush=True,
            )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=3000)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--loop", default="uvloop", choices=["uvloop", "asyncio"])
    arguments = parser.parse_args()
    run(main(arguments), loop=arguments.loop)
