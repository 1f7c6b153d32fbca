"""HTTP routes of bulk imports: upload a file (202 and a job to poll), read the job, and
download its per-row error report."""

from __future__ import annotations

import csv
import io
import json
import uuid
from collections.abc import AsyncIterator
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, File, Form, Query, UploadFile
from fastapi.responses import JSONResponse, StreamingResponse
from pydantic import BaseModel, Field

from contacts.domain.imports import ImportFormat, ImportKind, ImportState, RowError
from contacts.entrypoints.dependencies import SettingsDep, UowDep, problem_responses
from contacts.service_layer.import_handlers import IMPORT_JOB, StartImport, start_import
from contacts.service_layer.unit_of_work import ContactsUnitOfWork
from treue.identity import CurrentIdentity, current_identity
from treue.jobs import JobRead, accepted
from treue.pagination import Cursor, Limit, Page, decode_cursor
from treue.problems import CODES_DESCRIPTION, CtxValue, NotFound

router = APIRouter(
    prefix="/api/v1/imports", tags=["imports"], dependencies=[Depends(current_identity)]
)


class ImportRead(JobRead):
    """The import job: `status`, `progress` (0..1) and `error` as every job, and what the
    import did so far. `failed` counts rows refused; their reasons are at `errors_url`."""

    created_by: str | None = Field(
        description="Who started it: the user's or API key's id (null: the system)"
    )
    created_by_name: str | None = Field(
        description="The user's or API key's name when they started it"
    )
    import_kind: ImportKind
    format: ImportFormat
    filename: str | None
    size_bytes: int
    records: int
    created: int
    updated: int
    skipped: int
    failed: int
    errors_url: str

    @classmethod
    def of(cls, job: JobRead, state: ImportState) -> ImportRead:
        return cls(
            **job.model_dump(),
            created_by=job.params.get("actor", {}).get("subject"),
            created_by_name=state.created_by_name,
            import_kind=ImportKind(state.kind),
            format=ImportFormat(state.format),
            filename=state.filename,
            size_bytes=state.size_bytes,
            records=state.records_done,
            created=state.counts.created,
            updated=state.counts.updated,
            skipped=state.counts.skipped,
            failed=state.counts.failed,
            errors_url=f"/api/v1/imports/{job.id}/errors",
        )


class ImportRowError(BaseModel):
    """One refused row of an import: where it starts in the file, which field, and why."""

    row: int
    field: str
    message: str = Field(description="What is wrong, in English")
    code: str = Field(description=CODES_DESCRIPTION, examples=["value_error"])
    ctx: dict[str, CtxValue] | None = Field(
        description="The code's parameters, e.g. `max_length` of `string_too_long`",
        examples=[{"max_length": 200}],
    )


def _format_of(filename: str | None, given: ImportFormat | None) -> ImportFormat:
    if given is not None:
        return given
    name = (filename or "").lower()
    return ImportFormat.NDJSON if name.endswith((".ndjson", ".jsonl")) else ImportFormat.CSV


@router.post(
    "",
    status_code=202,
    response_model=ImportRead,
    responses={
        202: {"description": "The import job; poll it at the Location given"},
        **problem_responses(403, 413),
    },
)
async def create_import(
    file: Annotated[UploadFile, File(description="CSV (with a header row) or NDJSON, UTF-8")],
    kind: Annotated[ImportKind, Form(description="What the file holds")],
    uow: UowDep,
    settings: SettingsDep,
    identity: CurrentIdentity,
    format: Annotated[
        ImportFormat | None,
        Form(description="csv or ndjson; by default from the file name (.ndjson, .jsonl)"),
    ] = None,
) -> JSONResponse:
    """Imports contacts, orders or interactions in the background.

    Columns (CSV) or keys (NDJSON) are the API's fields. Contacts: `first_name, last_name,
    email, phone, company, language, tags` (`;`-separated in CSV), `custom_fields` (a JSON
    object), `lifecycle_stage, owner_id, marketing_consent, acquisition_channel,
    acquisition_cost, external_id`. Orders: `contact_external_id` or `contact_email`,
    `external_id, ordered_at, sku, quantity, unit_price, unit_cost, currency`; consecutive
    rows of one `external_id` form one order. Interactions: `contact_external_id` or
    `contact_email`, `kind, direction, channel, subject, body, occurred_at, sentiment, cost,
    currency`.

    Dedup: a contact whose `external_id` or e-mail (any case) exists is updated with the
    row's non-empty fields; an order whose `external_id` exists is skipped. Each record
    emits the events an API create or update emits. Good rows are imported, bad rows are
    reported at `errors_url`; an order with a bad row is not recorded at all."""
    identity.require_scope("contacts:write")
    command = StartImport(
        kind=kind,
        fmt=_format_of(file.filename, format),
        filename=(file.filename or "")[:300] or None,
        read=file.read,
        actor=identity,
        max_bytes=settings.import_max_bytes,
    )
    job = await start_import(command, uow)
    async with uow:
        state = await uow.imports.state(job.id)
    assert state is not None
    return accepted(ImportRead.of(job, state), f"/api/v1/imports/{job.id}")


