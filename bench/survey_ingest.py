"""Response ingestion through the gateway at concurrency 32: answers/s, p50 and p99.

Against the running local stack (`make up`). Setup: `--contacts` contacts created through
the gateway (tag `bench-ingest`), a new survey with a quiet period of 0 days, and one link
invitation per contact (their tokens). Then two closed-loop phases of `--seconds` each with
`--concurrency` clients, after a warm-up of `--warmup` seconds:

- `rest`: POST /api/v1/surveys/{id}/responses as another system posts them (a random
  contact, a unique external id, a comment);
- `public`: POST /api/v1/public/invitations/{token}/response, each token answered once (no
  login, as a customer's browser); the phase ends early when the tokens run out.

Scores are drawn 50 % promoters, 30 % passives, 20 % detractors, so a fifth of the answers
also opens a feedback case and emits nps.detractor. The gateway limits a user to
TREUE_GATEWAY_RATE_LIMIT_USER_PER_MINUTE requests (1,200 by default): run the stack with a
higher limit, or the `rest` phase measures the limiter (429s are counted and printed).

    .venv/bin/python bench/survey_ingest.py [--seconds 20] [--concurrency 32] [--contacts 3000]
                                            [--reuse]   (the contacts of an earlier run)
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import time
import uuid
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import asyncpg
import httpx
from benchlib import libpq, run
from e2e_latency import login
from hdrh.histogram import HdrHistogram

ROOT = Path(__file__).resolve().parent.parent
PORT_BASE = int(os.environ.get("TREUE_PORT_BASE", "8000"))
SURVEY_DB = os.environ.get(
    "TREUE_SURVEY_DATABASE_URL", "postgresql+asyncpg://treue:treue@127.0.0.1:5433/survey"
)
SCORES = [10] * 25 + [9] * 25 + [8] * 15 + [7] * 15 + [3] * 10 + [6] * 10


def cpu_seconds() -> dict[str, float]:
    """CPU used so far by the stack's gateway and survey-service processes and by the
    Postgres backends of survey-service's database: per answer, it barely moves with the
    machine's load, unlike answers/s."""
    ticks = os.sysconf("SC_CLK_TCK")
    database = SURVEY_DB.rsplit("/", 1)[1].encode()
    pids = {
        name: (ROOT / ".run" / f"{file}.pid").read_text().split()[0]
        for name, file in (("gateway", "gateway"), ("survey", "surveys"))
    }
    used = dict.fromkeys([*pids, "postgres"], 0.0)
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            command = (entry / "cmdline").read_bytes()
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        seconds = (int(fields[11]) + int(fields[12])) / ticks
        if command.startswith(b"postgres") and b" " + database + b" " in command:
            used["postgres"] += seconds
        for name, pid in pids.items():
            if entry.name == pid:
                used[name] += seconds
    return used


@dataclass
class Result:
    name: str
    seconds: float = 0.0
    done: int = 0
    answered: int = 0
    cpu: dict[str, float] = field(default_factory=dict)
    failures: Counter[str] = field(default_factory=Counter)
    latency_us: HdrHistogram = field(default_factory=lambda: HdrHistogram(1, 60_000_000, 3))

    def line(self) -> str:
        def ms(percentile: float) -> str:
            return f"{self.latency_us.get_value_at_percentile(percentile) / 1000:.0f} ms"

        failed = f", failed {dict(self.failures)}" if self.failures else ""
        cpu = " + ".join(
            f"{name} {seconds / self.answered * 1000:.1f}" for name, seconds in self.cpu.items()
        )
        total = sum(self.cpu.values()) / self.answered * 1000
        return (
            f"{self.name:<7} {self.done / self.seconds:>6.0f} answers/s  p50 {ms(50):>7}"
            f"  p99 {ms(99):>7}  ({self.done} in {self.seconds:.1f} s{failed})\n"
            f"        CPU per answer: {cpu} = {total:.1f} ms"
            f" (at most {2000 / total:.0f}/s on 2 idle cores)"
        )


async def create_contacts(client: httpx.AsyncClient, count: int, concurrency: int) -> list[str]:
    run_id = uuid.uuid4().hex[:8]
    ids: list[str] = []
    queue = iter(range(count))

    async def worker() -> None:
        for index in queue:
            body = {
                "first_name": "Bench",
                "last_name": f"Ingest {index}",
                "email": f"ingest-{run_id}-{index}@bench.example.com",
                "language": "de" if index % 3 else "en",
                "tags": ["bench-ingest"],
                "lifecycle_stage": "customer",
            }
            answer = await client.post("/api/v1/contacts", json=body)
            assert answer.status_code == 201, answer.text
            ids.append(answer.json()["id"])

    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return ids


async def earlier_contacts(count: int) -> list[str]:
    """Contacts an earlier run created (survey-service's copy has them already)."""
    conn = await asyncpg.connect(libpq(SURVEY_DB))
    try:
        rows = await conn.fetch(
            "SELECT id FROM contacts WHERE tags @> ARRAY['bench-ingest']::varchar[] LIMIT $1",
            count,
        )
    finally:
        await conn.close()
    return [str(row["id"]) for row in rows]


