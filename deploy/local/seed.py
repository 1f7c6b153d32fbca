"""Demo data for a new Treue: a living CRM, created through the public API like any client.

`make up` runs it with --if-empty. Each feature adds its step to STEPS, so a new user sees
it work. Deterministic: the same seed gives the same customers.
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import io
import json
import os
import random
import sys
import unicodedata
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import asyncpg
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
    orders_posted: int = 0
    surveyed: set[str] = field(default_factory=set)

    async def post(self, path: str, body: dict[str, Any]) -> dict[str, Any]:
        for _ in range(10):
            answer = await self.client.post(path, json=body)
            if answer.status_code != 429:
                break
            # A polite client: wait as long as the gateway asks, then try again.
            await asyncio.sleep(float(answer.headers.get("retry-after", "1")))
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


# How German names are written where only ASCII goes (Müller → mueller, Weiß → weiss).
_GERMAN_LETTERS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})


def mail_name(name: str) -> str:
    """The ASCII local part of an e-mail address for a name, as people write it."""
    spelled = unicodedata.normalize("NFKD", name.lower().translate(_GERMAN_LETTERS))
    return spelled.encode("ascii", "ignore").decode().replace(" ", "")


def contact_body(fake: Faker, rng: random.Random, language: str, index: int) -> dict[str, Any]:
    first, last = fake.first_name(), fake.last_name()
    company = fake.company() if rng.random() < 0.85 else None
    domain = fake.free_email_domain() if company is None else fake.domain_name()
    channel = rng.choice(list(CHANNELS))
    low, high = CHANNELS[channel]
    stage = rng.choices(["customer", "lead", "churned"], weights=[75, 17, 8])[0]
    ascii_name = mail_name(f"{first}.{last}")
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


def contact_bodies(rng: random.Random, count: int) -> list[dict[str, Any]]:
    german, english = Faker("de_DE"), Faker("en_GB")
    german.seed_instance(7)
    english.seed_instance(11)
    return [
        contact_body(german, rng, "de", i)
        if rng.random() < 0.7
        else contact_body(english, rng, "en", i)
        for i in range(count)
    ]


async def seed_contacts(seeder: Seeder, count: int) -> None:
    bodies = contact_bodies(seeder.rng, count)

    now = datetime.now(UTC)

    def create(body: dict[str, Any]) -> Callable[[], Awaitable[None]]:
        async def work() -> None:
            if body["lifecycle_stage"] != "churned":
                seeder.contacts.append(await seeder.post("/api/v1/contacts", body))
                return
            # A churn needs its reason: a former customer is created as one and churned,
            # some time after their last order (about eight months ago, see order_bodies).
            contact = await seeder.post("/api/v1/contacts", {**body, "lifecycle_stage": "customer"})
            number = int(body["external_id"].removeprefix("SHOP-"))
            reason = list(CHURN_NOTES)[number % len(CHURN_NOTES)]
            churn = {
                "reason": reason,
                "note": CHURN_NOTES[reason],
                "churned_at": (now - timedelta(days=30 + number % 190)).isoformat(),
            }
            path = f"/api/v1/contacts/{contact['id']}/churn"
            seeder.contacts.append(await seeder.post(path, churn))

        return work

    await seeder.run_all("contacts", [create(body) for body in bodies])


# Sales demo data: a machine-tool supplier's catalogue, two years of orders (a few customers
# buy most, as in any B2B book of business) and the touchpoints around them.
# (sku, name, price, unit cost, category); a few low margins on purpose, for the margin view.
CATALOGUE = [
    ("MA-DMU50", "5-Achs-Fräszentrum DMU 50", 385000, 291000, "machine"),
    ("MA-CTX450", "CNC-Drehmaschine CTX 450", 198000, 152000, "machine"),
    ("MA-VMC850", "Vertikal-Bearbeitungszentrum VMC 850", 142000, 109000, "machine"),
    ("MA-SLS300", "Flachschleifmaschine SLS 300", 86500, 66800, "machine"),
    ("MA-BS260", "Bandsägeautomat BS 260", 24900, 19300, "machine"),
    ("MA-SB35", "Säulenbohrmaschine SB 35", 6900, 5100, "machine"),
    ("ET-SPINDEL-HSK63", "Motorspindel HSK-A63 (Austausch)", 14800, 9900, "part"),
    ("ET-KUGELGEW-40", "Kugelgewindetrieb 40 x 10", 2350, 1420, "part"),
    ("ET-LINEAR-35", "Linearführung Baugröße 35 (Satz)", 1890, 1140, "part"),
    ("ET-WZW-GREIFER", "Greifer Werkzeugwechsler", 780, 410, "part"),
    ("ET-SPANNZ-ER32", "Spannzangensatz ER32 (18-tlg.)", 289, 142, "part"),
    ("ET-KSS-PUMPE", "Kühlschmierstoffpumpe 0,75 kW", 1240, 760, "part"),
    ("ET-FILTER-KSS", "Filterpatrone KSS-Anlage", 68, 29, "part"),
    ("ET-RIEMEN-SP", "Zahnriemen Spindelantrieb", 145, 61, "part"),
    ("ET-ENC-ABS", "Absolutwertgeber Achsmotor", 1650, 1020, "part"),
    ("ET-FALTENBALG", "Faltenbalg X-Achse", 410, 198, "part"),
    ("ET-SCHMIER-ZE", "Zentralschmiereinheit", 920, 540, "part"),
    ("ET-LAMPE-LED", "Maschinenleuchte LED 24 V", 119, 48, "part"),
    ("ET-DICHT-SATZ", "Dichtungssatz Spannzylinder", 96, 31, "part"),
    ("ET-STEUER-PLATINE", "Achsregler-Platine (Austausch)", 3400, 3190, "part"),
    ("WZ-VHM-FRAES", "VHM-Schaftfräser-Set (10 Stk.)", 640, 330, "tool"),
    ("WZ-WSP-CNMG", "Wendeschneidplatten CNMG (10 Stk.)", 98, 41, "tool"),
    ("WZ-SCHRAUBST-125", "Maschinenschraubstock 125 mm", 1150, 690, "tool"),
    ("WZ-NULLPKT", "Nullpunktspannsystem (Modul)", 2780, 1730, "tool"),
    ("WV-BASIS-12", "Wartungsvertrag Basis (12 Monate)", 2400, 1490, "maintenance"),
    (
        "WV-PREMIUM-12",
        "Wartungsvertrag Premium mit 24-h-Service (12 Monate)",
        6900,
        6620,
        "maintenance",
    ),
    ("WV-DMU50-12", "Wartungspaket DMU 50 (12 Monate)", 4800, 3150, "maintenance"),
    ("WV-INSPEKTION", "Jährliche Sicherheitsinspektion (DGUV V3)", 690, 380, "maintenance"),
    ("WV-GEOMETRIE", "Geometrievermessung mit Laserinterferometer", 1450, 820, "maintenance"),
    ("WV-NOTDIENST", "Notdiensteinsatz (Pauschale)", 980, 870, "maintenance"),
    ("SCH-CNC-GRUND", "Schulung CNC-Grundlagen (3 Tage)", 1890, 920, "training"),
    ("SCH-CNC-5ACHS", "Schulung 5-Achs-Bearbeitung (3 Tage)", 2290, 1150, "training"),
    ("SCH-CAM", "Workshop CAM-Programmierung (2 Tage)", 1490, 760, "training"),
    ("SCH-PFLEGE", "Bedienerschulung Wartung und Pflege (1 Tag)", 590, 260, "training"),
    ("SCH-SICHERHEIT", "Arbeitssicherheit an Werkzeugmaschinen (1 Tag)", 450, 210, "training"),
    ("SCH-INHOUSE", "Inhouse-Schulung (Tagessatz)", 1350, 640, "training"),
    ("DL-INBETRIEB", "Inbetriebnahme und Abnahme", 3200, 1900, "service"),
    ("DL-UMZUG", "Maschinenumzug (Pauschale)", 5800, 4700, "service"),
    ("DL-RETROFIT", "Retrofit Steuerung (Pauschale)", 38500, 29900, "service"),
    ("DL-SOFTWARE", "Steuerungs-Software-Update", 790, 180, "service"),
    ("DL-FERNWARTUNG", "Fernwartung (Stundenpaket 10 h)", 1150, 520, "service"),
    ("ET-LAMPE-HALOGEN", "Maschinenleuchte Halogen (ausgelaufen)", 89, 52, "retired"),
]
# How often each category appears on an order line, and the quantities it sells in.
CATEGORY_WEIGHTS = {"part": 45, "tool": 16, "maintenance": 13, "training": 12, "service": 8}
QUANTITIES = {"part": (1, 6), "tool": (1, 5), "maintenance": (1, 1), "training": (1, 4)}
TOUCHPOINTS = [
    # kind, direction, channel, subjects, service cost range in EUR (None: no cost)
    ("call", "outbound", "phone", ["Nachfass Angebot", "Jahresgespräch", "Termin Wartung"], None),
    (
        "ticket",
        "inbound",
        "helpdesk",
        [
            "Spindel läuft unrund",
            "Fehlermeldung Achse X",
            "KSS-Pumpe defekt",
            "Werkzeugwechsler klemmt",
            "Ersatzteil falsch geliefert",
        ],
        (35, 450),
    ),
    (
        "email",
        "inbound",
        "email",
        ["Frage zur Rechnung", "Lieferzeit Ersatzteil", "Schulungstermine 2026"],
        None,
    ),
    ("meeting", "outbound", "vor Ort", ["Maschinenabnahme", "Besuch Außendienst"], None),
]
SENTIMENTS = ["positive", "neutral", "negative"]


def order_lines(rng: random.Random, size: float) -> list[dict[str, Any]]:
    by_category: dict[str, list[tuple[Any, ...]]] = {}
    for product in CATALOGUE:
        by_category.setdefault(product[4], []).append(product)
    lines: list[dict[str, Any]] = []
    # Big customers buy machines now and then; everyone else parts, service and training.
    if rng.random() < 0.015 * min(size, 6):
        lines.append({"sku": rng.choice(by_category["machine"])[0], "quantity": 1})
    for _ in range(rng.randint(1, 3)):
        category = rng.choices(list(CATEGORY_WEIGHTS), weights=list(CATEGORY_WEIGHTS.values()))[0]
        sku, _name, price, _cost, _ = rng.choice(by_category[category])
        low, high = QUANTITIES.get(category, (1, 1))
        line: dict[str, Any] = {"sku": sku, "quantity": rng.randint(low, high)}
        if rng.random() < 0.2:  # a negotiated discount of 3-15 %
            line["unit_price"] = str(
                Decimal(price * rng.uniform(0.85, 0.97)).quantize(Decimal("0.01"))
            )
        if all(existing["sku"] != sku for existing in lines):
            lines.append(line)
    return lines


# Customers buy as the CLV model assumes (BG/NBD): while active, a customer's orders come
# at random at a rate that grows with their size, and after each repeat order they stop
# buying with a chance of their own. So one won three weeks ago has an order or two, a big
# one of two years dozens, and some stopped long ago without a word.
ORDERS_A_YEAR_PER_SIZE = 1.5
MOST_ORDERS_A_YEAR = 40
MOST_ORDERS = 60
# The chance to stop after an order, Beta(1, 9) across customers: one in ten on average.
STOPPING = (1.0, 9.0)


def order_days(rng: random.Random, size: float, first: float, latest: float) -> list[float]:
    """When a customer ordered, in days ago: first `first` days ago, then while active,
    none after `latest` days ago."""
    per_day = min(size * ORDERS_A_YEAR_PER_SIZE, MOST_ORDERS_A_YEAR) / 365
    stopping = rng.betavariate(*STOPPING)
    days = [first]
    while len(days) < MOST_ORDERS:
        following = days[-1] - rng.expovariate(per_day)
        if following < latest:
            break
        days.append(following)
        if rng.random() < stopping:
            break
    return days


def order_bodies(
    rng: random.Random, contacts: list[dict[str, Any]], now: datetime
) -> list[dict[str, Any]]:
    bodies: list[dict[str, Any]] = []
    # Sorted, because contacts were created concurrently and arrive in any order.
    for contact in sorted(contacts, key=lambda c: c["external_id"]):
        if contact["lifecycle_stage"] not in ("customer", "churned") or rng.random() < 0.1:
            continue
        size = rng.paretovariate(1.3)
        # Churned customers stopped buying about eight months ago.
        latest = 240 if contact["lifecycle_stage"] == "churned" else 0
        # Customers were won over the two years (their first order), so every month has a
        # cohort for the retention heat map.
        first = rng.uniform(latest + 14, 730)
        for days_ago in order_days(rng, size, first, latest):
            ordered_at = now - timedelta(days=days_ago, minutes=rng.randint(0, 600))
            bodies.append(
                {
                    "contact_id": contact["id"],
                    "external_id": f"SHOP-ORD-{len(bodies) + 100001}",
                    "ordered_at": ordered_at.isoformat(),
                    "currency": "EUR",
                    "lines": order_lines(rng, size),
                }
            )
    # One order from the US shop, in dollars: analytics reports in EUR and has no USD rate
    # until an admin sets one (Settings), so the money figures say one order is left out.
    # The catalogue is priced in euros, so the shop states each line's price and cost in
    # dollars (at about 1.08 dollars to the euro).
    in_dollars = bodies[len(bodies) // 2]
    in_dollars["currency"] = "USD"
    catalogue = {product[0]: product for product in CATALOGUE}
    for line in in_dollars["lines"]:
        _sku, _name, price, cost, _category = catalogue[line["sku"]]
        line["unit_price"] = str((Decimal(price) * Decimal("1.08")).quantize(Decimal("0.01")))
        line["unit_cost"] = str((Decimal(cost) * Decimal("1.08")).quantize(Decimal("0.01")))
    return bodies


def interaction_bodies(seeder: Seeder, now: datetime) -> list[tuple[str, dict[str, Any]]]:
    bodies: list[tuple[str, dict[str, Any]]] = []
    for contact in sorted(seeder.contacts, key=lambda c: c["external_id"]):
        for _ in range(seeder.rng.randint(1, 6)):
            kind, direction, channel, subjects, costs = seeder.rng.choices(
                TOUCHPOINTS, weights=[35, 30, 28, 7]
            )[0]
            body: dict[str, Any] = {
                "kind": kind,
                "direction": direction,
                "channel": channel,
                "subject": seeder.rng.choice(subjects),
                "occurred_at": (now - timedelta(hours=seeder.rng.uniform(1, 730 * 24))).isoformat(),
                "sentiment": seeder.rng.choices(SENTIMENTS, weights=[40, 45, 15])[0],
            }
            if costs is not None:
                body |= {"cost": f"{seeder.rng.randint(*costs)}.00", "currency": "EUR"}
            bodies.append((contact["id"], body))
    return bodies


async def seed_sales(seeder: Seeder, _count: int) -> None:
    def post(path: str, body: dict[str, Any]) -> Callable[[], Awaitable[None]]:
        async def work() -> None:
            await seeder.post(path, body)

        return work

    products = [
        {
            "sku": sku,
            "name": name,
            "price": str(price),
            "unit_cost": str(cost),
            "currency": "EUR",
            "active": category != "retired",
        }
        for sku, name, price, cost, category in CATALOGUE
    ]
    await seeder.run_all("products", [post("/api/v1/products", body) for body in products])
    now = datetime.now(UTC).replace(microsecond=0)
    bodies = order_bodies(seeder.rng, seeder.contacts, now)
    orders = [post("/api/v1/orders", body) for body in bodies]
    await seeder.run_all("orders", orders)
    seeder.orders_posted = len(orders)
    touchpoints = [
        post(f"/api/v1/contacts/{contact_id}/interactions", body)
        for contact_id, body in interaction_bodies(seeder, now)
    ]
    await seeder.run_all("interactions", touchpoints)


# One shared password for the demo users, printed at the end of seeding; local demos only.
DEMO_PASSWORD = "treue-demo-passwort"  # noqa: S105
DEMO_USERS = [
    ("manager", "Katrin Vogel", "katrin.vogel@treue.local"),
    ("agent", "Tobias Schäfer", "tobias.schaefer@treue.local"),
    ("viewer", "Miriam Koch", "miriam.koch@treue.local"),
]


async def seed_users(seeder: Seeder, _count: int) -> None:
    """A manager, an agent and a viewer, so a new user sees the roles at work."""
    for role, name, email in DEMO_USERS:
        body = {"email": email, "name": name, "role": role, "password": DEMO_PASSWORD}
        answer = await seeder.client.post("/api/v1/users", json=body)
        if answer.status_code not in (201, 409):  # 409: seeded before
            raise SystemExit(f"seeding failed: POST /api/v1/users → {answer.status_code}")
    logins = ", ".join(f"{email} ({role})" for role, _, email in DEMO_USERS)
    seeder.progress.console.print(f"demo users: {logins}; password: {DEMO_PASSWORD}")


async def orders_in_analytics(seeder: Seeder) -> int:
    total, cursor = 0, None
    while True:
        params: dict[str, Any] = {"limit": 500} | ({"cursor": cursor} if cursor else {})
        page = (await seeder.client.get("/api/v1/analytics/customers", params=params)).json()
        total += sum(customer["orders"] or 0 for customer in page["items"])
        cursor = page["next_cursor"]
        if cursor is None:
            return total


async def seed_customer_value(seeder: Seeder, _count: int) -> None:
    """Waits until analytics has every order (events take a moment), then fits CLV and
    counts the co-purchases once."""
    task = seeder.progress.add_task("analytics", total=seeder.orders_posted)
    for _ in range(120):
        arrived = await orders_in_analytics(seeder)
        seeder.progress.update(task, completed=arrived)
        if arrived >= seeder.orders_posted:
            break
        await asyncio.sleep(1)
    else:
        raise SystemExit("seeding failed: analytics did not receive every order within 2 minutes")
    # The fit also gives every customer an ABC class, RFM score and churn risk.
    await run_job(seeder, "/api/v1/analytics/clv/runs", {"time_unit": "week"}, "CLV fit")
    # Offers and prospects read the co-purchase counts: the run the service started on its
    # own came before these orders.
    await run_job(seeder, "/api/v1/analytics/associations/runs", {}, "co-purchase counts")


async def run_job(seeder: Seeder, path: str, body: dict[str, Any], label: str) -> None:
    """Start an analytics job and follow it to its end."""
    job = await seeder.post(path, body)
    task = seeder.progress.add_task(label, total=1.0)
    for _ in range(300):
        job = (await seeder.client.get(f"{path}/{job['id']}")).json()
        seeder.progress.update(task, completed=job["progress"])
        if job["status"] in ("succeeded", "failed"):
            break
        await asyncio.sleep(0.5)
    if job["status"] != "succeeded":
        raise SystemExit(f"seeding failed: the {label} ended {job['status']}: {job.get('error')}")


# NPS demo: one German/English survey; most contacts invited by link. Answers of the past
# 12 months come "from another system" (the public endpoint records "now"), a few through
# the link; satisfaction improves over the year, so the trend and its CIs have a story.
NPS_COMMENTS = {
    "detractor": ["Lieferung kam zu spät", "Service schwer erreichbar", "Too expensive"],
    "passive": ["Solide, aber nichts Besonderes", "Gute Maschinen, lange Lieferzeiten"],
    "promoter": ["Schneller Service, top Beratung", "Great support team", "Sehr zuverlässig"],
}


# A rough patch (a delivery problem) some four to six months ago, two months long so that at
# least one calendar month lies wholly in it: the NPS trend shows a significant drop and the
# recovery after it.
ROUGH_PATCH_DAYS_AGO = (110, 175)


def nps_score(
    rng: random.Random, progress: float, rough_patch: bool = False
) -> tuple[int, str | None]:
    """progress 0 (a year ago) .. 1 (now): promoters rise from 35 % to 55 %; in the rough
    patch most answers are a detractor's."""
    promoter, detractor = 0.35 + 0.2 * progress, 0.3 - 0.18 * progress
    if rough_patch:
        promoter, detractor = 0.05, 0.85
    draw = rng.random()
    category = "promoter" if draw < promoter else "detractor" if draw > 1 - detractor else "passive"
    low, high = {"detractor": (0, 6), "passive": (7, 8), "promoter": (9, 10)}[category]
    comment = rng.choice(NPS_COMMENTS[category]) if rng.random() < 0.5 else None
    return max(rng.randint(low, high), rng.randint(low, high)), comment


