"""Demo data for a new Treue: a living CRM, created through the public API like any client.

`make up` runs it with --if-empty. Each feature adds its step to STEPS, so a new user sees
it work. Deterministic: the same seed gives the same customers.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import sys
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx
from faker import Faker
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

ROOT = Path(__file__).resolve().parents[2]
INDUSTRIES = ["maschinenbau", "handel", "logistik", "software", "gesundheit", "handwerk"]
CHANNELS = {
    "trade fair": (300, 900),
    "referral": (20, 120),
    "website": (40, 200),
    "outbound": (150, 500),
}
CONCURRENCY = 8


@dataclass
class Seeder:
    client: httpx.AsyncClient
    progress: Progress
    rng: random.Random
    contacts: list[dict[str, Any]] = field(default_factory=list)

    async def post(self, path: str, body: dict[str, Any]) -> dict[str, Any]:
        answer = await self.client.post(path, json=body)
        if answer.status_code >= 400:
            raise SystemExit(f"seeding failed: POST {path} → {answer.status_code} {answer.text}")
        result: dict[str, Any] = answer.json()
        return result

    async def run_all(self, label: str, work: list[Callable[[], Awaitable[None]]]) -> None:
        task = self.progress.add_task(label, total=len(work))
        semaphore = asyncio.Semaphore(CONCURRENCY)

        async def one(item: Callable[[], Awaitable[None]]) -> None:
            async with semaphore:
                await item()
            self.progress.advance(task)

        await asyncio.gather(*(one(item) for item in work))


def contact_body(fake: Faker, rng: random.Random, language: str, index: int) -> dict[str, Any]:
    first, last = fake.first_name(), fake.last_name()
    company = fake.company() if rng.random() < 0.85 else None
    domain = fake.free_email_domain() if company is None else fake.domain_name()
    channel = rng.choice(list(CHANNELS))
    low, high = CHANNELS[channel]
    stage = rng.choices(["customer", "lead", "churned"], weights=[75, 17, 8])[0]
    ascii_name = f"{first}.{last}".lower().encode("ascii", "ignore").decode().replace(" ", "")
    return {
        "first_name": first,
        "last_name": last,
        "email": f"{ascii_name}.{index}@{domain}",
        "phone": fake.phone_number(),
        "company": company,
        "language": language,
        "tags": rng.sample(INDUSTRIES, k=rng.randint(1, 2)),
        "lifecycle_stage": stage,
        "marketing_consent": rng.random() < 0.6,
        "acquisition_channel": channel,
        "acquisition_cost": str(Decimal(rng.randint(low, high)).quantize(Decimal("0.01"))),
        "external_id": f"SHOP-{100000 + index}",
    }


async def seed_contacts(seeder: Seeder, count: int) -> None:
    german, english = Faker("de_DE"), Faker("en_GB")
    german.seed_instance(7)
    english.seed_instance(11)
    bodies = [
        contact_body(german, seeder.rng, "de", i)
        if seeder.rng.random() < 0.7
        else contact_body(english, seeder.rng, "en", i)
        for i in range(count)
    ]

    def create(body: dict[str, Any]) -> Callable[[], Awaitable[None]]:
        async def work() -> None:
            seeder.contacts.append(await seeder.post("/api/v1/contacts", body))

        return work

    await seeder.run_all("contacts", [create(body) for body in bodies])


STEPS: list[Callable[[Seeder, int], Awaitable[None]]] = [seed_contacts]


def admin_login() -> tuple[str, str]:
    email, password = os.environ.get("TREUE_ADMIN_EMAIL"), os.environ.get("TREUE_ADMIN_PASSWORD")
    if email and password:
        return email, password
    lines = (ROOT / ".run" / "admin-credentials").read_text().splitlines()
    return lines[0].strip(), lines[1].strip()


async def main(base_url: str, count: int, if_empty: bool) -> int:
    async with httpx.AsyncClient(base_url=base_url, timeout=30) as client:
        email, password = admin_login()
        login = await client.post("/api/v1/auth/login", json={"email": email, "password": password})
        if login.status_code != 200:
            print(f"cannot log in as {email}: {login.status_code} {login.text}", file=sys.stderr)
            return 1
        client.headers["Authorization"] = f"Bearer {login.json()['access_token']}"
        existing = (await client.get("/api/v1/contacts", params={"limit": 1})).json()["items"]
        if if_empty and existing:
            print("demo data: the database has contacts already, nothing to seed")
            return 0
        columns = (
            TextColumn("  {task.description:<12}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
        )
        with Progress(*columns) as progress:
            seeder = Seeder(client, progress, random.Random(42))
            for step in STEPS:
                await step(seeder, count)
        print(f"demo data: {len(seeder.contacts)} contacts")
    return 0


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--base-url", default=os.environ.get("TREUE_GATEWAY_URL", "http://127.0.0.1:8000")
    )
    parser.add_argument("--contacts", type=int, default=250)
    parser.add_argument("--if-empty", action="store_true", help="skip when contacts exist")
    arguments = parser.parse_args()
    sys.exit(asyncio.run(main(arguments.base_url, arguments.contacts, arguments.if_empty)))
