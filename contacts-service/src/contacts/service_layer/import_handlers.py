"""Bulk import as a background job: the upload is stored in chunks and a job is queued; the
job reads the file record by record and writes it in batches, each batch in one unit of
work with its events, its error rows and how far the import got (so a restarted job goes
on after the last committed batch and nothing is imported twice). The next batch is read
and checked in a worker thread while the database writes the one before; so is each
contacts row made into the new contact it becomes if it turns out fresh. Two contacts
batches that name no common e-mail or external id are written at once, on two
connections, and committed in file order (`import_writers`).

Dedup: a contact row whose `external_id` or e-mail (any case) matches a contact UPDATES
that contact with the row's non-empty fields (a changed contact emits contact.updated, an
unchanged one counts as skipped). An order whose `external_id` is recorded already is
SKIPPED, as posting it again would be. Interactions carry no identity and are added.

Writes are set-based: a batch's new contacts, orders (with lines and follow-up tasks) and
interactions go in with one COPY and one INSERT … SELECT each, their events likewise
into the outbox, in the batch's transaction.
"""

from __future__ import annotations

import asyncio
import codecs
import io
import itertools
import tempfile
import uuid
from collections.abc import Awaitable, Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field, fields
from datetime import UTC, datetime
from typing import IO, Any

from contacts.domain.custom_fields import CustomField, check_custom_fields
from contacts.domain.imports import (
    ImportCounts,
    ImportFormat,
    ImportKind,
    Record,
    RowError,
    check_columns,
    contact_keys,
    csv_header,
    email_key,
    parse_fields,
    read_records,
    split_fresh,
)
from contacts.domain.interactions import new_interaction_fields
from contacts.domain.model import Contact, new_contact_fields
from contacts.domain.orders import LineRequest, Order
from contacts.domain.rules import RuleViolated
from contacts.domain.tasks import Task
from contacts.service_layer.errors import rule_problem
from contacts.service_layer.events import to_contract
from contacts.service_layer.import_writers import BatchKeys, BatchWriters, Turn
from contacts.service_layer.order_handlers import follow_up_task
from contacts.service_layer.unit_of_work import ContactsUnitOfWork
from treue.events.contracts import EventContract
from treue.identity import Identity
from treue.jobs import JobRead
from treue.problems import Problem, ValidationFailed

IMPORT_JOB = "contacts.import"
SYSTEM = Identity(subject="system", kind="system")
CHUNK_BYTES = 1024 * 1024

Read = Callable[[int], Awaitable[bytes]]
UowFactory = Callable[[], ContactsUnitOfWork]
Report = Callable[[float], Awaitable[None]]


@dataclass(frozen=True)
class StartImport:
    kind: ImportKind
    fmt: ImportFormat
    filename: str | None
    read: Read
    actor: Identity
    max_bytes: int


@dataclass(frozen=True)
class RunImport:
    job_id: uuid.UUID
    # Who started the import: its rows may set owners only as that caller may.
    actor: Identity
    batch_size: int = 5000
    follow_up_after_days: int = 14


def actor_params(actor: Identity) -> dict[str, Any]:
    """What the job keeps of its caller to apply the caller's rules when it runs."""
    return actor.model_dump(include={"subject", "kind", "role"})


def actor_of(params: dict[str, Any]) -> Identity:
    """The caller who queued the job; jobs queued before callers were kept ran as the system."""
    actor = params.get("actor")
    return Identity.model_validate(actor) if actor else SYSTEM


class PayloadTooLarge(Problem):
    status, slug, title = 413, "payload-too-large", "Payload too large"


