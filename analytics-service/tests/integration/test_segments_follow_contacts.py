"""Saved segments follow contact data at once: a contact.created/updated run re-evaluates
the customers it changed against the saved segments whose filters read a changed column
(no recompute needed; a segment the change cannot affect is not evaluated at all), one
statement for the whole run, and a `segment.changed` event only where a membership really
changed."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from typing import Any

import httpx
from fastapi import FastAPI
from prometheus_client import REGISTRY
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
    changed: tuple[str, ...] = ("tags",),
    acquisition_cost: str | None = None,
) -> ContactUpdatedV1:
    state = contact(contact_id, acquisition_cost).model_dump(exclude={"created_at"})
    state.update(version=version, tags=tags, lifecycle_stage=lifecycle_stage, last_name=last_name)
    return ContactUpdatedV1(
        **state, updated_at=NOW + timedelta(minutes=version), changed_fields=list(changed)
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
    await deliver(
        [
            updated(jana, 2, ["vip", "gold"]),
            updated(ben, 2, ["gold"], "lead", changed=("tags", "lifecycle_stage")),
        ]
    )
    assert await member_ids(client, gold) == {str(jana)}
    assert await membership_changes(app, gold) == [(str(jana), "out", "in")]

    # An update that leaves the membership as it was, and a replay of an old snapshot:
    # no event.
    await deliver([updated(jana, 3, ["gold", "vip"], last_name="Schulz", changed=("last_name",))])
    await deliver([updated(jana, 2, ["vip"])])
    assert await member_ids(client, gold) == {str(jana)}
    assert len(await membership_changes(app, gold)) == 1

    # Ben's stage moves into the segment; Jana's tag is removed: one event each.
    await deliver(
        [
            updated(ben, 3, ["gold"], "customer", changed=("lifecycle_stage",)),
            updated(jana, 4, ["vip"]),
        ]
    )
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


def segment_statements(statements: list[str]) -> list[str]:
    return [s for s in statements if "segment_members" in s]


def followed() -> tuple[float, float]:
    """The counters of segments evaluated and skipped for events, as /metrics shows them."""
    evaluated = REGISTRY.get_sample_value("analytics_segments_evaluated_total")
    skipped = REGISTRY.get_sample_value("analytics_segments_skipped_total")
    return evaluated or 0.0, skipped or 0.0


async def test_a_run_costs_one_statement_for_all_segments_however_long_it_is(
    clean: None, deliver: Deliver, client: httpx.AsyncClient, app: FastAPI
) -> None:
    few = [uuid.uuid4() for _ in range(3)]
    many = [uuid.uuid4() for _ in range(300)]
    await deliver([contact(c, None) for c in few + many])
    gold = await saved(client, "gold", {"tags": ["gold"]})
    gold_leads = await saved(client, "gold leads", {"tags": ["gold"], "lifecycle_stage": ["lead"]})
    engine = app.state.runtime.engine

    with counted_statements(engine) as for_few:
        await deliver([updated(c, 2, ["gold"]) for c in few])
    with counted_statements(engine) as for_many:
        await deliver([updated(c, 2, ["gold"]) for c in many])

    assert len(for_many) == len(for_few)
    assert len(segment_statements(for_many)) == 1
    segment = (await client.get(f"/api/v1/analytics/segments/{gold}")).json()
    assert segment["members"] == len(few) + len(many)
    assert len(await membership_changes(app, gold)) == len(few) + len(many)
    assert await member_ids(client, gold_leads) == set()


async def test_a_change_no_segment_reads_evaluates_none(
    clean: None, deliver: Deliver, client: httpx.AsyncClient, app: FastAPI
) -> None:
    jana, ben = uuid.uuid4(), uuid.uuid4()
    await deliver([contact(jana, None), contact(ben, None)])
    vip = await saved(client, "vip", {"tags": ["vip"]})
    leads = await saved(client, "leads", {"lifecycle_stage": ["lead"]})
    assert await member_ids(client, vip) == {str(jana), str(ben)}
    engine = app.state.runtime.engine
    before = followed()

    # A new surname (and a tag list that is the same, so nobody may claim it changed).
    with counted_statements(engine) as statements:
        await deliver(
            [
                updated(jana, 2, ["vip"], last_name="Schulz", changed=("last_name",)),
                updated(ben, 2, ["vip"], last_name="Wolf", changed=("last_name", "email")),
            ]
        )
    assert segment_statements(statements) == []
    assert followed() == (before[0], before[1] + 2)
    assert len(await membership_changes(app, vip)) == 2

    # The stage is read by one of the two segments: it alone is evaluated, and moves Ben.
    before = followed()
    with counted_statements(engine) as statements:
        await deliver([updated(ben, 3, ["vip"], "lead", "Wolf", changed=("lifecycle_stage",))])
    assert len(segment_statements(statements)) == 1
    assert followed() == (before[0] + 1, before[1] + 1)
    assert await member_ids(client, leads) == {str(ben)}
    assert await membership_changes(app, leads) == [(str(ben), "out", "in")]
    assert len(await membership_changes(app, vip)) == 2


async def test_a_changed_acquisition_cost_moves_the_customer_in_a_net_value_segment(
    clean: None, deliver: Deliver, client: httpx.AsyncClient, app: FastAPI
) -> None:
    """Net value is computed from the acquisition cost, which no filter names itself."""
    jana = uuid.uuid4()
    await deliver([contact(jana, None)])
    costly = await saved(client, "costly", {"max_net_value": "-50.00"})
    assert await member_ids(client, costly) == set()

    await deliver([updated(jana, 2, ["vip"], changed=("acquisition_cost",), acquisition_cost="80")])

    assert await member_ids(client, costly) == {str(jana)}
    assert await membership_changes(app, costly) == [(str(jana), "out", "in")]


async def test_in_one_run_each_customer_is_evaluated_for_what_it_changed(
    clean: None, deliver: Deliver, client: httpx.AsyncClient, app: FastAPI
) -> None:
    """A run of a surname change of one customer and a tag change of another moves only the
    second; the first's older event in the run counts too (its snapshot carries it)."""
    jana, ben = uuid.uuid4(), uuid.uuid4()
    await deliver([contact(jana, None), contact(ben, None)])
    gold = await saved(client, "gold", {"tags": ["gold"]})

    await deliver(
        [
            updated(jana, 2, ["gold"]),
            updated(jana, 3, ["gold"], last_name="Schulz", changed=("last_name",)),
            updated(ben, 2, ["vip"], last_name="Wolf", changed=("last_name",)),
        ]
    )

    assert await member_ids(client, gold) == {str(jana)}
    assert await membership_changes(app, gold) == [(str(jana), "out", "in")]


