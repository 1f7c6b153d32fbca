"""Handlers of the events analytics-service learns from; each runs inside the inbox
transaction, and what it emits goes into the outbox in that transaction."""

from __future__ import annotations

import functools
import uuid
from collections.abc import Mapping, Set
from datetime import UTC, datetime, timedelta
from typing import Any

from prometheus_client import Counter
from pydantic import TypeAdapter
from sqlalchemy.ext.asyncio import AsyncSession

from analytics.adapters.activity import ActivityRepository
from analytics.adapters.churn import ChurnRepository
from analytics.adapters.erasure import ErasureRepository
from analytics.adapters.merge import MergeRepository
from analytics.adapters.products import ProductRepository
from analytics.adapters.repository import CustomerRepository
from analytics.adapters.segments_repository import SegmentRepository
from analytics.domain.event_rounds import rounds
from analytics.entrypoints.runtime_settings import AnalyticsSettingsStore
from analytics.service_layer.saved_segments import follow_changes
from analytics.settings import AnalyticsSettings
from treue.events.contracts import (
    ContactCreatedV1,
    ContactErasedV1,
    ContactMergedV1,
    ContactStateV1,
    ContactUpdatedV1,
    ContractCancelledV1,
    ContractCreatedV1,
    ContractRenewalDueV1,
    ContractRenewedV1,
    ContractStateV1,
    ContractUpdatedV1,
    CustomerChurnedV1,
    CustomerWonBackV1,
    FeedbackCaseUpdatedV1,
    InteractionLoggedV1,
    NpsResponseRecordedV1,
    OrderRecordedV1,
    ProductCreatedV1,
    ProductStateV1,
    ProductUpdatedV1,
)
from treue.events.envelope import CloudEvent
from treue.inbox import BatchHandler, Handler
from treue.outbox import OutboxStream
from treue.tables import BackboneTables

_ORDERS = TypeAdapter(list[OrderRecordedV1])
_INTERACTIONS = TypeAdapter(list[InteractionLoggedV1])
_RESPONSES = TypeAdapter(list[NpsResponseRecordedV1])

SEGMENTS_EVALUATED = Counter(
    "analytics_segments_evaluated_total",
    "Saved segments re-evaluated for the customers an event changed",
)
SEGMENTS_SKIPPED = Counter(
    "analytics_segments_skipped_total",
    "Saved segments not re-evaluated because their filters read none of the columns the"
    " event changed",
)


async def follow(segments: SegmentRepository, changes: Mapping[uuid.UUID, Set[str] | None]) -> None:
    followed = await follow_changes(segments, changes)
    SEGMENTS_EVALUATED.inc(followed.evaluated)
    SEGMENTS_SKIPPED.inc(followed.skipped)


async def on_contacts_changed(
    session: AsyncSession, events: list[CloudEvent], stream: OutboxStream
) -> None:
    """Created or updated contacts, a run at a time: the newest snapshot of each contact,
    then, for the customers that snapshot changed, the saved segments that read a column
    the run changed (tags, lifecycle stage, acquisition cost; every segment for a customer
    new here), in one statement for the whole run."""
    newest: dict[uuid.UUID, tuple[int, dict[str, object]]] = {}
    changed: dict[uuid.UUID, set[str] | None] = {}
    for event in events:
        contact, became_contact_at, fields = _contact(event)
        held = newest.get(contact.contact_id)
        if held is None or held[0] < contact.version:
            row = {**_snapshot(contact), "became_contact_at": became_contact_at}
            newest[contact.contact_id] = (contact.version, row)
        # Every event's fields, older ones of the run too: the snapshot written carries
        # all their changes. A replayed older event only widens what is evaluated.
        known = changed.get(contact.contact_id, set())
        changed[contact.contact_id] = None if known is None or fields is None else known | fields
    customers = CustomerRepository(session)
    upserted = await customers.upsert_newer([row for _, row in newest.values()])
    if upserted.new:
        # Orders or interactions of these contacts may have arrived before the contacts did.
        await customers.refresh_value(upserted.new)
    changes = {c: None if c in upserted.new else changed[c] for c in upserted.written}
    await follow(SegmentRepository(session, stream), changes)


def _contact(event: CloudEvent) -> tuple[ContactStateV1, datetime, set[str] | None]:
    """The contact's state, when it became or changed, and the fields that changed (None
    for a created contact: all of them)."""
    if event.type == ContactCreatedV1.event_type:
        created = ContactCreatedV1.model_validate(event.data)
        return created, created.created_at, None
    updated = ContactUpdatedV1.model_validate(event.data)
    return updated, updated.updated_at, set(updated.changed_fields)


