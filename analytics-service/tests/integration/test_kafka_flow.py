"""Events in and out through a real Kafka broker: contact, contract and NPS events consumed
from the contacts and surveys topics, customer.churn_risk and segment.changed relayed from
the outbox to the analytics topic, by the service's own background loops; a merge keyed by
the duplicate's id, after the duplicate's events on its partition; a tag change moving a
contact into and out of a saved segment."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime

import httpx
import pytest
from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from asgi_lifespan import LifespanManager
from sqlalchemy import func, select

from analytics.main import create_app
from analytics.settings import AnalyticsSettings
from treue.events.contracts import (
    ContactMergedV1,
    ContactUpdatedV1,
    CustomerChurnRiskV1,
    EventContract,
    SegmentChangedV1,
)
from treue.events.envelope import CloudEvent
from treue.kafka import make_producer
from treue.testing import eventually, identity_headers, read_topic

from .conftest import event_of
from .test_customer_value import contact, order
from .test_saved_segments import at_risk, member_ids
from .test_segments_follow_contacts import updated


@pytest.fixture
async def settings(database_url: str) -> AsyncIterator[AnalyticsSettings]:
    run = uuid.uuid4().hex[:10]
    settings = AnalyticsSettings(
        service_name=f"analytics-test-{run}",
        database_url=database_url,
        topic_prefix=f"test-{run}",
        clv_fit_every_hours=0,
        associations_every_hours=0,
    )
    topics = [settings.topic(owner) for owner in ("contacts", "surveys", "analytics")]
    admin = AIOKafkaAdminClient(bootstrap_servers=settings.kafka_bootstrap_servers)
    await admin.start()
    try:
        await admin.create_topics(
            [NewTopic(t, num_partitions=3, replication_factor=1) for t in topics]
        )
        yield settings
        await admin.delete_topics(topics)
    finally:
        await admin.close()


async def publish(
    settings: AnalyticsSettings, owner: str, contracts: list[EventContract | CloudEvent]
) -> None:
    """Contracts about one contact go under its id; CloudEvents as they are."""
    producer = make_producer(settings)
    await producer.start()
    try:
        for contract in contracts:
            event = (
                contract
                if isinstance(contract, CloudEvent)
                else event_of(contract, str(contract.contact_id))  # type: ignore[attr-defined]
            )
            await producer.send_and_wait(
                settings.topic(owner),
                value=event.kafka_value(),
                key=event.kafka_key(),
                headers=event.kafka_headers(),
            )
    finally:
        await producer.stop()


async def test_events_in_from_kafka_and_out_to_kafka(
    clean: None, settings: AnalyticsSettings
) -> None:
    jana = uuid.uuid4()
    cancelled, detractor = at_risk(jana)
    app = create_app(settings)
    async with LifespanManager(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(
            transport=transport, base_url="http://analytics", headers=identity_headers()
        ) as client:
            await publish(
                settings, "contacts", [contact(jana, None), order(jana, "99.00", "9.00", 1)]
            )
            await publish(settings, "contacts", [cancelled])
            await publish(settings, "surveys", [detractor])

            async def scored() -> bool:
                found = await client.get(f"/api/v1/analytics/customers/{jana}")
                return found.status_code == 200 and found.json()["churn_risk"] == 0.7

            await eventually(scored, message="the events were consumed and scored")
            assert (await client.post("/api/v1/analytics/segments/recompute")).status_code == 202

            records = await read_topic(
                settings.kafka_bootstrap_servers, settings.topic("analytics"), expected=2
            )
    events = [CloudEvent.from_kafka(r.headers, r.value) for r in records]
    assert {e.type for e in events} == {CustomerChurnRiskV1.event_type, SegmentChangedV1.event_type}
    assert all(r.key == str(jana).encode() for r in records)
    for event in events:
        assert event.source == settings.service_name
        assert event.subject == str(jana)
        if event.type == CustomerChurnRiskV1.event_type:
            risk = CustomerChurnRiskV1.model_validate(event.data)
            assert (risk.score, risk.drivers) == (0.7, ["contract_cancelled", "detractor"])
        else:
            change = SegmentChangedV1.model_validate(event.data)
            assert (change.kind, change.previous, change.current) == ("abc", None, "A")


async def test_a_merge_from_kafka_adds_the_duplicates_orders_to_the_survivor(
    clean: None, settings: AnalyticsSettings
) -> None:
    jana, duplicate = uuid.uuid4(), uuid.uuid4()
    merge = ContactMergedV1(contact_id=jana, duplicate_id=duplicate, merged_at=datetime.now(UTC))
    app = create_app(settings)
    async with LifespanManager(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(
            transport=transport, base_url="http://analytics", headers=identity_headers()
        ) as client:
            await publish(settings, "contacts", [contact(jana, None), contact(duplicate, None)])
            await publish(
                settings,
                "contacts",
                [order(jana, "99.00", "9.00", 1), order(duplicate, "50.00", "5.00", 2)],
            )
            await publish(settings, "contacts", [event_of(merge, str(duplicate))])

            async def merged() -> bool:
                survivor = await client.get(f"/api/v1/analytics/customers/{jana}")
                gone = await client.get(f"/api/v1/analytics/customers/{duplicate}")
                return (
                    survivor.status_code == 200
                    and (survivor.json()["revenue"], survivor.json()["orders"]) == ("149.00", 2)
                    and gone.status_code == 404
                )

            await eventually(merged, message="the merge was consumed")


async def test_a_tag_change_from_kafka_moves_the_contact_in_and_out_of_a_segment(
    clean: None, settings: AnalyticsSettings
) -> None:
    jana = uuid.uuid4()
    app = create_app(settings)
    async with LifespanManager(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(
            transport=transport, base_url="http://analytics", headers=identity_headers()
        ) as client:

            async def consumed(version: ContactUpdatedV1, members: set[str]) -> None:
                await publish(settings, "contacts", [version])

                async def arrived() -> bool:
                    found = (await client.get(f"/api/v1/analytics/customers/{jana}")).json()
                    return (found.get("tags"), found.get("lifecycle_stage")) == (
                        version.tags,
                        version.lifecycle_stage,
                    ) and await member_ids(client, segment_id) == members

                await eventually(arrived, message=f"version {version.version} was consumed")

            await publish(settings, "contacts", [contact(jana, None)])
            created = await client.post(
                "/api/v1/analytics/segments", json={"name": "gold", "filters": {"tags": ["gold"]}}
            )
            segment_id = created.json()["id"]
            await consumed(updated(jana, 2, ["vip", "gold"]), {str(jana)})
            await consumed(updated(jana, 3, ["gold", "vip"], "lead"), {str(jana)})
            await consumed(updated(jana, 4, ["vip"], "lead"), set())
            records = await read_topic(
                settings.kafka_bootstrap_servers, settings.topic("analytics"), expected=2
            )
            outbox = app.state.runtime.tables.outbox
            async with app.state.runtime.session_factory() as session:
                announced = await session.scalar(
                    select(func.count()).where(outbox.c.event_type == SegmentChangedV1.event_type)
                )
    moves = [
        SegmentChangedV1.model_validate(CloudEvent.from_kafka(r.headers, r.value).data)
        for r in records
    ]
    assert [(m.contact_id, m.segment_id, m.previous, m.current) for m in moves] == [
        (jana, uuid.UUID(segment_id), "out", "in"),
        (jana, uuid.UUID(segment_id), "in", "out"),
    ]
    # The update that left the membership as it was announced nothing.
    assert announced == 2
