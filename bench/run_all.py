"""Run every benchmark in turn and sum up their headline figures (`make bench`).

The outbox relay, consumer and webhook benchmarks need only Postgres and Kafka; analytics' CLV
fit (bench/clv_fit.py, when present) needs nothing; the end-to-end latency and gateway replica
benchmarks run only when the gateway answers. Each runs as its own process with a time limit.
Figures, not pass/fail: the exit code is non-zero only when a benchmark crashed.

    .venv/bin/python bench/run_all.py [--quick] [--events N] [--skip-e2e]
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import threading
from datetime import datetime
from pathlib import Path

import httpx

HERE = Path(__file__).resolve().parent
HEADLINES = (
    "OUTBOX RELAY",
    "CONSUMER",
    "E2E LATENCY",
    "E2E WEBHOOK LATENCY",
    "WEBHOOK LATENCY",
    "WEBHOOK THROUGHPUT",
    "GATEWAY REPLICAS",
)
# bench/clv_fit.py (analytics' CLV fit) prints a table; these of its lines are headlines.
CLV_HEADLINES = ("fit + predictions", "peak RSS")


def gateway_ready(url: str) -> bool:
    try:
        return httpx.get(f"{url}/health/ready", timeout=3).status_code == 200
    except httpx.HTTPError:
        return False


def run_one(script: str, arguments: list[str], timeout: float) -> tuple[int, list[str]]:
    """Run a benchmark, echo its output as it comes, return its exit code and headlines."""
    command = [sys.executable, "-u", str(HERE / script), *arguments]
    print(f"\n=== {script} {' '.join(arguments)}", flush=True)
    headlines: list[str] = []
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    with subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env
    ) as process:
        # A watchdog, so a benchmark that hangs without printing cannot hang `make bench`.
        watchdog = threading.Timer(timeout, process.kill)
        watchdog.start()
        try:
            assert process.stdout is not None
            for line in process.stdout:
                print(line, end="", flush=True)
                if line.startswith(HEADLINES):
                    headlines.append(line.rstrip())
            code = process.wait()
        finally:
            watchdog.cancel()
        if code == -signal.SIGKILL:
            print(f"!! {script} took longer than {timeout:.0f} s; stopped")
    return code, headlines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=int, help="events for the relay and consumer runs")
    parser.add_argument(
        "--quick",
        action="store_true",
        help="20,000 events, 200,000 CLV customers, e2e for 10 s (a smoke run)",
    )
    parser.add_argument("--gateway", default="http://127.0.0.1:8000")
    parser.add_argument("--skip-e2e", action="store_true")
    parser.add_argument("--skip-clv", action="store_true", help="skip bench/clv_fit.py")
    args = parser.parse_args()
    events = args.events or (20_000 if args.quick else 100_000)
    plan: list[tuple[str, list[str], float]] = [
        ("outbox_relay.py", ["--events", str(events)], 900),
        ("consumer.py", ["--events", str(events)], 900),
        ("webhooks.py", ["--seconds", "10" if args.quick else "20"], 600),
    ]
    if (HERE / "clv_fit.py").exists() and not args.skip_clv:
        customers = "200000" if args.quick else "1000000"
        plan.append(("clv_fit.py", ["--customers", customers], 900))
    if args.skip_e2e:
        print("end-to-end latency skipped (--skip-e2e)")
    elif gateway_ready(args.gateway):
        seconds = "10" if args.quick else "30"
        plan.append(("e2e_latency.py", ["--gateway", args.gateway, "--seconds", seconds], 300))
        plan.append(("webhook_latency.py", ["--gateway", args.gateway, "--seconds", seconds], 300))
        # Scales the stack to 1 and 2 replicas of everything and back to what it ran.
        plan.append(("gateway_replicas.py", ["--seconds", seconds], 900))
    else:
        print(f"end-to-end latency skipped: the gateway does not answer on {args.gateway}")

    started = datetime.now().astimezone()
    failed: list[str] = []
    summary: list[str] = []
    for script, arguments, timeout in plan:
        code, headlines = run_one(script, arguments, timeout)
        summary += headlines
        if code != 0:
            failed.append(f"{script} (exit {code})")
    print(
        f"\n=== summary ({started:%Y-%m-%d %H:%M}, {os.cpu_count()} cores,"
        f" load average {os.getloadavg()[0]:.1f})"
    )
    for line in summary:
        print(f"  {line}")
    if failed:
        print(f"  failed: {', '.join(failed)}")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
