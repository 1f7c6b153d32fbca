"""The automatic-task rules an admin changes at run time (GET/PUT/DELETE
/api/v1/settings/contacts): validated per field, admins only, and in force for the next
order without a restart."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import datetime, timedelta

import httpx
import pytest
from fastapi import FastAPI

from treue.identity import Identity
from treue.testing import identity_headers

from .test_tasks_api import NOW, Factory

URL = "/api/v1/settings/contacts"
DEFAULTS = {"follow_up_after_days": 14, "renewal_window_days": 30}


@pytest.fixture(autouse=True)
async def forget_the_cached_settings(app: FastAPI) -> AsyncIterator[None]:
    """The next test truncates the stored values; the store's cache must not outlive them."""
    yield
    app.state.runtime_settings.invalidate()


async def follow_up_due(client: httpx.AsyncClient, contact_id: str, external_id: str) -> datetime:
    order = {
        "contact_id": contact_id,
        "external_id": external_id,
        "ordered_at": (NOW - timedelta(days=1)).isoformat(),
        "currency": "EUR",
        "lines": [{"sku": "ET-SPINDEL", "quantity": 1}],
    }
    assert (await client.post("/api/v1/orders", json=order)).status_code == 201
    return await due_of(client, contact_id, external_id)


async def due_of(client: httpx.AsyncClient, contact_id: str, external_id: str) -> datetime:
    tasks = (await client.get("/api/v1/tasks", params={"contact_id": contact_id})).json()
    [task] = [t for t in tasks["items"] if t["title"].endswith(external_id)]
    return datetime.fromisoformat(task["due_at"])


async def test_changed_follow_up_days_set_the_due_date_of_the_next_follow_up(
    client: httpx.AsyncClient, new_contact: Factory, new_product: Factory
) -> None:
    assert (await client.get(URL)).json()["values"] == DEFAULTS
    contact = (await new_contact())["id"]
    await new_product()
    before = await follow_up_due(client, contact, "SHOP-1")
    assert abs(before - (NOW - timedelta(days=1) + timedelta(days=14))) < timedelta(seconds=1)

    changed = await client.put(URL, json={**DEFAULTS, "follow_up_after_days": 3})
    assert changed.status_code == 200, changed.text
    assert changed.json()["values"]["follow_up_after_days"] == 3
    assert changed.json()["defaults"] == DEFAULTS

    after = await follow_up_due(client, contact, "SHOP-2")
    assert abs(after - (NOW - timedelta(days=1) + timedelta(days=3))) < timedelta(seconds=1)
    # The earlier follow-up keeps its date.
    assert await due_of(client, contact, "SHOP-1") == before

    assert (await client.delete(URL)).json()["values"] == DEFAULTS
    again = await follow_up_due(client, contact, "SHOP-3")
    assert again == before


async def test_bad_values_answer_422_naming_the_field_and_only_admins_write(
    client: httpx.AsyncClient,
) -> None:
    for change, field in [
        ({"follow_up_after_days": -1}, "follow_up_after_days"),
        ({"renewal_window_days": 366}, "renewal_window_days"),
        ({"follow_up_after_days": "soon"}, "follow_up_after_days"),
    ]:
        refused = await client.put(URL, json={**DEFAULTS, **change})
        assert refused.status_code == 422
        assert refused.headers["content-type"] == "application/problem+json"
        assert [e["field"] for e in refused.json()["errors"]] == [field]
    agent = Identity(subject="a-1", kind="user", role="agent", name="Ali Agent")
    forbidden = await client.put(URL, json=DEFAULTS, headers=identity_headers(agent))
    assert forbidden.status_code == 403
    assert (await client.get(URL)).json()["updated_at"] is None
