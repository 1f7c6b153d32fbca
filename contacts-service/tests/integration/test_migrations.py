"""Migrations that change existing rows, run on a database holding rows of the revision before."""

from __future__ import annotations

import asyncio
import json
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import asyncpg
from alembic import command
from alembic.config import Config

from treue.outbox import asyncpg_dsn
from treue.testing import create_migrated_database

ALEMBIC_INI = Path(__file__).parents[2] / "alembic.ini"
CONTACT = uuid.uuid4()
CHURNED_AT = datetime(2026, 5, 4, 12, tzinfo=UTC)
TASKS = [
    ("order_follow_up", "Follow up: order SHOP-ORD-1042"),
    ("order_follow_up", "Nachfassen: Bestellung 7c1e2b0a"),
    ("renewal", "Verlängerung: Vertrag endet am 2026-12-31, Kündigungsfrist 2026-10-02"),
    ("renewal", "Renewal: contract ends on 2027-03-31, notice date 2027-01-30"),
    ("detractor_call_back", "Rückruf: Detraktor (Score 3)"),
    ("detractor_call_back", "Call back: detractor (score 0)"),
    # Rewritten by someone, erased, and manual: no code.
    ("order_follow_up", "Frau Weber wegen der Lieferung anrufen"),
    ("renewal", "(erased)"),
    ("manual", "Follow up: order SHOP-ORD-1042"),
]


def alembic(url: str) -> Config:
    config = Config(str(ALEMBIC_INI))
    config.set_main_option("sqlalchemy.url", url)
    return config


async def insert_tasks(url: str) -> None:
    conn = await asyncpg.connect(asyncpg_dsn(url))
    try:
        await conn.execute("TRUNCATE contacts CASCADE")
        await conn.execute(
            "INSERT INTO contacts (id, first_name, last_name, language, lifecycle_stage, version)"
            " VALUES ($1, 'Anna', 'Weber', 'de', 'customer', 1)",
            CONTACT,
        )
        await conn.executemany(
            "INSERT INTO tasks (id, contact_id, title, due_at, status, origin, version)"
            " VALUES ($1, $2, $3, now(), 'open', $4, 1)",
            [(uuid.uuid4(), CONTACT, title, origin) for origin, title in TASKS],
        )
    finally:
        await conn.close()


async def codes(url: str) -> dict[str, tuple[Any, Any]]:
    conn = await asyncpg.connect(asyncpg_dsn(url))
    try:
        rows = await conn.fetch("SELECT origin, title, title_code, title_params FROM tasks")
    finally:
        await conn.close()
    return {
        f"{row['origin']}|{row['title']}": (
            row["title_code"],
            None if row["title_params"] is None else json.loads(row["title_params"]),
        )
        for row in rows
    }


def test_0014_gives_automatic_tasks_whose_title_is_still_generated_a_code() -> None:
    url = create_migrated_database("contacts_migration_test", ALEMBIC_INI)
    # From the revision before: step back, add rows as 0013 knew them, upgrade again.
    command.downgrade(alembic(url), "0013")
    asyncio.run(insert_tasks(url))

    command.upgrade(alembic(url), "0014")

    assert asyncio.run(codes(url)) == {
        "order_follow_up|Follow up: order SHOP-ORD-1042": (
            "order_follow_up",
            {"order": "SHOP-ORD-1042"},
        ),
        "order_follow_up|Nachfassen: Bestellung 7c1e2b0a": (
            "order_follow_up",
            {"order": "7c1e2b0a"},
        ),
        "renewal|Verlängerung: Vertrag endet am 2026-12-31, Kündigungsfrist 2026-10-02": (
            "renewal",
            {"end_date": "2026-12-31", "notice_date": "2026-10-02"},
        ),
        "renewal|Renewal: contract ends on 2027-03-31, notice date 2027-01-30": (
            "renewal",
            {"end_date": "2027-03-31", "notice_date": "2027-01-30"},
        ),
        "detractor_call_back|Rückruf: Detraktor (Score 3)": (
            "detractor_call_back",
            {"score": 3},
        ),
        "detractor_call_back|Call back: detractor (score 0)": (
            "detractor_call_back",
            {"score": 0},
        ),
        "order_follow_up|Frau Weber wegen der Lieferung anrufen": (None, None),
        "renewal|(erased)": (None, None),
        "manual|Follow up: order SHOP-ORD-1042": (None, None),
    }