async def invite_when_known(
    seeder: Seeder, survey_id: str, ids: list[str], channel: str = "link"
) -> list[dict[str, Any]]:
    """The survey-service learns contacts from events; until then invitations answer 422."""
    path = f"/api/v1/surveys/{survey_id}/invitations"
    for _ in range(60):
        answer = await seeder.client.post(path, json={"contact_ids": ids, "channel": channel})
        if answer.status_code == 201:
            items: list[dict[str, Any]] = answer.json()["items"]
            return items
        if answer.status_code not in (422, 429):
            break
        await asyncio.sleep(1)
    raise SystemExit(f"seeding failed: POST {path} → {answer.status_code} {answer.text}")


async def seed_nps(seeder: Seeder, _count: int) -> None:
    survey = await seeder.post("/api/v1/surveys", {"name": "Kundenzufriedenheit (NPS)"})
    invited = [c for c in seeder.contacts if seeder.rng.random() < 0.85]
    invitations: list[dict[str, Any]] = []
    for start in range(0, len(invited), 500):  # the API takes up to 1,000 contacts a call
        ids = [c["id"] for c in invited[start : start + 500]]
        invitations += await invite_when_known(seeder, survey["id"], ids)
    seeder.surveyed.update(invitation["contact_id"] for invitation in invitations)
    now = datetime.now(UTC).replace(microsecond=0)
    work: list[Callable[[], Awaitable[None]]] = []
    for index, invitation in enumerate(invitations):
        if seeder.rng.random() >= 0.7:
            continue
        if seeder.rng.random() < 0.25:
            score, comment = nps_score(seeder.rng, 1.0)
            path = f"/api/v1/public/invitations/{invitation['token']}/response"
            body: dict[str, Any] = {"score": score, "comment": comment}
        else:
            days_ago = seeder.rng.uniform(1, 365)
            low, high = ROUGH_PATCH_DAYS_AGO
            score, comment = nps_score(seeder.rng, 1 - days_ago / 365, low <= days_ago < high)
            path = f"/api/v1/surveys/{survey['id']}/responses"
            body = {
                "contact_id": invitation["contact_id"],
                "score": score,
                "comment": comment,
                "responded_at": (now - timedelta(days=days_ago)).isoformat(),
                "external_id": f"DEMO-NPS-{index}",
            }
        work.append(posting(seeder, path, body))
    await seeder.run_all("NPS answers", work)


