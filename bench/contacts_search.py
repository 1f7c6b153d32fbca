"""Contacts at 1M: search by name, e-mail and company, filters with cursor pagination, reading
one contact, and duplicate detection, through contacts-service's real routes.

Creates a scratch database migrated with the service's Alembic migrations and fills it with
COPY (the secondary indexes are dropped for the load and built again afterwards, as a
restore would), then runs contacts-service in this process and sends it requests one after
the other (httpx over ASGI: no gateway, no network). Prints p50/p99 per kind of request,
and EXPLAIN of the search to show which index it uses.

    .venv/bin/python bench/contacts_search.py [--contacts 1000000] [--requests 200]
        [--database NAME] [--keep] [--reuse]

`--reuse` takes the database a `--keep` run left (skips the load). The machine is shared:
the script prints the load average before and after.

Through the gateway, as the search goal is stated: load the running stack's contacts
database (`spa_scroll.py --load 1000000` writes these rows there), then

    deploy/local/with-env.sh .venv/bin/python bench/contacts_search.py --reuse \
        --database contacts --gateway http://127.0.0.1:8000
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import random
import statistics
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import asyncpg
import httpx
from alembic import command
from alembic.config import Config
from asgi_lifespan import LifespanManager
from benchlib import (
    COMPANIES,
    DEFAULT_SERVER_URL,
    FIRST_NAMES,
    TAGS,
    drop_database,
    libpq,
    recreate_database,
    run,
    with_database,
)
from e2e_latency import login
from sqlalchemy.dialects import postgresql

from contacts.adapters.orm import start_mappers
from contacts.adapters.repository import ContactFilter, ContactRepository
from contacts.main import create_app
from contacts.settings import ContactsSettings
from treue.testing import identity_headers

ROOT = Path(__file__).resolve().parents[1]
ALEMBIC_INI = ROOT / "contacts-service" / "alembic.ini"
DATABASE = "treue_bench_contacts"
GOAL_SEARCH_P99_MS = 50
# Syllables of made-up last names: about 20,000 different ones, so a name prefix finds a
# few hundred contacts, not a tenth of the base.
SYLLABLES = ["ber", "ko", "man", "rei", "sch", "ul", "ta", "wen", "dor", "gri", "hel", "ki"]
SYLLABLES += ["lo", "mer", "nau", "pe", "ros", "st", "vo", "zi", "fa", "gen", "hu", "jo"]
STAGES = ["lead", "customer", "customer", "churned"]
BATCH = 50_000


def last_name(rng: random.Random) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(3)).capitalize()


def contact_rows(start: int, count: int, rng: random.Random) -> list[tuple[Any, ...]]:
    base = datetime(2024, 1, 1, tzinfo=UTC)
    rows = []
    for n in range(start, start + count):
        first, last = rng.choice(FIRST_NAMES), last_name(rng)
        created = base + timedelta(seconds=n * 60)
        rows.append(
            (
                uuid.uuid4(),
                first,
                last,
                f"{first}.{last}.{n}@example.de".lower(),
                None,
                f"{last} {rng.choice(COMPANIES)}" if n % 3 else None,
                "de",
                rng.sample(TAGS, 2),
                "{}",
                rng.choice(STAGES),
                None,
                False,
                None,
                None,
                None,
                f"crm-{n}",
                None,
                None,
                None,
                None,
                None,
                1,
                created,
                created,
            )
        )
    return rows


COLUMNS = [
    "id",
    "first_name",
    "last_name",
    "email",
    "phone",
    "company",
    "language",
    "tags",
    "custom_fields",
    "lifecycle_stage",
    "owner_id",
    "marketing_consent",
    "marketing_consent_at",
    "acquisition_channel",
    "acquisition_cost",
    "external_id",
    "churn_reason",
    "churn_note",
    "churned_at",
    "erased_at",
    "merged_into_id",
    "version",
    "created_at",
    "updated_at",
]


def load_average() -> str:
    return "load average " + ", ".join(f"{load:.1f}" for load in os.getloadavg())


async def fill(url: str, count: int) -> None:
    conn = await asyncpg.connect(libpq(url))
    try:
        indexes = await conn.fetch(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'contacts'"
            " AND NOT EXISTS (SELECT 1 FROM pg_constraint"
            " WHERE conindid = (schemaname || '.' || indexname)::regclass)"
        )
        for index in indexes:
            await conn.execute(f'DROP INDEX "{index["indexname"]}"')
        rng = random.Random(11)
        started = time.perf_counter()
        for start in range(0, count, BATCH):
            rows = contact_rows(start, min(BATCH, count - start), rng)
            await conn.copy_records_to_table("contacts", records=rows, columns=COLUMNS)
        loaded = time.perf_counter()
        for index in indexes:
            await conn.execute(index["indexdef"])
        await conn.execute("VACUUM ANALYZE contacts")
        print(
            f"load                 {count:,} contacts: COPY {loaded - started:.0f} s, "
            f"indexes and ANALYZE {time.perf_counter() - loaded:.0f} s"
        )
    finally:
        await conn.close()


async def migrate(url: str) -> None:
    config = Config(str(ALEMBIC_INI))
    config.set_main_option("sqlalchemy.url", url)
    await asyncio.to_thread(command.upgrade, config, "head")


def percentiles(samples: list[float]) -> str:
    ordered = sorted(samples)
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
    return f"p50 {statistics.median(ordered):7.1f} ms   p99 {p99:7.1f} ms   (n={len(ordered)})"


async def timed(call: Callable[[], Awaitable[httpx.Response]]) -> float:
    started = time.perf_counter()
    answer = await call()
    elapsed = (time.perf_counter() - started) * 1000
    assert answer.status_code == 200, answer.text
    return elapsed


async def explain(url: str, filters: ContactFilter) -> str:
    """The plan of the contacts page query, as the repository builds it."""
    # The app maps the domain classes when it starts; through the gateway none started here.
    start_mappers()
    query = ContactRepository.page_query(filters, "-created_at", 51, None)
    dialect = postgresql.dialect()  # type: ignore[no-untyped-call]
    sql = str(query.compile(dialect=dialect, compile_kwargs={"literal_binds": True}))
    conn = await asyncpg.connect(libpq(url))
    try:
        # literal_binds writes the driver's escaped %% of LIKE patterns.
        rows = await conn.fetch(f"EXPLAIN (ANALYZE, BUFFERS OFF) {sql.replace('%%', '%')}")
    finally:
        await conn.close()
    return "\n".join("    " + row[0] for row in rows)


async def measure(url: str, arguments: argparse.Namespace) -> None:
    conn = await asyncpg.connect(libpq(url))
    try:
        sample = await conn.fetch(
            "SELECT id, last_name, email, company FROM contacts TABLESAMPLE SYSTEM (1) LIMIT 2000"
        )
    finally:
        await conn.close()
    rng = random.Random(5)
    requests = arguments.requests

    def headers() -> dict[str, str]:
        # The gateway signs its own identity token for the logged-in caller.
        return {} if arguments.gateway else identity_headers()

    async with _client(url, arguments) as client:

        def get(path: str, **params: Any) -> Callable[[], Awaitable[httpx.Response]]:
            return lambda: client.get(path, params=params, headers=headers())

        async def series(
            make: Callable[[dict[str, Any]], Callable[[], Awaitable[httpx.Response]]],
            count: int = requests,
        ) -> list[float]:
            for _ in range(5):  # warm-up
                await timed(make(rng.choice(sample)))
            return [await timed(make(rng.choice(sample))) for _ in range(count)]

        results: dict[str, list[float]] = {}
        results["search: last-name prefix (4 letters)"] = await series(
            lambda row: get("/api/v1/contacts", q=row["last_name"][:4], limit=50)
        )
        results["search: name, two words"] = await series(
            lambda row: get(
                "/api/v1/contacts", q=f"{row['email'].split('.')[0]} {row['last_name']}"
            )
        )
        results["search: e-mail"] = await series(
            lambda row: get("/api/v1/contacts", q=row["email"])
        )
        results["search: company word"] = await series(
            lambda row: get("/api/v1/contacts", q=(row["company"] or row["last_name"]).split()[0])
        )
        results["filter: tag + stage, 50 a page"] = await series(
            lambda row: get("/api/v1/contacts", tag=rng.choice(TAGS), lifecycle_stage="customer")
        )

        async def five_pages() -> httpx.Response:
            cursor: str | None = None
            for _ in range(5):
                params: dict[str, Any] = {"tag": "b2b", "limit": 50}
                if cursor:
                    params["cursor"] = cursor
                answer = await client.get("/api/v1/contacts", params=params, headers=headers())
                cursor = answer.json()["next_cursor"]
            return answer

        results["cursor: 5 pages of a tag (per page)"] = [
            t / 5 for t in await series(lambda row: five_pages, count=requests // 5)
        ]
        results["read one contact"] = await series(lambda row: get(f"/api/v1/contacts/{row['id']}"))
        results["duplicates of one contact"] = await series(
            lambda row: get(f"/api/v1/contacts/{row['id']}/duplicates"),
            count=max(10, requests // 10),
        )
        for name, samples in results.items():
            print(f"{name:40} {percentiles(samples)}", flush=True)
        started = time.perf_counter()
        pairs = await client.get(
            "/api/v1/contacts/duplicates",
            params={"limit": 20},
            headers=headers(),
            timeout=None,
        )
        all_pairs = (time.perf_counter() - started) * 1000
    print(
        f"{'likely duplicates, whole base (limit 20)':40} {all_pairs:7.0f} ms "
        f"(status {pairs.status_code}; 500 = cut by the statement timeout)"
    )
    example = sample[0]
    print("EXPLAIN ANALYZE of a last-name prefix search:")
    print(await explain(url, ContactFilter(q=example["last_name"][:4])))


@contextlib.asynccontextmanager
async def _client(url: str, arguments: argparse.Namespace) -> AsyncIterator[httpx.AsyncClient]:
    """In-process contacts-service (ASGI, no network), or the running stack's gateway as a
    business system calls it: logged in, over HTTP, through authentication and rate limits."""
    if arguments.gateway:
        async with httpx.AsyncClient(base_url=arguments.gateway, timeout=300) as client:
            client.headers["Authorization"] = f"Bearer {await login(client, arguments.credentials)}"
            yield client
        return
    settings = ContactsSettings(database_url=url, run_background=False)
    app = create_app(settings)
    async with LifespanManager(app):
        # A query cancelled by the statement timeout answers 500 instead of ending the run.
        transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
        async with httpx.AsyncClient(transport=transport, base_url="http://contacts") as client:
            yield client


async def main(arguments: argparse.Namespace) -> None:
    database = arguments.database
    url = with_database(arguments.server_url, database)
    if not arguments.reuse:
        await recreate_database(arguments.server_url, database)
        await migrate(url)
        await fill(url, arguments.contacts)
    if not arguments.gateway:
        conn = await asyncpg.connect(libpq(url))
        try:
            # The whole-base duplicate query can run for many minutes at 1M.
            seconds = arguments.statement_timeout
            await conn.execute(f"ALTER DATABASE {database} SET statement_timeout = '{seconds}s'")
        finally:
            await conn.close()
    try:
        print(f"before               {load_average()}")
        await measure(url, arguments)
        print(f"after                {load_average()}")
    finally:
        if arguments.keep or arguments.reuse:
            print(f"kept database {database}")
        else:
            with contextlib.suppress(Exception):
                await drop_database(arguments.server_url, database)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--contacts", type=int, default=1_000_000)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--server-url", default=DEFAULT_SERVER_URL)
    parser.add_argument("--database", default=DATABASE, help="scratch database (recreated)")
    parser.add_argument("--statement-timeout", type=int, default=120, help="seconds")
    parser.add_argument("--keep", action="store_true")
    parser.add_argument("--reuse", action="store_true")
    parser.add_argument(
        "--gateway",
        help="send the requests to this running gateway (e.g. http://127.0.0.1:8000) instead "
        "of an in-process contacts-service; its contacts database is --database (with --reuse)",
    )
    parser.add_argument("--credentials", type=Path, default=ROOT / ".run" / "admin-credentials")
    parser.add_argument("--loop", default="uvloop", choices=["uvloop", "asyncio"])
    arguments = parser.parse_args()
    run(main(arguments), loop=arguments.loop)
