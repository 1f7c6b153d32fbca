"""NPS over 10 million responses through the gateway: p50/p99 per query shape.

Against the running local stack (`make up`; with `source /work/helpers/stack-env.sh N` its
own ports and databases). Load: a survey created through the gateway, `--contacts` contacts
written into survey-service's copy (one to three tags each) and a saved segment holding
every fifth of them, then `--responses` answers of that survey spread evenly over two years
(2025-01-01 to 2026-12-31), generated inside Postgres by one INSERT … SELECT. The load runs
with the rollup triggers disabled and then recounts the rollups once
(`nps_rollups_rebuild()`, as the migration's backfill does), which is what a bulk import
would do; it is the only part that bypasses the service. Then ANALYZE.

Measurement: for each query shape, `--warmup` requests, then `--requests` requests one
after another (closed loop, one client, keep-alive) through the gateway; p50, p99 and max.

    .venv/bin/python bench/nps.py [--responses 10000000] [--requests 200] [--keep]

`--keep` leaves the loaded survey in the database (the next run with `--reuse` skips the
load); without it the survey's answers and rollups are deleted at the end.
"""

from __future__ import annotations

import argparse
import os
import time
import uuid
from pathlib import Path

import asyncpg
import httpx
from benchlib import TAGS, libpq, run
from e2e_latency import login
from hdrh.histogram import HdrHistogram

ROOT = Path(__file__).resolve().parent.parent
PORT_BASE = int(os.environ.get("TREUE_PORT_BASE", "8000"))
SURVEY_DB = os.environ.get(
    "TREUE_SURVEY_DATABASE_URL", "postgresql+asyncpg://treue:treue@127.0.0.1:5433/survey"
)
BENCH_NAME = "Benchmark: NPS over many responses"

CONTACTS_SQL = """
INSERT INTO contacts (id, first_name, email, language, tags, version)
SELECT ('00000000-0000-4000-8000-' || lpad(to_hex(g), 12, '0'))::uuid,
       'Bench', NULL, CASE WHEN g % 3 = 0 THEN 'en' ELSE 'de' END,
       ARRAY(SELECT ($2::varchar[])[1 + (g * k) % cardinality($2::varchar[])]
             FROM generate_series(1, 1 + g % 3) k),
       1
FROM generate_series(1, $1::int) g
ON CONFLICT (id) DO NOTHING
"""

MEMBERS_SQL = """
INSERT INTO segment_members (segment_id, contact_id, member, changed_at)
SELECT $1::uuid, ('00000000-0000-4000-8000-' || lpad(to_hex(g), 12, '0'))::uuid, true, now()
FROM generate_series(5, $2::int, 5) g
ON CONFLICT DO NOTHING
"""

# Ids count up (cheap index appends); the service's own ids are random uuid4s.
RESPONSES_SQL = """
INSERT INTO responses (id, survey_id, contact_id, score, category, responded_at, channel,
                       revision, created_at, updated_at)
SELECT ('10000000-0000-4000-8000-' || lpad(to_hex(g), 12, '0'))::uuid, $1::uuid,
       ('00000000-0000-4000-8000-' || lpad(to_hex(1 + (g * 7919) % $3::int), 12, '0'))::uuid,
       s.score,
       CASE WHEN s.score <= 6 THEN 'detractor' WHEN s.score <= 8 THEN 'passive'
            ELSE 'promoter' END,
       t.at, 'api', 1, t.at, t.at
FROM generate_series($4::bigint, $5::bigint) g
CROSS JOIN LATERAL (SELECT timestamptz '2025-01-01 00:00:00+00'
                           + ((g - 1)::float8 / $2::bigint) * interval '730 days' AS at) t
CROSS JOIN LATERAL (SELECT ((g * 2654435761) % 1000 / 1000.0 * 11
                            + extract(month FROM t.at) / 12.0)::int % 11 AS score) s
"""


def shapes(survey_id: str, segment_id: str) -> list[tuple[str, str, dict[str, str]]]:
    survey = f"/api/v1/surveys/{survey_id}/nps"
    return [
        # The floor: one survey read by id through the same gateway and service.
        ("baseline: GET /surveys/{id}", f"/api/v1/surveys/{survey_id}", {}),
        ("survey, month, 2 years", survey, {"interval": "month"}),
        ("survey, week, 2 years", survey, {"interval": "week"}),
        ("survey, quarter, 2 years", survey, {"interval": "quarter"}),
        (
            "survey, month, from/to cutting days",
            survey,
            {"from": "2025-03-15T10:00:00+01:00", "to": "2026-09-20T12:00:00Z"},
        ),
        ("survey, month, tag", survey, {"tag": TAGS[0]}),
        ("survey, month, segment", survey, {"segment_id": segment_id}),
        (
            "survey, month, tag + from/to",
            survey,
            {"tag": TAGS[1], "from": "2026-01-01T00:00:00Z", "to": "2026-07-01T00:00:00Z"},
        ),
        ("all surveys, month", "/api/v1/nps", {"interval": "month"}),
        ("all surveys, month, tag", "/api/v1/nps", {"tag": TAGS[0]}),
        (
            "survey, month, tag AND segment (no rollup)",
            survey,
            {"tag": TAGS[0], "segment_id": segment_id},
        ),
    ]