# E-mail demo: a service survey mailed to a dozen contacts the NPS survey left out, so the
# mail sink (http://127.0.0.1:8025) shows German and English invitations; those invitations
# are dated back six days, so the reminder job mails their reminders at its next turn
# (within a minute). A second survey asks before contract renewals: the renewal step below
# triggers it, and its invitations are mailed at the scheduler's next turn.
async def seed_email_surveys(seeder: Seeder, _count: int) -> None:
    survey = await seeder.post(
        "/api/v1/surveys",
        {"name": "Service-Umfrage", "reminder_after_days": 5, "max_reminders": 1},
    )
    left_out = [c["id"] for c in seeder.contacts if c["id"] not in seeder.surveyed][:12]
    if left_out:
        invitations = await invite_when_known(seeder, survey["id"], left_out, channel="email")
        await date_back(survey["id"], days=6)
        seeder.surveyed.update(invitation["contact_id"] for invitation in invitations)
    # Quiet period 0: the renewal conversation matters more than the NPS link just sent.
    await seeder.post(
        "/api/v1/surveys",
        {"name": "Vor der Vertragsverlängerung", "before_renewal_days": 30, "quiet_period_days": 0},
    )


async def date_back(survey_id: str, days: int) -> None:
    """The one step outside the API: no client can send an invitation in the past."""
    url = os.environ.get("TREUE_SURVEY_DATABASE_URL")
    if not url:
        print("demo data: TREUE_SURVEY_DATABASE_URL unset, no reminders in the demo")
        return
    connection = await asyncpg.connect(url.replace("postgresql+asyncpg://", "postgresql://"))
    try:
        await connection.execute(
            "UPDATE invitations SET created_at = created_at - make_interval(days => $2)"
            " WHERE survey_id = $1",
            uuid.UUID(survey_id),
            days,
        )
    finally:
        await connection.close()