def _snapshot(contact: ContactStateV1) -> dict[str, object]:
    state = contact.model_dump(exclude={"version"}, include=set(ContactStateV1.model_fields))
    return {**state, "contact_version": contact.version}


async def on_orders_recorded(session: AsyncSession, events: list[CloudEvent]) -> None:
    """A run of recorded orders in one statement, whatever its length (bench/README.md:
    one order at a time was two compiled statements per event). The run is validated
    against the contract in one call; the payloads themselves go to the statement, which
    costs less than building rows from the models."""
    payloads = [event.data for event in events]
    first: dict[uuid.UUID, Mapping[str, Any]] = {}
    for order, payload in zip(_ORDERS.validate_python(payloads), payloads, strict=True):
        first.setdefault(order.order_id, payload)
    await ActivityRepository(session).record_orders(first)


async def on_products_changed(session: AsyncSession, events: list[CloudEvent]) -> None:
    """Created or updated products, a run at a time: the newest name of each (offers and
    margins name products by it)."""
    newest: dict[uuid.UUID, ProductStateV1] = {}
    for event in events:
        kind = ProductCreatedV1 if event.type == ProductCreatedV1.event_type else ProductUpdatedV1
        product = kind.model_validate(event.data)
        held = newest.get(product.product_id)
        if held is None or held.version < product.version:
            newest[product.product_id] = product
    await ProductRepository(session).keep_newer(
        [p.model_dump(include={"product_id", "version", "sku", "name"}) for p in newest.values()]
    )


# What a churn-risk signal changes in the customer's row: the score (and when it churned or
# was won back, which no segment reads).
RISK = frozenset({"churn_risk", "churn_drivers", "churn_alerted", "churned_at", "won_back_at"})

CONTRACT_EVENTS = (
    ContractCreatedV1,
    ContractUpdatedV1,
    ContractRenewedV1,
    ContractCancelledV1,
    ContractRenewalDueV1,
)
CONTRACT_TYPES: dict[str, type[ContractStateV1]] = {c.event_type: c for c in CONTRACT_EVENTS}