async def start_import(command: StartImport, uow: ContactsUnitOfWork) -> JobRead:
    """Stores the upload and queues its job, in one transaction: a job never runs without
    its whole file. The file must be UTF-8 and a CSV's header must name known columns."""
    async with uow:
        actor = command.actor
        params = {"kind": command.kind, "format": command.fmt, "actor": actor_params(actor)}
        job = await uow.jobs.add(IMPORT_JOB, params, actor.subject)
        await uow.imports.create(job.id, command.kind, command.fmt, command.filename, actor.name)
        decoder = codecs.getincrementaldecoder("utf-8")()
        size = 0
        for seq in itertools.count():
            chunk = await command.read(CHUNK_BYTES)
            if not chunk:
                break
            if seq == 0 and command.fmt is ImportFormat.CSV:
                _check_header(command.kind, chunk)
            try:
                decoder.decode(chunk)
            except UnicodeDecodeError as error:
                raise ValidationFailed(
                    "file", f"is not UTF-8 text (byte {size + error.start})"
                ) from error
            size += len(chunk)
            if size > command.max_bytes:
                raise PayloadTooLarge(f"the file may have at most {command.max_bytes} bytes")
            await uow.imports.add_chunk(job.id, seq, chunk)
        if size == 0:
            raise ValidationFailed("file", "is empty")
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError as error:
            raise ValidationFailed("file", "ends inside a UTF-8 character") from error
        await uow.imports.set_size(job.id, size)
        await uow.commit()
        return job


def _check_header(kind: ImportKind, first_chunk: bytes) -> None:
    first_line = first_chunk.split(b"\n", 1)[0].decode("utf-8-sig", errors="replace")
    try:
        check_columns(kind, csv_header(first_line))
    except RuleViolated as error:
        raise rule_problem(error) from error


@dataclass
class _Progress:
    size: int
    read: int = 0

    def lines(self, text: IO[str]) -> Iterator[str]:
        for line in text:
            self.read += len(line)
            yield line

    @property
    def fraction(self) -> float:
        return min(self.read / self.size, 0.99) if self.size else 0.0


async def run_import(command: RunImport, uow_factory: UowFactory, report: Report) -> dict[str, Any]:
    async with uow_factory() as uow:
        state = await uow.imports.state(command.job_id)
    if state is None:
        raise RuntimeError(f"import {command.job_id} has no state")
    kind, fmt, counts = ImportKind(state.kind), ImportFormat(state.format), state.counts
    done = state.records_done
    with tempfile.TemporaryFile() as spool:
        await _spool(command.job_id, uow_factory, spool)
        text = io.TextIOWrapper(spool, encoding="utf-8-sig", newline="")
        progress = _Progress(state.size_bytes)
        records = itertools.islice(read_records(progress.lines(text), fmt), done, None)
        batches = _batches(records, command.batch_size, kind)
        read = done

        def read_next() -> _Batch | None:
            nonlocal read
            records = next(batches, None)
            if records is None:
                return None
            read += len(records)
            return _Batch.of(kind, records, progress.fraction, command.actor, read)

        async def write(batch: _Batch, turn: Turn) -> ImportCounts:
            return await _import_batch(command, kind, batch, uow_factory, turn)

        async def settled(batch: _Batch) -> None:
            await report(batch.fraction)

        async def keys(batch: _Batch) -> BatchKeys:
            return batch.keys

        writers = BatchWriters(write, keys, counts, settled)
        upcoming = asyncio.ensure_future(asyncio.to_thread(read_next))
        try:
            while (batch := await upcoming) is not None:
                upcoming = asyncio.ensure_future(asyncio.to_thread(read_next))
                await writers.add(batch)
                done = batch.records_done
            counts = await writers.finish()
        finally:
            await writers.close()
            # The thread cannot be stopped: let it finish before the file closes.
            await asyncio.wait([upcoming])
    async with uow_factory() as uow:
        await uow.imports.drop_file(command.job_id)
        await uow.commit()
    return {"records": done, **{f.name: getattr(counts, f.name) for f in fields(counts)}}


async def _spool(job_id: uuid.UUID, uow_factory: UowFactory, spool: IO[bytes]) -> None:
    async with uow_factory() as uow:
        for seq in itertools.count():
            chunk = await uow.imports.chunk(job_id, seq)
            if chunk is None:
                break
            spool.write(chunk)
    spool.seek(0)


def _batches(
    records: Iterable[Record | RowError], size: int, kind: ImportKind
) -> Iterator[list[Record | RowError]]:
    """Batches of about `size`; the rows of one order (the same external_id, one after the
    other) always land in one batch."""
    batch: list[Record | RowError] = []
    for record in records:
        if len(batch) >= size and not (
            kind is ImportKind.ORDERS and _order_key(batch[-1]) == _order_key(record)
        ):
            yield batch
            batch = []
        batch.append(record)
    if batch:
        yield batch