def posting(seeder: Seeder, path: str, body: dict[str, Any]) -> Callable[[], Awaitable[None]]:
    async def work() -> None:
        await seeder.post(path, body)

    return work


# Contracts, churn and tasks: maintenance contracts of a year with 30-90 days' notice (a
# dozen reach their notice date in the next weeks, so the renewal job has work), churned
# customers with the reason why (two of them won back), and a few manual to-dos for the
# demo users.
CHURN_NOTES = {
    "price": "Angebot der Konkurrenz 12 % günstiger",
    "service": "Zu lange Reaktionszeiten beim Notdienst",
    "product_fit": "Fertigung auf Additive umgestellt",
    "competitor": "Wechsel zu einem Händler vor Ort",
    "moved_or_closed": "Betrieb aufgegeben",
    "no_need": "Maschinenpark verkauft",
    "other": "Keine Rückmeldung mehr seit dem Jahresgespräch",
}
DEMO_TASKS = [
    ("Angebot Wartungsvertrag Premium nachfassen", -3),
    ("Termin für Maschinenabnahme vereinbaren", -1),
    ("Schulungstermine 2026 schicken", 1),
    ("Jahresgespräch vorbereiten", 2),
    ("Rückfrage zur Rechnung klären", 4),
    ("Ersatzteil-Lieferung bestätigen", 6),
    ("Referenzbesuch organisieren", 9),
    ("Retrofit-Angebot kalkulieren", 14),
]


