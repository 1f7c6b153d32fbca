"""Tasks against a real Postgres: manual ones, filters, overdue, completion, and the
follow-up each recorded order gets in its own unit of work."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import asyncpg
import httpx

Factory = Callable[..., Awaitable[dict[str, Any]]]
Outbox = Callable[[str], Awaitable[list[dict[str, Any]]]]
NOW = datetime.now(UTC)


async def new_task(client: httpx.AsyncClient, contact_id: str, **overrides: Any) -> dict[str, Any]:
    body = {"contact_id": contact_id, "title": "Angebot nachfassen", "due_at": NOW.isoformat()}
    answer = await client.post("/api/v1/tasks", json=body | overrides)
    assert answer.status_code == 201, answer.text
    created: dict[str, Any] = answer.json()
    return created


async def test_a_manual_task_is_open_and_announced(
    client: httpx.AsyncClient, new_contact: Factory, outbox: Outbox
) -> None:
    contact, assignee = await new_contact(), str(uuid.uuid4())
    task = await new_task(client, contact["id"], assignee_id=assignee)

    assert (task["status"], task["origin"], task["assignee_id"]) == ("open", "manual", assignee)
    assert (task["title_code"], task["title_params"]) == (None, None)
    assert (await client.get(f"/api/v1/tasks/{task['id']}")).json() == task
    [event] = await outbox("treue.task.created.v1")
    assert (event["task_id"], event["_subject"], event["origin"]) == (
        task["id"],
        contact["id"],
        "manual",
    )


async def test_bad_tasks_are_refused_naming_the_field(
    client: httpx.AsyncClient, new_contact: Factory
) -> None:
    contact = await new_contact()
    body = {"contact_id": contact["id"], "title": "x", "due_at": NOW.isoformat()}
    for broken, field in [
        ({"title": " "}, "title"),
        ({"due_at": "2026-03-01T09:00:00"}, "due_at"),
        ({"contact_id": str(uuid.uuid4())}, "contact_id"),
        ({"origin": "renewal"}, "origin"),
    ]:
        answer = await client.post("/api/v1/tasks", json=body | broken)
        assert answer.status_code == 422, broken
        assert answer.json()["errors"][0]["field"] == field
    assert (await client.get(f"/api/v1/tasks/{uuid.uuid4()}")).status_code == 404


async def test_tasks_list_soonest_first_with_filters_overdue_and_cursor(
    client: httpx.AsyncClient, new_contact: Factory
) -> None:
    contact, other = await new_contact(), await new_contact()
    agent = str(uuid.uuid4())
    days = [3, -2, 1, -5]
    ids = {
        day: (
            await new_task(
                client,
                contact["id"],
                due_at=(NOW + timedelta(days=day)).isoformat(),
                assignee_id=agent,
            )
        )["id"]
        for day in days
    }
    await new_task(client, other["id"], due_at=(NOW - timedelta(days=9)).isoformat())
    await client.patch(f"/api/v1/tasks/{ids[-5]}", json={"status": "done"})

    first = (
        await client.get("/api/v1/tasks", params={"contact_id": contact["id"], "limit": 3})
    ).json()
    rest = (
        await client.get(
            "/api/v1/tasks",
            params={"contact_id": contact["id"], "limit": 3, "cursor": first["next_cursor"]},
        )
    ).json()
    assert [t["id"] for t in first["items"] + rest["items"]] == [ids[d] for d in sorted(days)]
    overdue = (await client.get("/api/v1/tasks", params={"overdue": "true"})).json()
    assert len(overdue["items"]) == 2
    assert overdue["items"][1]["id"] == ids[-2]
    mine = (
        await client.get("/api/v1/tasks", params={"assignee_id": agent, "status": "open"})
    ).json()
    assert [t["id"] for t in mine["items"]] == [ids[-2], ids[1], ids[3]]


async def test_unassigned_lists_the_open_tasks_nobody_has_picked_up(
    client: httpx.AsyncClient, new_contact: Factory
) -> None:
    contact = await new_contact()
    taken = await new_task(client, contact["id"], assignee_id=str(uuid.uuid4()))
    free = await new_task(client, contact["id"])
    params = {"contact_id": contact["id"], "unassigned": "true"}

    listed = (await client.get("/api/v1/tasks", params=params)).json()

    assert [t["id"] for t in listed["items"]] == [free["id"]]
    await client.patch(f"/api/v1/tasks/{free['id']}", json={"assignee_id": taken["assignee_id"]})
    assert (await client.get("/api/v1/tasks", params=params)).json()["items"] == []
    both = await client.get("/api/v1/tasks", params=params | {"assignee_id": str(uuid.uuid4())})
    assert both.status_code == 422
    assert both.json()["errors"][0]["field"] == "unassigned"


async def test_done_sets_completed_at_and_emits_task_completed(
    client: httpx.AsyncClient, new_contact: Factory, outbox: Outbox
) -> None:
    task = await new_task(client, (await new_contact())["id"])
    path = f"/api/v1/tasks/{task['id']}"

    done = (await client.patch(path, json={"status": "done"})).json()

    assert done["status"] == "done"
    assert done["completed_at"] is not None
    [event] = await outbox("treue.task.completed.v1")
    assert (event["task_id"], event["status"]) == (task["id"], "done")
    reopened = (await client.patch(path, json={"status": "open"})).json()
    assert reopened["completed_at"] is None
    assert (await client.patch(path, json={"title": None})).status_code == 422
    assert (await client.patch(path, json={"origin": "renewal"})).status_code == 422


async def test_each_recorded_order_gets_a_follow_up_task(
    client: httpx.AsyncClient,
    new_contact: Factory,
    new_product: Factory,
    outbox: Outbox,
    db: asyncpg.Connection,
) -> None:
    owner = str(uuid.uuid4())
    contact = await new_contact(language="en", owner_id=owner)
    await new_product()
    ordered_at = NOW - timedelta(days=1)
    order = {
        "contact_id": contact["id"],
        "external_id": "SHOP-77",
        "ordered_at": ordered_at.isoformat(),
        "currency": "EUR",
        "lines": [{"sku": "ET-SPINDEL", "quantity": 1}],
    }
    assert (await client.post("/api/v1/orders", json=order)).status_code == 201
    assert (await client.post("/api/v1/orders", json=order)).status_code == 200
    old = order | {"external_id": "SHOP-OLD", "ordered_at": "2025-01-01T10:00:00Z"}
    assert (await client.post("/api/v1/orders", json=old)).status_code == 201

    [task] = (await client.get("/api/v1/tasks", params={"contact_id": contact["id"]})).json()[
        "items"
    ]
    assert (task["origin"], task["title"], task["assignee_id"]) == (
        "order_follow_up",
        "Follow up: order SHOP-77",
        owner,
    )
    assert (task["title_code"], task["title_params"]) == ("order_follow_up", {"order": "SHOP-77"})
    due = datetime.fromisoformat(task["due_at"])
    assert abs(due - (ordered_at + timedelta(days=14))) < timedelta(seconds=1)
    [event] = await outbox("treue.task.created.v1")
    assert (event["origin"], event["title_code"], event["title_params"]) == (
        "order_follow_up",
        "order_follow_up",
        {"order": "SHOP-77"},
    )
    # The order and its follow-up are written in one transaction.
    xmins = await db.fetch(
        "SELECT xmin::text AS x FROM orders WHERE external_id = 'SHOP-77'"
        " UNION ALL SELECT xmin::text FROM tasks"
    )
    assert len({row["x"] for row in xmins}) == 1