def event_handlers(
    settings: AnalyticsSettings, tables: BackboneTables, store: AnalyticsSettingsStore
) -> dict[str, Handler]:
    """The churn-risk signals re-score their customer at once and re-evaluate the customer's
    segment memberships (the crossing and the changes are announced from the same
    transaction), as contact data and merges re-evaluate theirs; the population-wide
    classes wait for the recompute. The churn-risk
    threshold is the one in force (run-time settings, cached a few seconds)."""
    stream = OutboxStream(tables.outbox, settings.service_name, settings.topic("analytics"))

    async def reassess_all(
        session: AsyncSession, changes: Mapping[uuid.UUID, Set[str] | None]
    ) -> None:
        """These customers' churn risk now, and the segments that read it or the other
        columns each one's signal changed (None: any column, as after a merge)."""
        if not changes:
            return
        model = (await store.current(session)).churn_model()
        parameters = model.parameters(datetime.now(UTC))
        await ChurnRepository(session, stream).assess(parameters, list(changes))
        await follow(SegmentRepository(session, stream), changes)

    async def reassess(
        session: AsyncSession, contact_id: uuid.UUID, changed: Set[str] | None = RISK
    ) -> None:
        await reassess_all(session, {contact_id: changed})

    async def on_interactions_logged(session: AsyncSession, events: list[CloudEvent]) -> None:
        """A run of logged interactions, a round at a time (domain/event_rounds.py): the
        round's new interactions and their service costs in one statement, then one
        re-assessment of the customers whose negative interaction closed the round for them,
        so they pass through the states (and announce the crossings) of one by one. An
        interaction seen before adds nothing but is re-assessed as one by one."""
        payloads = [event.data for event in events]
        logged = _INTERACTIONS.validate_python(payloads)
        steps = [([i.contact_id, i.interaction_id], i.sentiment == "negative") for i in logged]
        seen: set[uuid.UUID] = set()
        activity = ActivityRepository(session)
        for positions in rounds(steps):
            new = []
            for position in positions:
                if logged[position].interaction_id not in seen:
                    seen.add(logged[position].interaction_id)
                    new.append(payloads[position])
            if new:
                await activity.record_interactions(new)
            negative = {logged[p].contact_id for p in positions if steps[p][1]}
            await reassess_all(session, dict.fromkeys(negative, RISK | {"service_cost"}))

    async def on_contract_changed(session: AsyncSession, event: CloudEvent) -> None:
        contract = CONTRACT_TYPES[event.type].model_validate(event.data)
        row = contract.model_dump(
            include={"contract_id", "contact_id", "version", "status", "end_date", "auto_renew"}
        )
        notice_date = contract.end_date - timedelta(days=contract.notice_period_days)
        await ChurnRepository(session, stream).keep_contract(row | {"notice_date": notice_date})
        await reassess(session, contract.contact_id)

    async def on_responses_recorded(session: AsyncSession, events: list[CloudEvent]) -> None:
        """A run of NPS answers, a round at a time (domain/event_rounds.py): each customer
        and each answer at most once a round, kept in one statement by the revision rule,
        then one re-assessment of the round's customers, so that an answer edited within the
        run passes through the states (and announces the crossings) of one by one."""
        payloads = [event.data for event in events]
        answers = _RESPONSES.validate_python(payloads)
        churn = ChurnRepository(session, stream)
        for positions in rounds([([a.contact_id, a.response_id], True) for a in answers]):
            await churn.keep_responses([payloads[p] for p in positions])
            await reassess_all(
                session, dict.fromkeys((answers[p].contact_id for p in positions), RISK)
            )

    async def on_case_updated(session: AsyncSession, event: CloudEvent) -> None:
        case = FeedbackCaseUpdatedV1.model_validate(event.data)
        await ChurnRepository(session, stream).keep_case(
            case.model_dump(
                include={
                    "feedback_case_id",
                    "contact_id",
                    "status",
                    "due_at",
                    "opened_at",
                    "resolved_at",
                    "updated_at",
                }
            )
        )

    async def on_churned(session: AsyncSession, event: CloudEvent) -> None:
        churned = CustomerChurnedV1.model_validate(event.data)
        await ChurnRepository(session, stream).mark_churned(
            churned.contact_id, churned.churned_at, churned.reason
        )
        await reassess(session, churned.contact_id)

    async def on_won_back(session: AsyncSession, event: CloudEvent) -> None:
        won_back = CustomerWonBackV1.model_validate(event.data)
        await ChurnRepository(session, stream).mark_won_back(
            won_back.contact_id, won_back.won_back_at
        )
        await reassess(session, won_back.contact_id)

    async def on_erased(session: AsyncSession, event: CloudEvent) -> None:
        erased = ContactErasedV1.model_validate(event.data)
        await ErasureRepository(session).erase(erased.contact_id, erased.erased_at)

    async def on_merged(session: AsyncSession, event: CloudEvent) -> None:
        """The duplicate's history counts for the survivor: its value from all the orders
        and service costs, its risk and segments from all the signals. The duplicate leaves
        its segments without an event (as on erasure): survey-service moves its memberships
        itself, and the survivor's re-evaluation announces what differs from the union.
        Should the survivor's row not be here yet, its contact event refreshes the value."""
        merged = ContactMergedV1.model_validate(event.data)
        await MergeRepository(session).merge(merged.duplicate_id, merged.contact_id)
        await CustomerRepository(session).refresh_value({merged.contact_id})
        await reassess(session, merged.contact_id, changed=None)

    contacts_changed = BatchHandler(functools.partial(on_contacts_changed, stream=stream))
    products_changed = BatchHandler(on_products_changed)
    return {
        ProductCreatedV1.event_type: products_changed,
        ProductUpdatedV1.event_type: products_changed,
        ContactCreatedV1.event_type: contacts_changed,
        ContactUpdatedV1.event_type: contacts_changed,
        OrderRecordedV1.event_type: BatchHandler(on_orders_recorded),
        InteractionLoggedV1.event_type: BatchHandler(on_interactions_logged),
        NpsResponseRecordedV1.event_type: BatchHandler(on_responses_recorded),
        FeedbackCaseUpdatedV1.event_type: on_case_updated,
        CustomerChurnedV1.event_type: on_churned,
        CustomerWonBackV1.event_type: on_won_back,
        ContactErasedV1.event_type: on_erased,
        ContactMergedV1.event_type: on_merged,
        **dict.fromkeys(CONTRACT_TYPES, on_contract_changed),
    }