def contract_body(
    rng: random.Random, contact: dict[str, Any], product: dict[str, Any], notice_in: int | None
) -> dict[str, Any]:
    """A one-year term; with `notice_in`, its notice date is that many days from today."""
    today = datetime.now(UTC).date()
    notice = rng.choice([30, 60, 90])
    if notice_in is None:
        # Notice dates at least five weeks out: only the dozen above are due soon.
        start = today - timedelta(days=rng.randint(0, 364 - notice - 35))
        end = start + timedelta(days=364)
    else:
        end = today + timedelta(days=notice + notice_in)
        start = end - timedelta(days=364)
    return {
        "contact_id": contact["id"],
        "product_id": product["id"],
        "start_date": start.isoformat(),
        "end_date": end.isoformat(),
        "notice_period_days": notice,
        "auto_renew": rng.random() < 0.7,
        "monthly_value": str((Decimal(product["price"]) / 12).quantize(Decimal("0.01"))),
        "currency": "EUR",
    }


async def seed_contracts_churn_tasks(seeder: Seeder, _count: int) -> None:
    rng, now = seeder.rng, datetime.now(UTC).replace(microsecond=0)
    page = (await seeder.client.get("/api/v1/products", params={"q": "WV-", "limit": 50})).json()
    plans = [
        p for p in page["items"] if p["sku"] in ("WV-BASIS-12", "WV-PREMIUM-12", "WV-DMU50-12")
    ]
    customers = sorted(
        (c for c in seeder.contacts if c["lifecycle_stage"] == "customer"),
        key=lambda c: c["external_id"],
    )
    rng.shuffle(customers)
    under_contract, to_churn = customers[:60], customers[60:75]
    bodies = [
        contract_body(rng, contact, rng.choice(plans), rng.randint(3, 28) if i < 12 else None)
        for i, contact in enumerate(under_contract)
    ]
    work = [posting(seeder, "/api/v1/contracts", body) for body in bodies]
    for index, contact in enumerate(to_churn):
        reason = list(CHURN_NOTES)[index % len(CHURN_NOTES)]
        churned_at = now - timedelta(days=rng.randint(3, 300), hours=rng.randint(0, 9))
        body = {"reason": reason, "note": CHURN_NOTES[reason], "churned_at": churned_at.isoformat()}
        work.append(posting(seeder, f"/api/v1/contacts/{contact['id']}/churn", body))
    users = (await seeder.client.get("/api/v1/users", params={"limit": 50})).json()["items"]
    # The admin too: whoever logs in first finds their own tasks in the "Heute" inbox.
    assignees = [u["id"] for u in users if u["role"] in ("admin", "manager", "agent")]
    for index, (title, due_in) in enumerate(DEMO_TASKS):
        task: dict[str, Any] = {
            "contact_id": customers[index]["id"],
            "title": title,
            "due_at": (now + timedelta(days=due_in)).replace(hour=9, minute=0).isoformat(),
            "assignee_id": assignees[index % len(assignees)] if assignees else None,
        }
        work.append(posting(seeder, "/api/v1/tasks", task))
    await seeder.run_all("contracts", work)
    # Two came back: their timeline shows the churn, then the win-back.
    for contact in to_churn[:2]:
        await seeder.post(f"/api/v1/contacts/{contact['id']}/win-back", {})
    await seeder.post("/api/v1/contracts/renewal-runs", {})