def _order_key(record: Record | RowError) -> object:
    if isinstance(record, RowError):
        return None
    external_id = record.values.get("external_id")
    return str(external_id).strip() if external_id else ("row", record.row)


async def _import_batch(
    command: RunImport,
    kind: ImportKind,
    batch: _Batch,
    uow_factory: UowFactory,
    turn: Turn,
) -> ImportCounts:
    """One batch in one transaction, with its events, its error rows and how far the import
    got (`records_done` after it), so a restart never imports a committed batch again. It
    commits after the batch ahead (see `BatchWriters`). A lost race on a unique value
    (someone created the same contact meanwhile) answers Conflict: the writers try the
    batch again, and the second try finds that contact. Answers the new totals."""
    counts = ImportCounts()
    async with uow_factory() as uow:
        importer = _IMPORTERS[kind]
        errors = await importer(batch, uow, counts, command, turn)
        counts.failed += len({error.row for error in errors})
        await uow.imports.add_errors(command.job_id, errors)
        new_totals = (await turn.totals_before()).plus(counts)
        await uow.imports.advance(command.job_id, batch.records_done, new_totals)
        await uow.commit()
        return new_totals


@dataclass
class _Parsed:
    rows: list[tuple[int, dict[str, Any]]] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)


@dataclass(frozen=True)
class _NewContact:
    """A contacts row made into a new contact ahead of its batch's transaction, except for
    its custom fields, which are checked against the definitions that transaction reads.
    A row with several faults names the first in the order of the checks: the owner
    (`owner_refused`), the custom fields, then the contact's rules (`rules_refused`)."""

    fields: dict[str, Any]
    owner_refused: RowError | None = None
    rules_refused: RowError | None = None


@dataclass(frozen=True)
class _Batch:
    """Records of the file, their fields checked, how far into the file they end, and for
    a contacts import each row made into a new contact (used if it turns out fresh) and
    the keys its rows name (see `BatchWriters`): their external ids and ASCII e-mails in
    lower case; the other e-mails as they are, for Postgres to lower."""

    records: list[Record | RowError]
    checked: _Parsed
    fraction: float
    # The file's records up to the end of this batch.
    records_done: int
    new_contacts: dict[int, _NewContact] = field(default_factory=dict)
    keys: BatchKeys = None

    @classmethod
    def of(
        cls,
        kind: ImportKind,
        records: list[Record | RowError],
        fraction: float,
        actor: Identity,
        records_done: int,
    ) -> _Batch:
        checked = _Parsed()
        for item in records:
            if isinstance(item, RowError):
                checked.errors.append(item)
                continue
            try:
                checked.rows.append((item.row, parse_fields(kind, item)))
            except RuleViolated as error:
                checked.errors.append(RowError.of(item.row, error))
        if kind is not ImportKind.CONTACTS:
            return cls(records, checked, fraction, records_done)
        now = datetime.now(UTC)
        new_contacts = {row: _new_contact(row, values, now, actor) for row, values in checked.rows}
        keys = frozenset(
            key
            for _, values in checked.rows
            for key in contact_keys(values.get("email"), values.get("external_id"))
        )
        return cls(records, checked, fraction, records_done, new_contacts, keys)

    def parsed(self) -> _Parsed:
        """A copy to add errors to: a batch tried again starts from its checked rows."""
        return _Parsed(list(self.checked.rows), list(self.checked.errors))


def _new_contact(row: int, values: dict[str, Any], now: datetime, actor: Identity) -> _NewContact:
    try:
        _check_owner(actor, None, values)
    except RuleViolated as error:
        return _NewContact({}, owner_refused=RowError.of(row, error))
    try:
        return _NewContact(new_contact_fields(now, {"first_name": "", "last_name": "", **values}))
    except RuleViolated as error:
        return _NewContact({}, rules_refused=RowError.of(row, error))


def _new_row(
    row: int, values: dict[str, Any], new: _NewContact, definitions: Mapping[str, CustomField]
) -> dict[str, Any] | RowError:
    """The fresh row's new contact with its custom fields checked, or the row's first
    fault in the order of the checks: the owner, the custom fields, the contact's rules."""
    if new.owner_refused is not None:
        return new.owner_refused
    try:
        custom = check_custom_fields(values.get("custom_fields", {}), definitions)
    except RuleViolated as error:
        return RowError.of(row, error)
    return new.rules_refused or {**new.fields, "custom_fields": custom}


