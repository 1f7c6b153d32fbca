"""What each index of `contacts` costs a bulk insert: per row, in Postgres alone.

Reads the contacts of a database that `import.py --keep` left (or any contacts database),
then, for each index of `contacts`, inserts `--rows` of them with one INSERT … SELECT into
an empty copy of the table that has only that index (and no index at all, for the base),
`--repeat` times alternating, and prints the median added time per row. Then all indexes
together, with and without a larger `gin_pending_list_limit` on the GIN indexes.

    .venv/bin/python bench/import_indexes.py --database treue_bench_import [--rows 50000]
"""

from __future__ import annotations

import argparse
import os
import statistics
import time

import asyncpg
from benchlib import DEFAULT_SERVER_URL, libpq, run, with_database

COPY = "import_cost"
SOURCE = "import_cost_source"


async def index_definitions(connection: asyncpg.Connection) -> dict[str, str]:
    rows = await connection.fetch(
        "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'contacts' ORDER BY 1"
    )
    return {
        row["indexname"]: row["indexdef"]
        .replace(f" {row['indexname']} ON", f" {row['indexname']}_c ON")
        .replace("public.contacts ", f"public.{COPY} ")
        for row in rows
    }


async def insert_seconds(
    connection: asyncpg.Connection, definitions: list[str], rows: int, gin_limit_kb: int | None
) -> float:
    await connection.execute(f"DROP TABLE IF EXISTS {COPY}")
    await connection.execute(f"CREATE TABLE {COPY} (LIKE contacts INCLUDING DEFAULTS)")
    for definition in definitions:
        if gin_limit_kb is not None and "USING gin" in definition:
            definition += f" WITH (gin_pending_list_limit = {gin_limit_kb})"
        await connection.execute(definition)
    started = time.perf_counter()
    # The names are this script's constants.
    await connection.execute(f"INSERT INTO {COPY} SELECT * FROM {SOURCE} LIMIT {rows}")  # noqa: S608
    seconds = time.perf_counter() - started
    await connection.execute(f"DROP TABLE {COPY}")
    return seconds


async def main(arguments: argparse.Namespace) -> None:
    url = libpq(with_database(arguments.server_url, arguments.database))
    connection = await asyncpg.connect(url)
    try:
        await connection.execute(f"DROP TABLE IF EXISTS {SOURCE}")
        await connection.execute(f"CREATE TABLE {SOURCE} AS SELECT * FROM contacts")  # noqa: S608
        definitions = await index_definitions(connection)
        print("load average " + ", ".join(f"{load:.1f}" for load in os.getloadavg()))
        variants: dict[str, tuple[list[str], int | None]] = {"(no index)": ([], None)}
        variants |= {name: ([definition], None) for name, definition in definitions.items()}
        variants["all indexes"] = (list(definitions.values()), None)
        variants["all, gin_pending_list_limit 64 MB"] = (list(definitions.values()), 65536)
        seconds: dict[str, list[float]] = {name: [] for name in variants}
        for _ in range(arguments.repeat):
            for name, (chosen, gin_limit) in variants.items():
                seconds[name].append(
                    await insert_seconds(connection, chosen, arguments.rows, gin_limit)
                )
        base = statistics.median(seconds["(no index)"])
        print(f"{arguments.rows:,} rows, median of {arguments.repeat}; µs per row")
        print(f"  {'(no index)':<40} {base / arguments.rows * 1e6:7.1f}")
        for name in variants:
            if name == "(no index)":
                continue
            added = statistics.median(seconds[name]) - base
            print(f"  {name:<40} +{added / arguments.rows * 1e6:6.1f}")
        print("load average " + ", ".join(f"{load:.1f}" for load in os.getloadavg()))
    finally:
        await connection.execute(f"DROP TABLE IF EXISTS {SOURCE}")
        await connection.close()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", default="treue_bench_import")
    parser.add_argument("--rows", type=int, default=50_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--server-url", default=DEFAULT_SERVER_URL)
    run(main(parser.parse_args()))