Step = Callable[[], Awaitable[None]]


# The closed loop at work: the old detractors' cases were called back and resolved, bar
# two left overdue; the agent works on a few of the recent ones; the rest wait, open.
RESOLUTION_NOTES = [
    "Angerufen, Ersatzteil kostenlos nachgeliefert",
    "Rückruf: Lieferverzug erklärt, Gutschrift über 5 % vereinbart",
    "Servicetechniker vor Ort, Störung behoben",
    "Neuen Ansprechpartner im Innendienst benannt",
    "Preisgespräch geführt, Rahmenvertrag angeboten",
]


async def seed_closed_loop(seeder: Seeder, _count: int) -> None:
    users = (await seeder.client.get("/api/v1/users", params={"limit": 100})).json()["items"]
    agent = next(u["id"] for u in users if u["email"] == "tobias.schaefer@treue.local")
    manager = next(u["id"] for u in users if u["email"] == "katrin.vogel@treue.local")
    cases = (
        await seeder.client.get(
            "/api/v1/feedback-cases", params={"status": "open", "sort": "due_at", "limit": 500}
        )
    ).json()["items"]
    fortnight_ago = datetime.now(UTC) - timedelta(days=14)
    old = [case for case in cases if datetime.fromisoformat(case["due_at"]) < fortnight_ago]
    recent = [case for case in cases if case not in old]

    def working(case: dict[str, Any], owner: str, note: str | None) -> Step:
        async def work() -> None:
            url = f"/api/v1/feedback-cases/{case['id']}"
            steps: list[dict[str, Any]] = [{"status": "in_progress", "owner_id": owner}]
            if note is not None:
                steps.append({"status": "resolved", "resolution_note": note})
            for body in steps:
                (await seeder.client.patch(url, json=body)).raise_for_status()

        return work

    notes = RESOLUTION_NOTES
    work = [
        working(case, seeder.rng.choice([agent, manager]), notes[i % len(notes)])
        for i, case in enumerate(old[:-2])
    ]
    work += [working(case, agent, None) for case in recent[:3]]
    await seeder.run_all("cases", work)


async def seed_webhooks(seeder: Seeder, _count: int) -> None:
    """An example subscription, disabled because nothing listens locally: point it at a
    receiver of your own, enable it and POST …/test to watch the delivery log."""
    await seeder.post(
        "/api/v1/webhooks",
        {
            "url": "http://127.0.0.1:8089/treue-webhooks",
            "event_types": ["nps.detractor", "customer.churned", "customer.churn_risk"],
            "description": "Beispiel: Ticketsystem ruft Kritiker zurück (lokal, deaktiviert)",
            "enabled": False,
        },
    )


