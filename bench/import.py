"""Bulk import of contacts (or orders) from CSV: rows/s and peak RSS of contacts-service's
import.

Runs contacts-service in this process on a scratch database (migrated with its Alembic
migrations): the CSV is uploaded through the real route (multipart, as the gateway passes it
on) and the real job runner imports it, writing every contact with its contact.created
event into the outbox. The relay is not run here (`outbox_relay.py` measures it).

    .venv/bin/python bench/import.py [--rows 200000] [--batch-size 1000] [--database NAME]
    .venv/bin/python bench/import.py --kind orders [--rows 100000]
    .venv/bin/python bench/import.py --steps   # also where the job's time goes

`--steps` times the contacts job's steps (wall time summed over batches): the
existing-contact lookup, the COPY into staging, the INSERT … SELECT into contacts, the
outbox INSERT … SELECT and the commit; the rest of the batches is Python on the event loop
and the job's bookkeeping. Two batches are written at once where their keys allow, so the
steps are summed over both writers; it prints how many batches were in flight on average.
Checking the rows runs ahead in a worker thread. It also sums the garbage collections'
time. The CPU time per row (this process, the database's Postgres processes; Kafka is not
used) is steadier than wall time on a shared machine.

`--kind orders` first imports `--customers` contacts (not measured) and creates the
products, then measures an orders CSV of `--rows` rows, two lines per order, each order
with its follow-up task (ordered today) and its order.recorded and task.created events.

It prints the load average before and after (the machine is shared: quote ratios of runs
made together).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import dataclasses
import gc
import io
import os
import random
import resource
import tempfile
import time
from pathlib import Path
from typing import IO, Any

import asyncpg
import httpx
from alembic import command
from alembic.config import Config
from asgi_lifespan import LifespanManager
from benchlib import (
    COMPANIES,
    DEFAULT_SERVER_URL,
    FIRST_NAMES,
    LAST_NAMES,
    TAGS,
    CpuSample,
    drop_database,
    libpq,
    recreate_database,
    run,
    verdict,
    with_database,
)

from contacts.adapters import bulk
from contacts.adapters.repository import ContactRepository
from contacts.entrypoints.import_jobs import ImportJobs
from contacts.main import create_app
from contacts.service_layer import import_handlers
from contacts.service_layer.import_handlers import IMPORT_JOB
from contacts.service_layer.unit_of_work import ContactsUnitOfWork
from contacts.settings import ContactsSettings
from treue.jobs import JobHandler, JobRunner
from treue.outbox import OutboxStream
from treue.service import settle_garbage_collector
from treue.testing import identity_headers

ALEMBIC_INI = Path(__file__).resolve().parents[1] / "contacts-service" / "alembic.ini"
DATABASE = "treue_bench_import"
GOAL_ROWS_PER_SECOND = 20_000
GOAL_PEAK_RSS_MB = 500


def rows_per_second(job: dict[str, Any], seconds: float) -> str:
    return f"{job['records'] / seconds:,.0f} rows/s"


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def write_csv(rows: int, target: IO[str], seed: int = 3) -> None:
    rng = random.Random(seed)
    target.write("first_name,last_name,email,company,tags,external_id,acquisition_cost\n")
    for n in range(rows):
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        tags = ";".join(rng.sample(TAGS, 2))
        company = rng.choice(COMPANIES)
        target.write(
            f'{first},{last},{first}.{last}.{n}@example.de,"{company}",{tags},'
            f"crm-{n},{rng.randint(0, 900)}.00\n".lower()
        )


SKUS = [f"SKU-{n:03d}" for n in range(20)]


def write_orders_csv(rows: int, customers: int, target: IO[str], seed: int = 5) -> None:
    """Two rows (lines) per order, orders spread over the customers, ordered today."""
    rng = random.Random(seed)
    today = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    target.write("contact_external_id,external_id,ordered_at,sku,quantity,currency\n")
    for n in range(rows):
        order = n // 2
        customer = (order * 7919) % customers
        target.write(
            f"crm-{customer},ord-{order},{today},{rng.choice(SKUS)},{rng.randint(1, 5)},EUR\n"
        )


def time_steps() -> dict[str, float]:
    """Wraps the job's steps (coroutines) with timers: seconds summed over the run, by
    step; and the garbage collections, by generation."""
    spent: dict[str, float] = {}

    def timed(owner: Any, name: str, step: str) -> None:
        original = getattr(owner, name)

        async def wrapper(*args: Any, **kwargs: Any) -> Any:
            started = time.perf_counter()
            try:
                return await original(*args, **kwargs)
            finally:
                spent[step] = spent.get(step, 0.0) + time.perf_counter() - started

        setattr(owner, name, wrapper)

    timed(ContactRepository, "matching", "existing-contact lookup")
    timed(bulk, "_staged", "COPY into staging")
    timed(bulk, "_insert_staged", "INSERT … SELECT into contacts")
    timed(OutboxStream, "publish_from", "outbox INSERT … SELECT")
    timed(ContactsUnitOfWork, "commit", "commit")
    timed(import_handlers, "_import_batch", "batches, in all")
    timed(import_handlers, "_spool", "the file read from the database")
    collecting: dict[int, float] = {}

    def on_collection(phase: str, info: dict[str, int]) -> None:
        # Every thread's collections: they stop the whole interpreter.
        if phase == "start":
            collecting[info["generation"]] = time.perf_counter()
            return
        step = f"garbage collection, generation {info['generation']}"
        seconds = time.perf_counter() - collecting.pop(info["generation"])
        spent[step] = spent.get(step, 0.0) + seconds

    gc.callbacks.append(on_collection)
    return spent


def print_steps(spent: dict[str, float], job_seconds: float) -> None:
    batches = spent.pop("batches, in all", 0.0)
    spool = spent.pop("the file read from the database", 0.0)
    collections = {step: spent.pop(step) for step in list(spent) if "garbage" in step}
    for step, seconds in spent.items():
        print(f"  {step:<34} {seconds:7.1f} s")
    print(f"  {'rest of the batches (Python)':<34} {batches - sum(spent.values()):7.1f} s")
    print(f"  {'batches, in all':<34} {batches:7.1f} s")
    print(f"  {'the file read from the database':<34} {spool:7.1f} s")
    # Two batches are written at once where their keys allow: the batches' times add up to
    # more than the job's then. One batch at a time, the rest is the writer waiting for the
    # next batch's rows to be read and checked.
    in_flight = batches / max(job_seconds - spool, 1e-9)
    print(f"  {'batches in flight, on average':<34} {in_flight:7.2f}")
    for step, seconds in sorted(collections.items()):
        print(f"  {step:<34} {seconds:7.1f} s (anywhere in the process)")


@dataclasses.dataclass(frozen=True)
class WalSample:
    """The cluster's WAL counters (`pg_stat_wal`): records, full-page images, bytes, and
    its checkpoints (after one, a page's first change writes the whole page). They count
    every database of the cluster, so other sessions' writes are in them too."""

    records: int
    fpi: int
    bytes: int
    checkpoints: int

    @classmethod
    async def now(cls, server_url: str) -> WalSample:
        conn = await asyncpg.connect(libpq(server_url))
        try:
            row = await conn.fetchrow(
                "SELECT wal_records, wal_fpi, wal_bytes,"
                " (SELECT checkpoints_timed + checkpoints_req FROM pg_stat_bgwriter) AS checkpoints"
                " FROM pg_stat_wal"
            )
        finally:
            await conn.close()
        assert row is not None
        return cls(
            *(int(row[name]) for name in ("wal_records", "wal_fpi", "wal_bytes", "checkpoints"))
        )

    def per_row_since(self, earlier: WalSample, rows: int) -> str:
        if rows == 0:
            return "no rows"
        records = (self.records - earlier.records) / rows
        fpi = (self.fpi - earlier.fpi) / rows
        size = (self.bytes - earlier.bytes) / rows
        checkpoints = self.checkpoints - earlier.checkpoints
        return (
            f"{records:.1f} records, {fpi:.2f} full-page images, {size:,.0f} bytes"
            f" ({checkpoints} checkpoints during the job)"
        )


async def migrate(url: str) -> None:
    config = Config(str(ALEMBIC_INI))
    config.set_main_option("sqlalchemy.url", url)
    # Alembic's env.py runs its own event loop, so it runs in a thread.
    await asyncio.to_thread(command.upgrade, config, "head")


def load_average() -> str:
    return "load average " + ", ".join(f"{load:.1f}" for load in os.getloadavg())


async def main(arguments: argparse.Namespace, spool: IO[bytes]) -> None:
    database = arguments.database
    # Which code runs: PYTHONPATH may point to another tree's sources.
    print(f"code                 {Path(import_handlers.__file__).parents[2]}")
    url = with_database(arguments.server_url, database)
    await recreate_database(arguments.server_url, database)
    try:
        await migrate(url)
        print(f"before               {load_average()}")
        await measure(url, arguments, spool)
        print(f"after                {load_average()}")
    finally:
        if arguments.keep:
            print(f"kept database {database}")
        else:
            with contextlib.suppress(Exception):
                await drop_database(arguments.server_url, database)


async def measure(url: str, arguments: argparse.Namespace, spool: IO[bytes]) -> None:
    steps = time_steps() if arguments.steps else None
    settings = ContactsSettings(
        database_url=url,
        run_background=False,
        import_batch_size=arguments.batch_size,
    )
    app = create_app(settings)
    async with LifespanManager(app):
        # As the service does when it runs its background loops, the job runner among them.
        settle_garbage_collector()
        runtime = app.state.runtime
        jobs = ImportJobs(settings, app.state.runtime_settings)
        transport = httpx.ASGITransport(app=app)
        async with (
            jobs.bind(app, runtime),
            httpx.AsyncClient(
                transport=transport, base_url="http://contacts", headers=identity_headers()
            ) as client,
        ):
            handlers: dict[str, JobHandler] = {IMPORT_JOB: jobs.handle}
            runner = JobRunner(runtime.session_factory, runtime.tables, handlers)
            if arguments.kind == "orders":
                await prepare_orders(client, runner, arguments.customers)
            rss_before = peak_rss_mb()
            cpu_before = CpuSample.now(arguments.database)
            wal_before = await WalSample.now(arguments.server_url)
            started = time.perf_counter()
            answer = await upload(client, arguments.kind, spool)
            uploaded = time.perf_counter()
            await runner.run_next()
            done = time.perf_counter()
            cpu_after = CpuSample.now(arguments.database)
            wal_after = await WalSample.now(arguments.server_url)
            # A fresh identity token: the one of the client expires during a long import.
            polled = await client.get(answer.headers["location"], headers=identity_headers())
            assert polled.status_code == 200, polled.text
            job = polled.json()
    print(f"upload (202)         {uploaded - started:.1f} s")
    print(f"job                  {done - uploaded:.1f} s, {rows_per_second(job, done - uploaded)}")
    print(
        f"end to end           {done - started:.1f} s, {rows_per_second(job, done - started)} "
        f"{verdict(job['records'] / (done - started), GOAL_ROWS_PER_SECOND)}"
    )
    print(
        f"job result           {job['status']}: created {job['created']:,}, "
        f"failed {job['failed']:,}"
    )
    print(
        f"peak RSS             {peak_rss_mb():.0f} MB (before the upload: {rss_before:.0f} MB) "
        f"{verdict(peak_rss_mb(), GOAL_PEAK_RSS_MB, higher_is_better=False)}"
    )
    print(f"CPU per row          {cpu_after.per_event_since(cpu_before, job['records'])}")
    print(f"WAL per row          {wal_after.per_row_since(wal_before, job['records'])}")
    if steps is not None:
        print("steps of the job (wall time, summed over batches):")
        print_steps(steps, done - uploaded)


async def upload(client: httpx.AsyncClient, kind: str, spool: IO[bytes]) -> httpx.Response:
    answer = await client.post(
        "/api/v1/imports",
        files={"file": (f"{kind}.csv", spool, "text/csv")},
        data={"kind": kind},
        timeout=600,
    )
    assert answer.status_code == 202, answer.text
    return answer


async def prepare_orders(client: httpx.AsyncClient, runner: JobRunner, customers: int) -> None:
    """The customers (imported) and products the orders name."""
    text = io.StringIO()
    write_csv(customers, text)
    await upload(client, "contacts", io.BytesIO(text.getvalue().encode()))
    await runner.run_next()
    for sku in SKUS:
        body = {"sku": sku, "name": sku, "price": "49.90", "unit_cost": "21.00", "currency": "EUR"}
        created = await client.post("/api/v1/products", json=body)
        assert created.status_code == 201, created.text


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kind", default="contacts", choices=["contacts", "orders"])
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--customers", type=int, default=5_000, help="orders: contacts first")
    parser.add_argument("--batch-size", type=int, default=5000)
    parser.add_argument("--server-url", default=DEFAULT_SERVER_URL)
    parser.add_argument("--database", default=DATABASE, help="scratch database (recreated)")
    parser.add_argument("--keep", action="store_true")
    parser.add_argument("--steps", action="store_true", help="time the job's steps")
    parser.add_argument("--loop", default="uvloop", choices=["uvloop", "asyncio"])
    arguments = parser.parse_args()
    with tempfile.TemporaryFile("w+b") as spool:
        with open(spool.fileno(), "w", encoding="utf-8", closefd=False) as text:
            if arguments.kind == "orders":
                write_orders_csv(arguments.rows, arguments.customers, text)
            else:
                write_csv(arguments.rows, text)
        print(f"file                 {arguments.rows:,} rows, {spool.tell() / 1e6:.1f} MB")
        spool.seek(0)
        run(main(arguments, spool), loop=arguments.loop)
