"""The contacts list over 1,000,000 contacts in a real browser: frame times while scrolling
(requestAnimationFrame deltas: p50/p99, dropped frames), the list pages' fetch latencies
and how many rows the DOM holds, through a running stack's gateway.

    # fill the running stack's contacts database (TREUE_CONTACTS_DATABASE_URL) first:
    .venv/bin/python bench/spa_scroll.py --load 1000000
    .venv/bin/python bench/spa_scroll.py [--seconds 30] [--px-per-frame 60]
    .venv/bin/python bench/spa_scroll.py --drop       # removes the loaded contacts again

The load writes rows straight into the table (COPY, as bench/contacts_search.py does; no
events: analytics never hears of them) with external ids `crm-<n>`, which `--drop` deletes.
Headless chromium without a GPU on a shared machine: the frame times are an upper bound
of what a desktop browser does. The script prints the load average before and after.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import subprocess
from pathlib import Path
from typing import Any

import asyncpg
from benchlib import libpq
from contacts_search import fill, load_average

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
FRAME_MS = 1000 / 60
# The load's rows carry contacts_search's external ids; --drop deletes them by it.
DROP_LOADED = "DELETE FROM contacts WHERE external_id LIKE 'crm-%'"


def contacts_url() -> str:
    url = os.environ.get("TREUE_CONTACTS_DATABASE_URL")
    if not url:
        raise SystemExit(
            "TREUE_CONTACTS_DATABASE_URL is not set (run it with deploy/local/with-env.sh)"
        )
    return url


async def drop() -> None:
    conn = await asyncpg.connect(libpq(contacts_url()))
    try:
        deleted = await conn.execute(DROP_LOADED)
        await conn.execute("VACUUM ANALYZE contacts")
        print(f"dropped              {deleted.split()[-1]} loaded contacts")
    finally:
        await conn.close()


def percentile(samples: list[float], share: float) -> float:
    ordered = sorted(samples)
    return ordered[min(int(len(ordered) * share), len(ordered) - 1)] if ordered else 0.0


def credentials() -> tuple[str, str]:
    email, password = os.environ.get("TREUE_ADMIN_EMAIL"), os.environ.get("TREUE_ADMIN_PASSWORD")
    if email and password:
        return email, password
    lines = (ROOT / ".run" / "admin-credentials").read_text().splitlines()
    return lines[0].strip(), lines[1].strip()


def scroll(arguments: argparse.Namespace) -> dict[str, Any]:
    email, password = credentials()
    env = {
        **os.environ,
        "BASE_URL": os.environ.get("TREUE_GATEWAY_URL", "http://127.0.0.1:8000"),
        "ADMIN_EMAIL": email,
        "ADMIN_PASSWORD": password,
        "SCROLL_SECONDS": str(arguments.seconds),
        "PX_PER_FRAME": str(arguments.px_per_frame),
    }
    done = subprocess.run(
        ["node", str(HERE / "spa_scroll.mjs")], env=env, capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        raise SystemExit(f"the browser run failed:\n{done.stderr}")
    measured: dict[str, Any] = json.loads(done.stdout)
    return measured


async def count_contacts() -> int:
    conn = await asyncpg.connect(libpq(contacts_url()))
    try:
        return int(await conn.fetchval("SELECT count(*) FROM contacts"))
    finally:
        await conn.close()


def report(measured: dict[str, Any], contacts: int) -> None:
    deltas: list[float] = measured["deltas"]
    fetches: list[float] = measured["fetches"]
    dropped = sum(max(round(delta / FRAME_MS) - 1, 0) for delta in deltas)
    expected = len(deltas) + dropped
    idle: list[float] = measured["idle"]
    print(f"contacts in the list {contacts:,}")
    print(
        f"frames standing still {len(idle)} in 3 s: p50 {statistics.median(idle):.1f} ms, "
        f"p99 {percentile(idle, 0.99):.1f} ms (what the machine gives the browser)"
    )
    print(f"first rows shown     {measured['firstRowsMs']:.0f} ms after the click")
    print(
        f"frames               {len(deltas)} in {sum(deltas) / 1000:.1f} s: "
        f"p50 {statistics.median(deltas):.1f} ms, p99 {percentile(deltas, 0.99):.1f} ms, "
        f"max {max(deltas):.1f} ms"
    )
    print(
        f"dropped frames       {dropped} of {expected} ({dropped / max(expected, 1):.1%}); "
        f"long tasks (>50 ms) {len(measured['longTasks'])}"
    )
    if fetches:
        print(
            f"page fetches         {len(fetches)} (100 rows each): "
            f"p50 {statistics.median(fetches):.0f} ms, p99 {percentile(fetches, 0.99):.0f} ms"
        )
    heap = measured.get("heapMb")
    print(
        f"rows                 {measured['rowsLoaded']:,} loaded, {measured['rowsInDom']} in the "
        f"DOM, scrolled {measured['scrolledPx'] / 48:,.0f} rows"
        + (f", JS heap {heap:.0f} MB" if heap else "")
    )


async def main(arguments: argparse.Namespace) -> None:
    if arguments.load:
        await fill(contacts_url(), arguments.load)
        return
    if arguments.drop:
        await drop()
        return
    print(f"before               {load_average()}")
    contacts = await count_contacts()
    measured = await asyncio.to_thread(scroll, arguments)
    report(measured, contacts)
    print(f"after                {load_average()}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--load", type=int, metavar="N", help="load N contacts and stop")
    parser.add_argument("--drop", action="store_true", help="delete the loaded contacts")
    parser.add_argument("--seconds", type=float, default=30.0, help="how long to scroll")
    parser.add_argument("--px-per-frame", type=int, default=60, help="scroll speed")
    asyncio.run(main(parser.parse_args()))