def _publish(uow: ContactsUnitOfWork, contact_id: uuid.UUID, events: Iterable[Any]) -> None:
    for event in events:
        uow.publish(to_contract(event), subject=str(contact_id))


class _ContactIndex:
    """The batch's contacts by lower-case e-mail and by external id, new ones included."""

    def __init__(self, contacts: Iterable[Contact]) -> None:
        self.by_email: dict[str, Contact] = {}
        self.by_external_id: dict[str, Contact] = {}
        for contact in contacts:
            self.add(contact)

    def add(self, contact: Contact) -> None:
        if contact.email:
            self.by_email[email_key(contact.email)] = contact
        if contact.external_id:
            self.by_external_id[contact.external_id] = contact

    def forget(self, contact: Contact) -> None:
        """Before a change: the e-mail or external id it gives up must find it no more."""
        if contact.email and self.by_email.get(email_key(contact.email)) is contact:
            del self.by_email[email_key(contact.email)]
        if contact.external_id and self.by_external_id.get(contact.external_id) is contact:
            del self.by_external_id[contact.external_id]

    def find(self, email: str | None, external_id: str | None) -> Contact | None:
        by_id = self.by_external_id.get(external_id) if external_id else None
        by_email = self.by_email.get(email_key(email)) if email else None
        if by_id and by_email and by_id is not by_email:
            raise RuleViolated(
                "email", "belongs to another contact than the external_id", "already_used"
            )
        return by_id or by_email

    def referenced(self, values: dict[str, Any]) -> Contact:
        """The contact an order or interaction row names."""
        external_id, email = values.get("contact_external_id"), values.get("contact_email")
        contact = self.find(email, external_id)
        if contact is None:
            name = "contact_external_id" if external_id else "contact_email"
            raise RuleViolated(name, "no contact with this value", "not_found")
        return contact


async def _import_contacts(
    batch: _Batch,
    uow: ContactsUnitOfWork,
    counts: ImportCounts,
    command: RunImport,
    turn: Turn,
) -> list[RowError]:
    """The batch's fresh rows (see `split_fresh`) are written set-based with their events;
    the rows that update a contact or repeat one of the batch go one by one after them."""
    parsed = batch.parsed()
    existing = await _matching(uow, parsed.rows)
    turn.locked.set()
    definitions = await uow.custom_fields.all()
    now = datetime.now(UTC)
    taken = {
        key for contact in existing for key in contact_keys(contact.email, contact.external_id)
    }
    fresh, rest = split_fresh(parsed.rows, taken)
    new_rows: list[dict[str, Any]] = []
    for row, values in fresh:
        made = _new_row(row, values, batch.new_contacts[row], definitions)
        if isinstance(made, RowError):
            parsed.errors.append(made)
        else:
            new_rows.append(made)
    await uow.contacts.insert_new_rows(new_rows)
    counts.created += len(new_rows)
    if rest:
        # Found again now: a rest row may update a contact a fresh row just created.
        index = _ContactIndex(await _matching(uow, rest))
        parsed.errors.extend(
            await _apply_one_by_one(rest, index, definitions, uow, counts, now, command.actor)
        )
    return parsed.errors


def _check_owner(actor: Identity, current: uuid.UUID | None, values: dict[str, Any]) -> None:
    """The row's owner_id as the caller could set it by hand: an agent's import takes
    contacts for the agent only (see Identity.may_assign)."""
    if "owner_id" in values and not actor.may_assign(current, values["owner_id"]):
        raise RuleViolated(
            "owner_id",
            "only managers and admins assign contacts to others or take them from others; "
            "you may take unowned contacts for yourself",
        )


async def _matching(
    uow: ContactsUnitOfWork, rows: list[tuple[int, dict[str, Any]]]
) -> list[Contact]:
    emails = {values["email"] for _, values in rows if "email" in values}
    external_ids = {values["external_id"] for _, values in rows if "external_id" in values}
    return await uow.contacts.matching(emails, external_ids, for_update=True)