async def test_each_segment_decides_only_on_the_customers_whose_change_it_reads(
    clean: None, deliver: Deliver, client: httpx.AsyncClient, app: FastAPI
) -> None:
    """One run, one statement, three customers each changed differently: a segment leaves
    alone the members whose change it does not read (Ben stays in vip though vip is
    evaluated in the same statement as his stage change), and a new customer is evaluated
    against every segment."""
    jana, ben, eva = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    await deliver([contact(jana, None), contact(ben, None)])
    vip = await saved(client, "vip", {"tags": ["vip"]})
    leads = await saved(client, "leads", {"lifecycle_stage": ["lead"]})
    assert await member_ids(client, vip) == {str(jana), str(ben)}
    engine = app.state.runtime.engine

    newcomer = contact(eva, None).model_copy(update={"lifecycle_stage": "lead"})
    with counted_statements(engine) as statements:
        await deliver(
            [
                updated(jana, 2, ["gold"]),
                updated(ben, 2, ["vip"], "lead", changed=("lifecycle_stage",)),
                newcomer,
            ]
        )

    assert len(segment_statements(statements)) == 1
    assert await member_ids(client, vip) == {str(ben), str(eva)}
    assert await member_ids(client, leads) == {str(ben), str(eva)}
    assert sorted(await membership_changes(app, vip)) == sorted(
        [
            (str(jana), "out", "in"),
            (str(ben), "out", "in"),
            (str(jana), "in", "out"),
            (str(eva), "out", "in"),
        ]
    )
    assert sorted(await membership_changes(app, leads)) == sorted(
        [(str(ben), "out", "in"), (str(eva), "out", "in")]
    )