async def seed_api_keys(seeder: Seeder, _count: int) -> None:
    """Two example keys: a shop's, used once so "last used" shows, and a retired one,
    revoked. Their secrets are dropped: a key of your own is made under Verwaltung."""
    shop = await seeder.post(
        "/api/v1/api-keys",
        {"name": "Onlineshop (Beispiel)", "scopes": ["contacts:read", "contacts:write"]},
    )
    used = await seeder.client.get(
        "/api/v1/contacts",
        params={"limit": 1},
        headers={"Authorization": f"Bearer {shop['key']}"},
    )
    used.raise_for_status()
    retired = await seeder.post(
        "/api/v1/api-keys", {"name": "Alte Warenwirtschaft (Beispiel)", "scopes": ["contacts:read"]}
    )
    (await seeder.client.delete(f"/api/v1/api-keys/{retired['id']}")).raise_for_status()
    seeder.progress.console.print(
        "API keys: 'Onlineshop (Beispiel)' (contacts:read, contacts:write) and a revoked one;"
        " their secrets are not kept"
    )


# Custom fields and a bulk import: leads from a trade fair arrive as a CSV file, through
# the import job like any business system's file. One row updates a known customer (found
# by e-mail), one is a likely duplicate of a customer (for the duplicates list), two are
# broken, so the import shows its per-row error report.
CUSTOM_FIELDS: list[dict[str, Any]] = [
    {"key": "branche", "label": "Branche", "type": "select", "options": INDUSTRIES},
    {"key": "mitarbeiter", "label": "Mitarbeiter", "type": "number"},
    {"key": "messe", "label": "Messe", "type": "text"},
    {"key": "erstkontakt", "label": "Erstkontakt", "type": "date"},
    {"key": "rahmenvertrag", "label": "Rahmenvertrag gewünscht", "type": "boolean"},
]
FAIR_LEADS = [
    ("Katrin", "Vogel", "Vogel Präzisionsteile GmbH", "maschinenbau", 120),
    ("Jonas", "Brandt", "Brandt Logistik KG", "logistik", 45),
    ("Miriam", "Hoffmann", "Hoffmann Medizintechnik AG", "gesundheit", 310),
    ("Tobias", "Krüger", "Krüger Metallbau", "handwerk", 18),
    ("Sophie", "Lehmann", "Lehmann Software GmbH", "software", 75),
    ("Lukas", "Wolf", "Wolf Antriebstechnik GmbH", "maschinenbau", 520),
]


def fair_leads_csv(seeder: Seeder) -> str:
    header = "first_name,last_name,email,company,language,tags,lifecycle_stage,custom_fields\n"
    rows: list[list[Any]] = []
    for first, last, company, industry, staff in FAIR_LEADS:
        email = mail_name(f"{first}.{last}@{company.split()[0]}.example")
        fields = {
            "branche": industry,
            "mitarbeiter": staff,
            "messe": "EMO Hannover",
            "erstkontakt": "2025-09-23",
            "rahmenvertrag": staff >= 100,
        }
        rows.append([first, last, email, company, "de", "messe;emo", "lead", fields])
    known = sorted(seeder.contacts, key=lambda c: c["external_id"])
    customer, twin = known[0], next(c for c in known[1:] if c["company"])
    rows.append(["", "", customer["email"], "", "", "", "", {"messe": "EMO Hannover"}])
    rows.append(
        [twin["first_name"], twin["last_name"], "einkauf@twin.example", twin["company"],
         "de", "messe", "lead", {"messe": "EMO Hannover"}]
    )  # fmt: skip
    rows.append(["Erik", "Sommer", "erik.sommer(at)example", "", "de", "", "lead", {}])
    rows.append(["Nina", "Graf", "nina.graf@example.de", "", "fr", "", "lead", {}])
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    for row in rows:
        *cells, fields = row
        writer.writerow([*cells, json.dumps(fields, ensure_ascii=False) if fields else ""])
    return header + buffer.getvalue()


async def seed_custom_fields_and_import(seeder: Seeder, _count: int) -> None:
    for definition in CUSTOM_FIELDS:
        await seeder.post("/api/v1/custom-fields", definition)
    answer = await seeder.client.post(
        "/api/v1/imports",
        files={"file": ("demo-messe-leads.csv", fair_leads_csv(seeder).encode(), "text/csv")},
        data={"kind": "contacts"},
    )
    if answer.status_code != 202:
        raise SystemExit(f"seeding failed: POST /api/v1/imports → {answer.status_code}")
    task = seeder.progress.add_task("import", total=1.0)
    for _ in range(120):
        job = (await seeder.client.get(answer.headers["location"])).json()
        seeder.progress.update(task, completed=job["progress"])
        if job["status"] in ("succeeded", "failed"):
            break
        await asyncio.sleep(0.5)
    if job["status"] != "succeeded":
        raise SystemExit(f"seeding failed: the import ended {job['status']}: {job.get('error')}")


