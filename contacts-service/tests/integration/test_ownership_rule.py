"""Who may make whom a contact's owner or a task's assignee (issue #4, OWASP API1):
agents take unowned records for themselves; managers and admins assign anyone."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any

import httpx

from treue.identity import Identity
from treue.testing import identity_headers

Factory = Callable[..., Awaitable[dict[str, Any]]]
AGENT_ID, COLLEAGUE_ID = str(uuid.uuid4()), str(uuid.uuid4())
AGENT = identity_headers(Identity(subject=AGENT_ID, kind="user", role="agent"))
MANAGER = identity_headers(Identity(subject=str(uuid.uuid4()), kind="user", role="manager"))


def refused_field(answer: httpx.Response) -> tuple[int, str]:
    return answer.status_code, answer.json()["errors"][0]["field"]


async def test_an_agent_takes_an_unowned_contact_but_assigns_no_one_else(
    client: httpx.AsyncClient, new_contact: Factory
) -> None:
    url = f"/api/v1/contacts/{(await new_contact())['id']}"

    to_colleague = await client.patch(url, json={"owner_id": COLLEAGUE_ID}, headers=AGENT)
    taken = await client.patch(url, json={"owner_id": AGENT_ID}, headers=AGENT)
    reassigned = await client.patch(url, json={"owner_id": COLLEAGUE_ID}, headers=MANAGER)
    taken_back = await client.patch(url, json={"owner_id": AGENT_ID}, headers=AGENT)
    other_edit = await client.patch(url, json={"last_name": "Becker-Roth"}, headers=AGENT)

    assert refused_field(to_colleague) == (403, "owner_id")
    assert (taken.status_code, taken.json()["owner_id"]) == (200, AGENT_ID)
    assert (reassigned.status_code, reassigned.json()["owner_id"]) == (200, COLLEAGUE_ID)
    assert refused_field(taken_back) == (403, "owner_id")
    assert other_edit.status_code == 200
    assert (await client.get(url)).json()["owner_id"] == COLLEAGUE_ID


async def test_an_agent_creates_contacts_owned_by_themselves_only(
    client: httpx.AsyncClient,
) -> None:
    body = {"first_name": "Jana", "last_name": "Roth", "email": "jana.roth@example.de"}

    own = await client.post("/api/v1/contacts", json=body | {"owner_id": AGENT_ID}, headers=AGENT)
    other = await client.post(
        "/api/v1/contacts",
        json=body | {"email": "jana.roth.2@example.de", "owner_id": COLLEAGUE_ID},
        headers=AGENT,
    )

    assert (own.status_code, own.json()["owner_id"]) == (201, AGENT_ID)
    assert refused_field(other) == (403, "owner_id")


async def test_an_agent_takes_unassigned_tasks_and_a_manager_reassigns_them(
    client: httpx.AsyncClient, new_contact: Factory
) -> None:
    contact_id = (await new_contact())["id"]
    body = {"contact_id": contact_id, "title": "Rückruf", "due_at": datetime.now(UTC).isoformat()}

    for_colleague = await client.post(
        "/api/v1/tasks", json=body | {"assignee_id": COLLEAGUE_ID}, headers=AGENT
    )
    task = (await client.post("/api/v1/tasks", json=body, headers=AGENT)).json()
    url = f"/api/v1/tasks/{task['id']}"
    to_colleague = await client.patch(url, json={"assignee_id": COLLEAGUE_ID}, headers=AGENT)
    taken = await client.patch(url, json={"assignee_id": AGENT_ID}, headers=AGENT)
    reassigned = await client.patch(url, json={"assignee_id": COLLEAGUE_ID}, headers=MANAGER)
    taken_back = await client.patch(url, json={"assignee_id": AGENT_ID}, headers=AGENT)

    assert refused_field(for_colleague) == (403, "assignee_id")
    assert refused_field(to_colleague) == (403, "assignee_id")
    assert (taken.status_code, taken.json()["assignee_id"]) == (200, AGENT_ID)
    assert (reassigned.status_code, reassigned.json()["assignee_id"]) == (200, COLLEAGUE_ID)
    assert refused_field(taken_back) == (403, "assignee_id")


async def test_only_managers_set_owners_in_bulk(
    client: httpx.AsyncClient, new_contact: Factory
) -> None:
    body = {
        "contact_ids": [(await new_contact())["id"]],
        "action": "set_owner",
        "owner_id": AGENT_ID,
    }

    by_agent = await client.post("/api/v1/contacts/bulk", json=body, headers=AGENT)
    by_manager = await client.post("/api/v1/contacts/bulk", json=body, headers=MANAGER)

    assert refused_field(by_agent) == (403, "owner_id")
    assert by_manager.status_code == 202