async def find_or_create_survey(client: httpx.AsyncClient) -> str:
    found = await client.get("/api/v1/surveys", params={"limit": "500"})
    for survey in found.json()["items"]:
        if survey["name"] == BENCH_NAME:
            return str(survey["id"])
    created = await client.post("/api/v1/surveys", json={"name": BENCH_NAME})
    assert created.status_code == 201, created.text
    return str(created.json()["id"])


async def load(conn: asyncpg.Connection, survey_id: str, args: argparse.Namespace) -> str:
    segment_id = str(uuid.uuid5(uuid.NAMESPACE_URL, f"bench-nps-segment-{survey_id}"))
    existing = await conn.fetchval(
        "SELECT count(*) FROM responses WHERE survey_id = $1", uuid.UUID(survey_id)
    )
    if args.reuse and existing >= args.responses:
        print(f"reusing {existing:,} responses of survey {survey_id}")
        return segment_id
    started = time.monotonic()
    await conn.execute(CONTACTS_SQL, args.contacts, TAGS)
    await conn.execute(MEMBERS_SQL, uuid.UUID(segment_id), args.contacts)
    print(f"{args.contacts:,} contacts, every fifth in segment {segment_id}")
    # The rollup triggers (the only user triggers of responses); foreign keys stay checked.
    await conn.execute("ALTER TABLE responses DISABLE TRIGGER USER")
    try:
        chunk = 1_000_000
        for first in range(existing + 1, args.responses + 1, chunk):
            last = min(first + chunk - 1, args.responses)
            await conn.execute(
                RESPONSES_SQL,
                uuid.UUID(survey_id),
                args.responses,
                args.contacts,
                first,
                last,
            )
            elapsed = time.monotonic() - started
            print(f"  {last:,} responses ({last / elapsed:,.0f}/s)", flush=True)
    finally:
        await conn.execute("ALTER TABLE responses ENABLE TRIGGER USER")
    loaded = time.monotonic()
    await conn.execute("SELECT nps_rollups_rebuild()")
    rebuilt = time.monotonic()
    await conn.execute("ANALYZE")
    print(
        f"loaded in {loaded - started:.0f} s, rollups recounted in {rebuilt - loaded:.0f} s,"
        f" analyzed in {time.monotonic() - rebuilt:.0f} s"
    )
    return segment_id


async def measure(
    client: httpx.AsyncClient, path: str, params: dict[str, str], warmup: int, requests: int
) -> tuple[HdrHistogram, int]:
    histogram = HdrHistogram(1, 60_000_000, 3)
    n = 0
    for index in range(warmup + requests):
        started = time.perf_counter()
        answer = await client.get(path, params=params)
        elapsed = time.perf_counter() - started
        assert answer.status_code == 200, answer.text
        n = answer.json().get("overall", {}).get("n", 0)
        if index >= warmup:
            histogram.record_value(int(elapsed * 1_000_000))
    return histogram, n


async def main(args: argparse.Namespace) -> None:
    conn = await asyncpg.connect(libpq(SURVEY_DB))
    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{PORT_BASE}", timeout=120) as client:
        client.headers["Authorization"] = f"Bearer {await login(client, args.credentials)}"
        survey_id = await find_or_create_survey(client)
        segment_id = await load(conn, survey_id, args)
        try:
            print(f"\n{'query shape':<44} {'n':>11} {'p50':>9} {'p99':>9} {'max':>9}")
            for name, path, params in shapes(survey_id, segment_id):
                requests = args.requests if "no rollup" not in name else args.slow_requests
                histogram, n = await measure(client, path, params, args.warmup, requests)

                def ms(value: float) -> str:
                    return f"{value / 1000:.1f} ms"

                print(
                    f"{name:<44} {n:>11,} {ms(histogram.get_value_at_percentile(50)):>9}"
                    f" {ms(histogram.get_value_at_percentile(99)):>9}"
                    f" {ms(histogram.get_max_value()):>9}",
                    flush=True,
                )
        finally:
            if not args.keep:
                await delete(conn, survey_id)
            await conn.close()


async def delete(conn: asyncpg.Connection, survey_id: str) -> None:
    """The survey's answers and their counts go (the triggers would count 10M deletions one
    by one, so they are off and the rollups are recounted)."""
    survey = uuid.UUID(survey_id)
    await conn.execute("ALTER TABLE responses DISABLE TRIGGER USER")
    try:
        await conn.execute("DELETE FROM responses WHERE survey_id = $1", survey)
    finally:
        await conn.execute("ALTER TABLE responses ENABLE TRIGGER USER")
    await conn.execute("SELECT nps_rollups_rebuild()")
    print("deleted the benchmark's responses (--keep keeps them)")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--responses", type=int, default=10_000_000)
    parser.add_argument("--contacts", type=int, default=200_000)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--slow-requests", type=int, default=10)
    parser.add_argument("--warmup", type=int, default=5)
    parser.add_argument("--keep", action="store_true")
    parser.add_argument("--reuse", action="store_true", help="skip the load if it is there")
    parser.add_argument("--credentials", type=Path, default=ROOT / ".run" / "admin-credentials")
    parser.add_argument("--loop", default="uvloop", choices=["uvloop", "asyncio"])
    arguments = parser.parse_args()
    run(main(arguments), loop=arguments.loop)