async def wait_for_copies(ids: list[str]) -> None:
    """survey-service knows a contact once contacts-service's event arrived."""
    conn = await asyncpg.connect(libpq(SURVEY_DB))
    try:
        wanted = [uuid.UUID(i) for i in ids]
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline:
            found = await conn.fetchval(
                "SELECT count(*) FROM contacts WHERE id = ANY($1::uuid[])", wanted
            )
            if found == len(ids):
                return
            await asyncio.sleep(0.5)
        raise SystemExit(f"survey-service has {found} of {len(ids)} contacts after 300 s")
    finally:
        await conn.close()


async def invite(client: httpx.AsyncClient, survey_id: str, ids: list[str]) -> list[str]:
    tokens: list[str] = []
    for start in range(0, len(ids), 1000):
        answer = await client.post(
            f"/api/v1/surveys/{survey_id}/invitations",
            json={"contact_ids": ids[start : start + 1000], "channel": "link"},
        )
        assert answer.status_code == 201, answer.text
        tokens += [item["token"] for item in answer.json()["items"]]
    return tokens


async def closed_loop(
    name: str,
    send: Callable[[], Any],
    concurrency: int,
    warmup: float,
    seconds: float,
) -> Result:
    result = Result(name)
    before = cpu_seconds()
    start = time.monotonic()
    measured_from, end = start + warmup, start + warmup + seconds
    last_done = measured_from

    async def worker() -> None:
        nonlocal last_done
        while (now := time.monotonic()) < end:
            try:
                answer = await send()
            except StopIteration:
                return
            except httpx.TransportError as error:
                outcome = type(error).__name__
            else:
                outcome = str(answer.status_code)
            finished = time.monotonic()
            result.answered += outcome in ("200", "201")
            if now >= measured_from:
                last_done = max(last_done, finished)
                if outcome in ("200", "201"):
                    result.done += 1
                    result.latency_us.record_value(int((finished - now) * 1_000_000))
                else:
                    result.failures[outcome] += 1

    await asyncio.gather(*(worker() for _ in range(concurrency)))
    after = cpu_seconds()
    result.cpu = {name: after[name] - before[name] for name in after}
    result.seconds = min(seconds, last_done - measured_from) or seconds
    return result


async def main(args: argparse.Namespace) -> None:
    limits = httpx.Limits(
        max_connections=args.concurrency, max_keepalive_connections=args.concurrency
    )
    async with httpx.AsyncClient(
        base_url=f"http://127.0.0.1:{PORT_BASE}", timeout=60, limits=limits
    ) as client:
        client.headers["Authorization"] = f"Bearer {await login(client, args.credentials)}"
        started = time.monotonic()
        ids = await earlier_contacts(args.contacts) if args.reuse else []
        if len(ids) < args.contacts:
            ids = await create_contacts(client, args.contacts, args.concurrency)
            await wait_for_copies(ids)
        survey = await client.post(
            "/api/v1/surveys",
            json={"name": f"Benchmark: ingestion {uuid.uuid4().hex[:6]}", "quiet_period_days": 0},
        )
        assert survey.status_code == 201, survey.text
        survey_id = survey.json()["id"]
        tokens = await invite(client, survey_id, ids)
        print(
            f"{len(ids)} contacts, {len(tokens)} invitations in {time.monotonic() - started:.0f} s;"
            f" concurrency {args.concurrency}, {args.seconds:.0f} s per phase"
        )
        chooser = random.Random(7)

        def post_rest() -> Any:
            return client.post(
                f"/api/v1/surveys/{survey_id}/responses",
                json={
                    "contact_id": chooser.choice(ids),
                    "score": chooser.choice(SCORES),
                    "comment": "Lieferung pünktlich, Support gut erreichbar",
                    "external_id": uuid.uuid4().hex,
                },
            )

        remaining = iter(tokens)

        def post_public() -> Any:
            token = next(remaining)
            return client.post(
                f"/api/v1/public/invitations/{token}/response",
                headers={"Authorization": ""},
                json={"score": chooser.choice(SCORES), "comment": "Schnelle Antwort"},
            )

        results = [
            await closed_loop("rest", post_rest, args.concurrency, args.warmup, args.seconds),
            await closed_loop("public", post_public, args.concurrency, args.warmup, args.seconds),
        ]
    print()
    for result in results:
        print(result.line())


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--warmup", type=float, default=3.0)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--contacts", type=int, default=3000)
    parser.add_argument("--reuse", action="store_true", help="the contacts of an earlier run")
    parser.add_argument("--credentials", type=Path, default=ROOT / ".run" / "admin-credentials")
    parser.add_argument("--loop", default="uvloop", choices=["uvloop", "asyncio"])
    arguments = parser.parse_args()
    run(main(arguments), loop=arguments.loop)