# Saved segments of the demo. Notice on the contracts of a few A customers and complaints
# from them make "A customers at risk" a real list (cancelled 0.5 + two complaints 0.2).
DEMO_SEGMENTS = [
    {
        "name": "A customers at risk",
        "description": "The most valuable customers whose churn risk crossed 0.6",
        "filters": {"abc_class": ["A"], "min_churn_risk": 0.6},
    },
    {
        "name": "Champions",
        "description": "Bought recently, often and much: RFM 4 or 5 in each",
        "filters": {"min_rfm_recency": 4, "min_rfm_frequency": 4, "min_rfm_monetary": 4},
    },
    {
        # Follows contact edits at once: tag a customer "software" and they are a member.
        "name": "Software customers",
        "description": "Customers tagged software; a tag or stage change moves them at once",
        "filters": {"tags": ["software"], "lifecycle_stage": ["customer"]},
    },
]
AT_RISK_DEMO = 4


async def a_customers_under_contract(seeder: Seeder) -> list[dict[str, Any]]:
    a_class = await seeder.client.get(
        "/api/v1/analytics/customers", params={"abc_class": "A", "limit": 200}
    )
    ids = {customer["contact_id"] for customer in a_class.json()["items"]}
    contracts = await seeder.client.get(
        "/api/v1/contracts", params={"status": "active", "limit": 200}
    )
    active = contracts.json()["items"]
    mine = sorted((c for c in active if c["contact_id"] in ids), key=lambda c: c["contact_id"])
    return mine[:AT_RISK_DEMO]


async def seed_segments(seeder: Seeder, _count: int) -> None:
    now = datetime.now(UTC).replace(microsecond=0)
    chosen = await a_customers_under_contract(seeder)
    work = []
    for contract in chosen:
        notice = {"reason": "Kündigung zum Laufzeitende"}
        work.append(posting(seeder, f"/api/v1/contracts/{contract['id']}/cancel", notice))
        for hours in (5, 30):
            complaint = {
                "kind": "ticket",
                "direction": "inbound",
                "channel": "phone",
                "subject": "Beschwerde: Notdienst kam zu spät",
                "occurred_at": (now - timedelta(hours=hours)).isoformat(),
                "sentiment": "negative",
            }
            path = f"/api/v1/contacts/{contract['contact_id']}/interactions"
            work.append(posting(seeder, path, complaint))
    await seeder.run_all("at risk", work)

    async def scored(contact_id: str) -> bool:
        found = await seeder.client.get(f"/api/v1/analytics/customers/{contact_id}")
        return "contract_cancelled" in (found.json().get("churn_drivers") or [])

    for _ in range(120):
        if all([await scored(c["contact_id"]) for c in chosen]):
            break
        await asyncio.sleep(0.5)
    # Classes, risks and members as of everything seeded (churn, NPS, contracts included).
    await run_job(seeder, "/api/v1/analytics/segments/recompute", {}, "segments")
    for body in DEMO_SEGMENTS:
        segment = await seeder.post("/api/v1/analytics/segments", body)
        seeder.progress.console.print(f"segment {segment['name']}: {segment['members']} members")


STEPS: list[Callable[[Seeder, int], Awaitable[None]]] = [
    seed_contacts,
    seed_custom_fields_and_import,
    seed_sales,
    seed_customer_value,
    seed_users,
    seed_nps,
    seed_email_surveys,
    seed_contracts_churn_tasks,
    seed_closed_loop,
    seed_segments,
    seed_webhooks,
    seed_api_keys,
]


def admin_login() -> tuple[str, str]:
    email, password = os.environ.get("TREUE_ADMIN_EMAIL"), os.environ.get("TREUE_ADMIN_PASSWORD")
    if email and password:
        return email, password
    lines = (ROOT / ".run" / "admin-credentials").read_text().splitlines()
    return lines[0].strip(), lines[1].strip()


async def has_contacts() -> bool:
    """Asked of the database, not the API: the admin may have changed the password that
    .run/admin-credentials still holds, and a second `make up` must not fail on that."""
    url = os.environ["TREUE_CONTACTS_DATABASE_URL"]
    connection = await asyncpg.connect(url.replace("postgresql+asyncpg://", "postgresql://"))
    try:
        return bool(await connection.fetchval("SELECT EXISTS (SELECT FROM contacts)"))
    finally:
        await connection.close()


async def warn_if_initial_login_changed(base_url: str) -> None:
    """`make up` prints the first admin's login from .run/admin-credentials; say so when it
    no longer works, rather than let a user wonder why the printed password is refused."""
    email, password = admin_login()
    async with httpx.AsyncClient(base_url=base_url, timeout=30) as client:
        login = await client.post("/api/v1/auth/login", json={"email": email, "password": password})
    if login.status_code != 200:
        print(
            f"note: the login below is the first admin's initial one and no longer works"
            f" ({login.status_code}): its password was changed since; sign in with yours"
        )


async def main(base_url: str, count: int, if_empty: bool) -> int:
    if if_empty and await has_contacts():
        print("demo data: the database has contacts already, nothing to seed")
        await warn_if_initial_login_changed(base_url)
        return 0
    async with httpx.AsyncClient(base_url=base_url, timeout=30) as client:
        email, password = admin_login()
        login = await client.post("/api/v1/auth/login", json={"email": email, "password": password})
        if login.status_code != 200:
            print(
                f"cannot log in as {email} to seed the demo data: {login.status_code} "
                f"{login.text}\nThe login in .run/admin-credentials is the first admin's; "
                "if it was changed, seed with TREUE_ADMIN_EMAIL/TREUE_ADMIN_PASSWORD set.",
                file=sys.stderr,
            )
            return 1
        client.headers["Authorization"] = f"Bearer {login.json()['access_token']}"
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
