"""Webhook latency as the issue measures it: from the API's 201 of a detractor response
(POST /api/v1/surveys/{id}/responses through the gateway) until the subscriber has the
signed `nps.detractor` POST.

Against the running stack (`make up`, which allows webhook URLs on 127.0.0.1): logs in as
the admin, creates a survey, subscribes the local receiver (bench/webhook_receiver.py, its
own process) to nps.detractor, then records detractor answers of the stack's contacts at a
steady rate (open loop) and notes the wall-clock time of each 201. The receiver notes when
each response's webhook arrived (the first POST of it).

    latency = arrival at the receiver - time of the 201      (same machine, same clock)

The path: survey-service's outbox relay -> Kafka -> the gateway's dispatcher (a message and
its deliveries) -> NOTIFY -> a delivery worker's claim -> the signed POST.

    .venv/bin/python bench/webhook_latency.py [--rate 20] [--seconds 20]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import time
import uuid
from collections import Counter
from pathlib import Path

import httpx
from benchlib import run
from e2e_latency import Latencies, login
from webhooks import receiver_process

from treue.testing import free_port

GOAL_P95_SECONDS = 1.0
ROOT = Path(__file__).resolve().parent.parent


async def arrivals(client: httpx.AsyncClient, base: str) -> dict[str, float]:
    found: dict[str, float] = (await client.get(f"{base}/stats")).json()["arrivals"]
    return found


async def setup(api: httpx.AsyncClient, receiver_url: str) -> tuple[str, str, list[str]]:
    """A survey, the receiver's subscription to nps.detractor, and contacts to answer for."""
    survey = await api.post("/api/v1/surveys", json={"name": f"Bench {uuid.uuid4().hex[:6]}"})
    survey.raise_for_status()
    webhook = await api.post(
        "/api/v1/webhooks", json={"url": receiver_url, "event_types": ["nps.detractor"]}
    )
    if webhook.status_code != 201:
        raise SystemExit(f"subscribing failed: {webhook.status_code} {webhook.text[:300]}")
    contacts = await api.get("/api/v1/contacts", params={"limit": 100})
    contacts.raise_for_status()
    ids = [str(contact["id"]) for contact in contacts.json()["items"]]
    if not ids:
        raise SystemExit("the stack has no contacts: run `make up` (it seeds demo data)")
    return str(survey.json()["id"]), str(webhook.json()["id"]), ids


async def answer(
    api: httpx.AsyncClient,
    survey_id: str,
    contact_id: str,
    ok: dict[str, float],
    failures: Counter[str],
) -> None:
    body = {"contact_id": contact_id, "score": 2, "external_id": f"bench-{uuid.uuid4().hex}"}
    try:
        response = await api.post(f"/api/v1/surveys/{survey_id}/responses", json=body)
    except httpx.HTTPError as error:
        failures[type(error).__name__] += 1
        return
    if response.status_code != 201:
        failures[f"HTTP {response.status_code}"] += 1
        return
    ok[str(response.json()["id"])] = time.time()


async def main(args: argparse.Namespace) -> int:
    port = free_port()
    limits = httpx.Limits(max_connections=64, max_keepalive_connections=64)
    async with httpx.AsyncClient(base_url=args.gateway, timeout=30, limits=limits) as api:
        api.headers["Authorization"] = f"Bearer {await login(api, Path(args.credentials))}"
        with receiver_process(port) as receiver:
            base = receiver.base
            survey_id, webhook_id, contacts = await setup(api, f"{base}/hooks/detractor")
            try:
                return await measure(api, base, survey_id, contacts, args)
            finally:
                await api.delete(f"/api/v1/webhooks/{webhook_id}")
                await api.patch(f"/api/v1/surveys/{survey_id}", json={"active": False})


async def measure(
    api: httpx.AsyncClient, base: str, survey_id: str, contacts: list[str], args: argparse.Namespace
) -> int:
    ok: dict[str, float] = {}
    failures: Counter[str] = Counter()
    async with httpx.AsyncClient(timeout=10) as probe:
        # Warm-up: connections, the dispatcher's group membership, the workers' wake-up.
        await answer(api, survey_id, contacts[0], ok, failures)
        deadline = time.monotonic() + 60
        while not set(ok) <= set(await arrivals(probe, base)):
            if time.monotonic() > deadline:
                raise SystemExit("the warm-up detractor's webhook never arrived")
            await asyncio.sleep(0.1)
        ok.clear()
        await probe.get(f"{base}/reset")

        total = int(args.rate * args.seconds)
        started = time.monotonic()
        sending = []
        for index in range(total):
            await asyncio.sleep(max(0.0, started + index / args.rate - time.monotonic()))
            contact = contacts[index % len(contacts)]
            sending.append(asyncio.create_task(answer(api, survey_id, contact, ok, failures)))
        await asyncio.gather(*sending)
        deadline = time.monotonic() + args.drain_seconds
        while not set(ok) <= set(arrived := await arrivals(probe, base)):
            if time.monotonic() > deadline:
                break
            await asyncio.sleep(0.2)

    latencies = Latencies()
    for response_id, answered in ok.items():
        if response_id in arrived:
            latencies.add(arrived[response_id] - answered)
    missing = len(set(ok) - set(arrived))
    print(
        f"WEBHOOK LATENCY from the 201 of a detractor response to the subscriber: "
        f"p50 {latencies.ms(50):.0f} ms, p95 {latencies.ms(95):.0f} ms, "
        f"p99 {latencies.ms(99):.0f} ms (goal: p95 < {GOAL_P95_SECONDS * 1000:.0f} ms)\n"
        f"{latencies.line('201 -> webhook received')}\n"
        f"  {args.rate:g} answers/s for {args.seconds:g} s, load average "
        f"{os.getloadavg()[0]:.1f}; answered {len(ok):,}, not arrived {missing:,}, "
        f"failed requests {dict(failures)}"
    )
    return 0 if not missing and latencies.ms(95) < GOAL_P95_SECONDS * 1000 else 1


def parse() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rate", type=float, default=20, help="detractor answers per second")
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument(
        "--gateway", default=os.environ.get("TREUE_GATEWAY_URL", "http://127.0.0.1:8000")
    )
    parser.add_argument("--credentials", default=str(ROOT / ".run" / "admin-credentials"))
    parser.add_argument("--drain-seconds", type=float, default=60)
    parser.add_argument("--loop", choices=["uvloop", "asyncio"], default="uvloop")
    return parser.parse_args()


if __name__ == "__main__":
    arguments = parse()
    raise SystemExit(run(main(arguments), loop=arguments.loop))