@router.get(
    "",
    response_model=Page[ImportRead],
    summary="Past and running imports, newest first",
)
async def list_imports(
    uow: UowDep, identity: CurrentIdentity, limit: Limit = 20, cursor: Cursor = None
) -> Page[ImportRead]:
    """Every import of every kind, newest first, cursor paged: who started it and when,
    the file, its status and counts, and `errors_url`, its per-row error report, which
    stays as long as the import is listed."""
    identity.require_scope("contacts:read")
    position = decode_cursor(cursor, 2) if cursor else None
    async with uow:
        found = await uow.imports.page(limit + 1, position)
    return Page.of(
        found,
        limit,
        key=lambda row: [row[0].created_at.isoformat(), str(row[0].id)],
        item=lambda row: ImportRead.of(*row),
    )


async def _import(uow: ContactsUnitOfWork, import_id: uuid.UUID) -> ImportRead:
    async with uow:
        job = await uow.jobs.get(import_id, IMPORT_JOB)
        state = await uow.imports.state(import_id)
    if job is None or state is None:
        raise NotFound(f"import {import_id} does not exist")
    return ImportRead.of(job, state)


@router.get("/{import_id}", response_model=ImportRead, responses=problem_responses(404))
async def get_import(import_id: uuid.UUID, uow: UowDep, identity: CurrentIdentity) -> ImportRead:
    identity.require_scope("contacts:read")
    return await _import(uow, import_id)


@router.get(
    "/{import_id}/errors",
    response_model=None,
    responses={
        200: {
            "description": "The refused rows in row order: `row` is the line of the file "
            "where the record starts (a CSV's header is line 1)",
            "model": list[ImportRowError],
            "content": {
                "application/json": {
                    "example": [
                        {
                            "row": 3,
                            "field": "email",
                            "message": "not a valid e-mail address: no @-sign",
                            "code": "value_error",
                            "ctx": None,
                        },
                        {
                            "row": 7,
                            "field": "company",
                            "message": "must have at most 200 characters",
                            "code": "string_too_long",
                            "ctx": {"max_length": 200},
                        },
                    ]
                },
                "text/csv": {
                    "example": "row,field,message,code\n"
                    "3,email,not a valid e-mail address: no @-sign,value_error\n"
                },
            },
        },
        **problem_responses(404),
    },
)
async def get_import_errors(
    import_id: uuid.UUID,
    uow: UowDep,
    identity: CurrentIdentity,
    format: Annotated[
        Literal["json", "csv"], Query(description="csv downloads a file for a spreadsheet")
    ] = "json",
) -> StreamingResponse:
    """The per-row error report, streamed however long it is: `[{row, field, message, code,
    ctx}]`. `code` and `ctx` are those of the API's field errors (`errors[]` of a 422), so a
    client translates the report as it does those; the CSV carries the code after the
    message."""
    identity.require_scope("contacts:read")
    await _import(uow, import_id)
    if format == "csv":
        return StreamingResponse(
            _csv_errors(uow, import_id),
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": f'attachment; filename="{import_id}-errors.csv"'},
        )
    return StreamingResponse(_json_errors(uow, import_id), media_type="application/json")


async def _errors(uow: ContactsUnitOfWork, import_id: uuid.UUID) -> AsyncIterator[RowError]:
    async with uow:
        async for error in uow.imports.errors(import_id):
            yield error


async def _json_errors(uow: ContactsUnitOfWork, import_id: uuid.UUID) -> AsyncIterator[bytes]:
    separator = b"["
    async for error in _errors(uow, import_id):
        item = {
            "row": error.row,
            "field": error.field,
            "message": error.message,
            "code": error.code,
            "ctx": error.ctx,
        }
        yield separator + json.dumps(item, ensure_ascii=False).encode()
        separator = b","
    yield b"[]" if separator == b"[" else b"]"


async def _csv_errors(uow: ContactsUnitOfWork, import_id: uuid.UUID) -> AsyncIterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["row", "field", "message", "code"])
    async for error in _errors(uow, import_id):
        writer.writerow([error.row, error.field, error.message, error.code])
        if buffer.tell() > 64 * 1024:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()