async def insert_churned_contacts(url: str) -> dict[str, uuid.UUID]:
    """Contacts as 0015 knew them: the churn only on the contact row."""
    ids = {name: uuid.uuid4() for name in ("churned", "no_note", "customer", "erased", "merged")}
    conn = await asyncpg.connect(asyncpg_dsn(url))
    try:
        await conn.execute("TRUNCATE contacts CASCADE")
        await conn.executemany(
            "INSERT INTO contacts (id, first_name, last_name, language, lifecycle_stage,"
            " churn_reason, churn_note, churned_at, erased_at, merged_into_id, version)"
            " VALUES ($1, 'Anna', 'Weber', 'de', $2, $3, $4, $5, $6, $7, 1)",
            [
                (ids["churned"], "churned", "price", "zu teuer", CHURNED_AT, None, None),
                (ids["no_note"], "churned", "no_need", None, CHURNED_AT, None, None),
                # Won back: the churn's reason stays on the row, the contact is no longer
                # churned and gets no entry (when it was won back is not known).
                (ids["customer"], "customer", "price", "zu teuer", CHURNED_AT, None, None),
                (ids["erased"], "churned", "price", None, CHURNED_AT, CHURNED_AT, None),
                (ids["merged"], "churned", "price", "x", CHURNED_AT, None, ids["churned"]),
            ],
        )
    finally:
        await conn.close()
    return ids


async def lifecycle_rows(url: str) -> list[tuple[Any, ...]]:
    conn = await asyncpg.connect(asyncpg_dsn(url))
    try:
        rows = await conn.fetch(
            "SELECT contact_id, change, reason, note, occurred_at FROM lifecycle_changes"
        )
    finally:
        await conn.close()
    return sorted(tuple(row) for row in rows)


def test_0016_gives_each_churned_contact_its_churn_as_the_first_history_entry() -> None:
    url = create_migrated_database("contacts_migration_test", ALEMBIC_INI)
    command.downgrade(alembic(url), "0015")
    ids = asyncio.run(insert_churned_contacts(url))

    command.upgrade(alembic(url), "0016")

    assert asyncio.run(lifecycle_rows(url)) == sorted(
        [
            (ids["churned"], "churned", "price", "zu teuer", CHURNED_AT),
            (ids["no_note"], "churned", "no_need", None, CHURNED_AT),
        ]
    )


async def insert_contact(url: str, email: str) -> str | None:
    """The unique index that refused the contact, or None if it was inserted."""
    conn = await asyncpg.connect(asyncpg_dsn(url))
    try:
        await conn.execute(
            "INSERT INTO contacts (id, first_name, last_name, email, language, lifecycle_stage,"
            " version) VALUES ($1, 'Anna', 'Weber', $2, 'de', 'lead', 1)",
            uuid.uuid4(),
            email,
        )
    except asyncpg.UniqueViolationError as error:
        return str(error.constraint_name)
    finally:
        await conn.close()
    return None


def test_0018_keeps_e_mails_unique_in_any_case_both_ways() -> None:
    url = create_migrated_database("contacts_migration_test", ALEMBIC_INI)
    command.downgrade(alembic(url), "0017")
    assert asyncio.run(insert_contact(url, "anna@example.de")) is None

    command.upgrade(alembic(url), "0018")
    assert asyncio.run(insert_contact(url, "ANNA@Example.de")) == "uq_contacts_email_lower"
    assert asyncio.run(insert_contact(url, "anna.w@example.de")) is None

    command.downgrade(alembic(url), "0017")
    assert asyncio.run(insert_contact(url, "Anna@EXAMPLE.de")) == "uq_contacts_email_lower"