async def _apply_one_by_one(
    rows: list[tuple[int, dict[str, Any]]],
    index: _ContactIndex,
    definitions: Mapping[str, CustomField],
    uow: ContactsUnitOfWork,
    counts: ImportCounts,
    now: datetime,
    actor: Identity,
) -> list[RowError]:
    errors: list[RowError] = []
    new: list[Contact] = []
    for row, values in rows:
        try:
            contact = index.find(values.get("email"), values.get("external_id"))
            _check_owner(actor, contact.owner_id if contact else None, values)
            if contact is None:
                custom = check_custom_fields(values.get("custom_fields", {}), definitions)
                details = {"first_name": "", "last_name": "", **values, "custom_fields": custom}
                contact = Contact.create(now, **details)
                new.append(contact)
                counts.created += 1
            else:
                index.forget(contact)
                try:
                    changes = _merged_custom_fields(contact, values, definitions)
                    changed = _update(contact, now, changes)
                finally:
                    index.add(contact)
                if changed:
                    counts.updated += 1
                else:
                    counts.skipped += 1
        except RuleViolated as error:
            errors.append(RowError.of(row, error))
            continue
        index.add(contact)
        _publish(uow, contact.id, contact.pull_events())
    # Written last, as a later row of the batch may have updated a new contact; after the
    # updates, as one may have freed an e-mail that a new contact takes.
    await uow.contacts.flush()
    await uow.contacts.insert_many(new)
    return errors


def _merged_custom_fields(
    contact: Contact, values: dict[str, Any], definitions: Mapping[str, CustomField]
) -> dict[str, Any]:
    """A row's custom fields add to the contact's (a value of null removes one)."""
    if "custom_fields" not in values:
        return values
    merged = {**contact.custom_fields, **values["custom_fields"]}
    return {**values, "custom_fields": check_custom_fields(merged, definitions)}


def _update(contact: Contact, now: datetime, changes: dict[str, Any]) -> bool:
    """Applies the row's fields; a refused row leaves the contact as it was. The e-mail
    that found the contact in another case is no change."""
    if (changes.get("email") or "").lower() == (contact.email or "").lower():
        changes = {name: value for name, value in changes.items() if name != "email"}
    before = {name: getattr(contact, name) for name in (*changes, "marketing_consent_at")}
    try:
        contact.update(now, changes)
    except RuleViolated:
        for name, value in before.items():
            setattr(contact, name, value)
        raise
    return bool(contact.events)


async def _import_orders(
    batch: _Batch,
    uow: ContactsUnitOfWork,
    counts: ImportCounts,
    command: RunImport,
    turn: Turn,
) -> list[RowError]:
    parsed = batch.parsed()
    failed_rows = {error.row for error in parsed.errors}
    index = await _referenced_contacts(uow, parsed)
    products = await uow.products.by_skus({values["sku"] for _, values in parsed.rows})
    taken = await uow.orders.external_ids_taken(
        {values["external_id"] for _, values in parsed.rows if "external_id" in values}
    )
    groups = itertools.groupby(
        [item for item in batch.records if not isinstance(item, RowError)], key=_order_key
    )
    rows_by_number = dict(parsed.rows)
    now = datetime.now(UTC)
    new_orders: list[Order] = []
    new_tasks: list[Task] = []
    events: list[tuple[str, EventContract]] = []
    for _, records in groups:
        numbers = [record.row for record in records]
        lines = [(row, rows_by_number[row]) for row in numbers if row not in failed_rows]
        external_id = rows_by_number[numbers[0]].get("external_id") if lines else None
        if external_id in taken:
            counts.skipped += 1
            continue
        if len(lines) < len(numbers):
            bad = min(row for row in numbers if row in failed_rows)
            parsed.errors.extend(_not_recorded(lines, bad))
            continue
        try:
            order, contact = _order_of(lines, index, products, now)
        except _LineRefused as refused:
            parsed.errors.append(refused.error)
            parsed.errors.extend(_not_recorded(lines, refused.error.row))
            continue
        contact.record_purchase(now)
        new_orders.append(order)
        events.extend((str(contact.id), to_contract(event)) for event in order.pull_events())
        task = follow_up_task(order, contact, command.follow_up_after_days, now)
        if task is not None:
            new_tasks.append(task)
            events.extend((str(contact.id), to_contract(event)) for event in task.pull_events())
        # Few: a lead's first order makes it a customer.
        _publish(uow, contact.id, contact.pull_events())
        if external_id:
            taken.add(external_id)
        counts.created += 1
    await uow.orders.insert_new(new_orders)
    await uow.tasks.insert_new(new_tasks)
    await uow.publish_all(events)
    return parsed.errors


