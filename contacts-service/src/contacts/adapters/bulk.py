"""Set-based writes of a bulk import's new rows: one COPY into a staging table, one
INSERT … SELECT into the table and one INSERT … SELECT of their events into the outbox,
all in the caller's transaction. Events are built in SQL from the staged rows, or, where
the domain made them (orders and their follow-up tasks), copied as they are."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from operator import itemgetter
from typing import Any

import asyncpg
from sqlalchemy import ColumnElement, Table, TableClause, Text, cast, column, func, select, table
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.ext.asyncio import AsyncSession

from treue.events.contracts import EventContract
from treue.outbox import OutboxStream

# The event's payload (in the contract's shape) from a staged row; the staging table has
# the target's columns plus `row`, the file's order.
EventData = Callable[[TableClause], ColumnElement[Any]]


def json_object(fields: dict[str, ColumnElement[Any]]) -> ColumnElement[Any]:
    """An event payload built in SQL, in the shape of its contract."""
    return func.jsonb_build_object(*(part for item in fields.items() for part in item), type_=JSONB)


def staging_of(target: Table) -> TableClause:
    return table(f"import_{target.name}", *(column(c.name) for c in target.columns), column("row"))


async def driver_connection(session: AsyncSession) -> asyncpg.Connection:
    connection = (await (await session.connection()).get_raw_connection()).driver_connection
    assert connection is not None
    return connection


async def insert_with_events(
    session: AsyncSession,
    target: Table,
    rows: Sequence[dict[str, Any]],
    outbox: OutboxStream,
    contract: type[EventContract],
    event_data: EventData,
) -> None:
    """Writes `rows` (every column of `target`, in file order) and one `contract` event
    each, subject `contact_id` or else `id`. An IntegrityError (a unique value taken
    meanwhile) propagates for the caller to name."""
    if not rows:
        return
    staging, connection = await _staged(session, target, rows)
    await _insert_staged(session, target, staging)
    subject = staging.c.contact_id if "contact_id" in staging.c else staging.c.id
    events = select(
        cast(subject, Text).label("subject"), event_data(staging).label("data")
    ).order_by(staging.c.row)
    await outbox.publish_from(session, contract, events.subquery())
    await connection.execute(f"DROP TABLE {staging.name}")


async def insert_rows(session: AsyncSession, target: Table, rows: Sequence[dict[str, Any]]) -> None:
    """Writes `rows` (every column of `target`) in their order: one COPY, one INSERT … SELECT.
    An IntegrityError propagates for the caller to name."""
    if not rows:
        return
    staging, connection = await _staged(session, target, rows)
    await _insert_staged(session, target, staging)
    await connection.execute(f"DROP TABLE {staging.name}")


async def publish_all(
    session: AsyncSession, outbox: OutboxStream, events: Sequence[tuple[str, EventContract]]
) -> None:
    """Writes (subject, event) pairs into the outbox in their order, as the domain made them:
    per event type one COPY into a staging table and one INSERT … SELECT."""
    by_type: dict[type[EventContract], list[tuple[int, str, EventContract]]] = {}
    for n, (subject, event) in enumerate(events):
        by_type.setdefault(type(event), []).append((n, subject, event))
    connection = await driver_connection(session)
    for contract, typed in by_type.items():
        await connection.execute(
            "CREATE TEMP TABLE import_events (subject text, data jsonb, row integer) ON COMMIT DROP"
        )
        await connection.copy_records_to_table(
            "import_events",
            records=[(subject, event.model_dump_json(), n) for n, subject, event in typed],
            columns=["subject", "data", "row"],
        )
        staged = table("import_events", column("subject"), column("data"), column("row"))
        in_order = select(staged.c.subject, staged.c.data).order_by(staged.c.row)
        await outbox.publish_from(session, contract, in_order.subquery())
        await connection.execute("DROP TABLE import_events")


async def _staged(
    session: AsyncSession, target: Table, rows: Sequence[dict[str, Any]]
) -> tuple[TableClause, asyncpg.Connection]:
    """`rows` copied into a temporary table shaped like `target`, plus `row`, their order."""
    staging = staging_of(target)
    names = [c.name for c in target.columns]
    # A batch has thousands of rows: the values are taken in one call per row, and only
    # the JSON columns are touched one by one.
    values_of = itemgetter(*names)
    json_at = [i for i, c in enumerate(target.columns) if isinstance(c.type, JSONB)]
    records = []
    for n, row in enumerate(rows):
        values = [*values_of(row), n]
        for i in json_at:
            values[i] = _json_text(values[i])
        records.append(values)
    connection = await driver_connection(session)
    await connection.execute(
        f"CREATE TEMP TABLE {staging.name} (LIKE {target.name} INCLUDING DEFAULTS,"
        " row integer) ON COMMIT DROP"
    )
    await connection.copy_records_to_table(staging.name, records=records, columns=[*names, "row"])
    return staging, connection


def _json_text(value: Any) -> str:
    # Most imported rows have no custom fields; encoding `{}` costs as much as a column.
    return "{}" if value == {} else json.dumps(value)


async def _insert_staged(session: AsyncSession, target: Table, staging: TableClause) -> None:
    names = [c.name for c in target.columns]
    in_order = select(*(staging.c[name] for name in names)).order_by(staging.c.row)
    await session.execute(target.insert().from_select(names, in_order))
