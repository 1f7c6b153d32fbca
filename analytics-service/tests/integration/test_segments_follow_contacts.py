"""Saved segments follow contact data at once: a contact.created/updated run re-evaluates
the customers it changed against every saved segment (no recompute needed), one statement
per segment for the whole run, and a `segment.changed` event only where a membership
really changed."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from typing import Any

import httpx
from fastapi import FastAPI
from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine

from treue.events.contracts import ContactUpdatedV1

from .conftest import Deliver
from .test_churn_risk import NOW
from .test_customer_value import contact
from .test_saved_segments import member_ids, membership_changes
from .test_segmentation import RunJobs, recompute


def updated(
    contact_id: uuid.UUID,
    version: int,
    tags: list[str],
    lifecycle_stage: str = "customer",
    last_name: str = "Becker",
) -> ContactUpdatedV1:
    state = contact(contact_id, None).model_dump(exclude={"created_at"})
    state.update(version=version, tags=tags, lifecycle_stage=lifecycle_stage, last_name=last_name)
    return ContactUpdatedV1(
        **state, updated_at=NOW + timedelta(minutes=version), changed_fields=["tags"]
    )


async def saved(client: httpx.AsyncClient, name: str, filters: dict[str, Any]) -> str:
    created = await client.post(
        "/api/v1/analytics/segments", json={"name": name, "filters": filters}
    )
    assert created.status_code == 201, created.text
    segment_id: str = created.json()["id"]
    return segment_id


async def test_a_tag_or_stage_change_moves_the_contact_and_only_a_real_move_is_an_event(
    clean: None, deliver: Deliver, client: httpx.AsyncClient, app: FastAPI, run_jobs: RunJobs
) -> None:
    jana, ben = uuid.uuid4(), uuid.uuid4()
    await deliver([contact(jana, None), contact(ben, None)])
    gold_customers = {"tags": ["gold"], "lifecycle_stage": ["customer"]}
    gold = await saved(client, "gold customers", gold_customers)
    assert await member_ids(client, gold) == set()

    # Tag added: Jana joins with one event; Ben's tag comes with a stage the segment lacks.
    await deliver([updated(jana, 2, ["vip", "gold"]), updated(ben, 2, ["gold"], "lead")])
    assert await member_ids(client, gold) == {str(jana)}
    assert await membership_changes(app, gold) == [(str(jana), "out", "in")]

    # An update that leaves the membership as it was, and a replay of an old snapshot:
    # no event.
    await deliver([updated(jana, 3, ["gold", "vip"], last_name="Schulz")])
    await deliver([updated(jana, 2, ["vip"])])
    assert await member_ids(client, gold) == {str(jana)}
    assert len(await membership_changes(app, gold)) == 1

    # Ben's stage moves into the segment; Jana's tag is removed: one event each.
    await deliver([updated(ben, 3, ["gold"], "customer"), updated(jana, 4, ["vip"])])
    assert await member_ids(client, gold) == {str(ben)}
    assert sorted((await membership_changes(app, gold))[1:]) == sorted(
        [(str(ben), "out", "in"), (str(jana), "in", "out")]
    )

    # Within one run only the newest snapshot counts: added and removed again is no move.
    await deliver([updated(jana, 5, ["gold"]), updated(jana, 6, ["vip"])])
    assert await member_ids(client, gold) == {str(ben)}
    assert len(await membership_changes(app, gold)) == 3

    # A new contact joins a segment it matches, and the recompute finds nothing to change.
    eva = uuid.uuid4()
    newcomer = contact(eva, None).model_copy(update={"tags": ["gold"]})
    await deliver([newcomer])
    assert await member_ids(client, gold) == {str(ben), str(eva)}
    assert (await membership_changes(app, gold))[3:] == [(str(eva), "out", "in")]
    await recompute(client, run_jobs)
    assert await member_ids(client, gold) == {str(ben), str(eva)}
    assert len(await membership_changes(app, gold)) == 4


@contextmanager
def counted_statements(engine: AsyncEngine) -> Iterator[list[str]]:
    statements: list[str] = []

    def count(*args: Any) -> None:
        statements.append(args[2])

    event.listen(engine.sync_engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(engine.sync_engine, "before_cursor_execute", count)


async def test_a_run_costs_one_statement_per_segment_however_long_it_is(
    clean: None, deliver: Deliver, client: httpx.AsyncClient, app: FastAPI
) -> None:
    few = [uuid.uuid4() for _ in range(3)]
    many = [uuid.uuid4() for _ in range(300)]
    await deliver([contact(c, None) for c in few + many])
    gold = await saved(client, "gold", {"tags": ["gold"]})
    await saved(client, "leads", {"lifecycle_stage": ["lead"]})
    engine = app.state.runtime.engine

    with counted_statements(engine) as for_few:
        await deliver([updated(c, 2, ["gold"]) for c in few])
    with counted_statements(engine) as for_many:
        await deliver([updated(c, 2, ["gold"]) for c in many])

    assert len(for_many) == len(for_few)
    assert sum("segment_members" in s for s in for_many) == 2
    segment = (await client.get(f"/api/v1/analytics/segments/{gold}")).json()
    assert segment["members"] == len(few) + len(many)
    assert len(await membership_changes(app, gold)) == len(few) + len(many)