def _not_recorded(lines: list[tuple[int, dict[str, Any]]], bad_row: int) -> list[RowError]:
    message = f"the order is not recorded: row {bad_row} of it is not valid"
    return [RowError(row, "external_id", message) for row, _ in lines if row != bad_row]


class _LineRefused(Exception):
    def __init__(self, error: RowError) -> None:
        super().__init__(error.message)
        self.error = error


def _order_of(
    lines: list[tuple[int, dict[str, Any]]],
    index: _ContactIndex,
    products: dict[str, Any],
    now: datetime,
) -> tuple[Order, Contact]:
    first_row, first = lines[0]
    requests = []
    try:
        contact = index.referenced(first)
    except RuleViolated as error:
        raise _LineRefused(RowError.of(first_row, error)) from error
    for row, values in lines:
        for name in ("contact_external_id", "contact_email", "ordered_at", "currency"):
            if values.get(name) != first.get(name):
                message = f"differs from the order's first row ({first_row})"
                raise _LineRefused(RowError(row, name, message))
        product = products.get(values["sku"])
        if product is None:
            raise _LineRefused(RowError(row, "sku", "no product with this SKU", "not_found"))
        requests.append(
            LineRequest(
                product, values["quantity"], values.get("unit_price"), values.get("unit_cost")
            )
        )
    try:
        order = Order.record(
            contact_id=contact.id,
            external_id=first.get("external_id"),
            ordered_at=first["ordered_at"],
            currency=first["currency"],
            requests=requests,
            now=now,
        )
    except RuleViolated as error:
        raise _LineRefused(_line_error(lines, error)) from error
    return order, contact


def _line_error(lines: list[tuple[int, dict[str, Any]]], error: RuleViolated) -> RowError:
    """`lines[2].quantity` of the order is the third row's `quantity`."""
    name = error.field_name
    if name.startswith("lines[") and "]." in name:
        position, column = name[len("lines[") :].split("].", 1)
        row = lines[int(position)][0]
        return RowError(row, column, error.message, error.code, error.ctx)
    return RowError.of(lines[0][0], error)


async def _referenced_contacts(uow: ContactsUnitOfWork, parsed: _Parsed) -> _ContactIndex:
    emails = {values["contact_email"] for _, values in parsed.rows if "contact_email" in values}
    external_ids = {
        values["contact_external_id"]
        for _, values in parsed.rows
        if "contact_external_id" in values
    }
    # Locked: an order turns a lead into a customer, and that change must not race.
    return _ContactIndex(await uow.contacts.matching(emails, external_ids, for_update=True))


async def _import_interactions(
    batch: _Batch,
    uow: ContactsUnitOfWork,
    counts: ImportCounts,
    command: RunImport,
    turn: Turn,
) -> list[RowError]:
    parsed = batch.parsed()
    index = await _referenced_contacts(uow, parsed)
    now = datetime.now(UTC)
    reference = ("contact_external_id", "contact_email")
    new_rows: list[dict[str, Any]] = []
    for row, values in parsed.rows:
        try:
            contact = index.referenced(values)
            details = {name: value for name, value in values.items() if name not in reference}
            new_rows.append(new_interaction_fields(contact.id, now, details))
        except RuleViolated as error:
            parsed.errors.append(RowError.of(row, error))
    await uow.interactions.insert_new_rows(new_rows)
    counts.created += len(new_rows)
    return parsed.errors


# A batch's rows checked against the database and written; the `Turn` is the writers'
# (only a contacts batch may overlap another, see `_keys`).
Importer = Callable[
    [_Batch, ContactsUnitOfWork, ImportCounts, RunImport, Turn],
    Awaitable[list[RowError]],
]
_IMPORTERS: dict[ImportKind, Importer] = {
    ImportKind.CONTACTS: _import_contacts,
    ImportKind.ORDERS: _import_orders,
    ImportKind.INTERACTIONS: _import_interactions,
}
