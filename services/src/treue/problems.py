"""RFC 9457 problem details: one exception type, one set of handlers for every service."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import asyncpg
import structlog
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException as StarletteHTTPException

PROBLEM_MEDIA_TYPE = "application/problem+json"
TYPE_PREFIX = "urn:treue:problem:"
log = structlog.get_logger("treue.problems")


# Our own field error codes. Pydantic's validation error types (`missing`, `int_parsing`,
# `string_too_long`, …) are codes too, passed through as pydantic names them; where a rule
# of ours means the same, it uses pydantic's code, so that a client translates it once.
INVALID = "invalid"
ALREADY_USED = "already_used"
NOT_NULL = "not_null"
NOT_EMPTY = "not_empty"
NOT_FOUND = "not_found"
IN_USE = "in_use"
NOT_A_CURSOR = "not_a_cursor"
NOT_CHANGEABLE = "not_changeable"
EXCLUSIVE = "exclusive"
AFTER = "after"
MALFORMED_JSON = "json_invalid"
CODES_DESCRIPTION = (
    "A stable machine code for what is wrong, for clients to show their own text (in the "
    "user's language) instead of `message`; the message stays the English text for API "
    "users and is the fallback for a code a client does not know.\n\n"
    "Pydantic's validation error types pass through as they are (e.g. `missing`, "
    "`int_parsing`, `float_parsing`, `string_too_short`, `string_too_long`, `too_long`, "
    "`greater_than_equal`, `less_than_equal`, `literal_error`, `enum`, `uuid_parsing`, "
    "`date_from_datetime_parsing`, `datetime_from_date_parsing`, `extra_forbidden`, "
    "`value_error`); our own rules reuse them where they mean the same and add "
    f"`{ALREADY_USED}` (a unique value another record has), `{NOT_NULL}` (null sent for a "
    f"field that cannot be cleared), `{NOT_EMPTY}`, `{NOT_FOUND}` (ctx `id`: a referenced "
    f"record that does not exist), `{IN_USE}` (other records still refer to it), "
    f"`{NOT_A_CURSOR}`, `{NOT_CHANGEABLE}`, `{EXCLUSIVE}` (ctx `other`: a field that cannot "
    f"be combined with another), `{AFTER}` (ctx `other`: a bound that must lie after "
    f"another), `{MALFORMED_JSON}` and `{INVALID}` (nothing more specific: show the message)."
)
CtxValue = str | int | float | bool


class FieldError(BaseModel):
    field: str = Field(
        description="The request field, as a path into the JSON (`lines[0].quantity`)",
        examples=["custom_fields.mitarbeiter"],
    )
    message: str = Field(description="What is wrong, in English", examples=["must be a number"])
    code: str = Field(INVALID, description=CODES_DESCRIPTION, examples=["float_type"])
    ctx: dict[str, CtxValue] | None = Field(
        None,
        description="The code's parameters, e.g. `max_length` of `string_too_long`, "
        "`ge` of `greater_than_equal`, `expected` of `literal_error`",
        examples=[{"max_length": 200}],
    )


class ProblemDetail(BaseModel):
    type: str
    title: str
    status: int
    detail: str | None = None
    instance: str | None = None
    errors: list[FieldError] | None = None


class Problem(Exception):
    """A domain or request error with its HTTP status; rendered as problem+json."""

    status: int = 400
    slug: str = "bad-request"
    title: str = "Bad request"

    def __init__(
        self,
        detail: str | None = None,
        *,
        errors: Sequence[FieldError] | None = None,
        status: int | None = None,
        slug: str | None = None,
        title: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(detail or self.title)
        self.detail = detail
        self.errors = list(errors) if errors is not None else None
        self.status = status or self.status
        self.slug = slug or self.slug
        self.title = title or self.title
        self.headers = headers

    def to_detail(self, instance: str | None = None) -> ProblemDetail:
        return ProblemDetail(
            type=TYPE_PREFIX + self.slug,
            title=self.title,
            status=self.status,
            detail=self.detail,
            instance=instance,
            errors=self.errors,
        )


class NotFound(Problem):
    status, slug, title = 404, "not-found", "Not found"


class Conflict(Problem):
    status, slug, title = 409, "conflict", "Conflict"


class Unauthorized(Problem):
    status, slug, title = 401, "unauthorized", "Authentication required"


class Forbidden(Problem):
    status, slug, title = 403, "forbidden", "Forbidden"


class ValidationFailed(Problem):
    status, slug, title = 422, "validation", "The request is not valid"

    def __init__(
        self,
        field: str,
        message: str,
        code: str = INVALID,
        ctx: dict[str, CtxValue] | None = None,
    ) -> None:
        error = FieldError(field=field, message=message, code=code, ctx=ctx)
        super().__init__(f"{field}: {message}", errors=[error])


def not_null(field: str) -> ValidationFailed:
    """The 422 of a null sent for a field that cannot be cleared."""
    return ValidationFailed(field, "must not be null", NOT_NULL)


def not_found(
    field: str, record_id: object, message: str = "no record with the id {id}"
) -> Problem:
    """The 422 of a reference (`field`) to a record that does not exist; `{id}` in the
    message stands for its id."""
    found = str(record_id)
    return ValidationFailed(field, message.format(id=found), NOT_FOUND, {"id": found})


def field_path(location: Sequence[int | str]) -> str:
    """('body', 'lines', 0, 'quantity') -> 'lines[0].quantity'."""
    parts = list(location)
    if parts and parts[0] in ("body", "query", "path", "header", "cookie"):
        parts = parts[1:]
    path = ""
    for part in parts:
        if isinstance(part, int):
            path += f"[{part}]"
        else:
            path += f".{part}" if path else str(part)
    return path or "body"


def problem_response(problem: Problem, request: Request | None = None) -> JSONResponse:
    instance = request.url.path if request is not None else None
    return JSONResponse(
        problem.to_detail(instance).model_dump(exclude_none=True),
        status_code=problem.status,
        media_type=PROBLEM_MEDIA_TYPE,
        headers=problem.headers,
    )


def _plain_ctx(ctx: dict[str, Any] | None) -> dict[str, CtxValue] | None:
    """Pydantic's ctx as JSON values: numbers and flags stay, the rest (a Decimal bound, the
    exception of a `value_error`) becomes its text."""
    if not ctx:
        return None
    return {
        name: value if isinstance(value, str | int | float | bool) else str(value)
        for name, value in ctx.items()
    }


def _validation_problem(error: RequestValidationError) -> Problem:
    raw: list[dict[str, Any]] = list(error.errors())
    if any(item.get("type") == "json_invalid" for item in raw):
        return Problem(
            "The body is not valid JSON.",
            errors=[FieldError(field="body", message="not valid JSON", code=MALFORMED_JSON)],
            slug="malformed-json",
            title="Malformed JSON",
        )
    errors = [
        FieldError(
            field=field_path(item["loc"]),
            message=item["msg"],
            code=item["type"],
            ctx=_plain_ctx(item.get("ctx")),
        )
        for item in raw
    ]
    detail = "; ".join(f"{e.field}: {e.message}" for e in errors[:5])
    return Problem(
        detail, errors=errors, status=422, slug="validation", title="The request is not valid"
    )


# The database cancelled a statement that ran past its timeout: the request asked for more
# than the database answers in time (or it was busy), not a bug.
DATABASE_TIMEOUT = Problem(
    "The database took too long to answer; try again, or narrow the request.",
    status=503,
    slug="timeout",
    title="Took too long",
    headers={"Retry-After": "30"},
)


def _statement_timed_out(exc: BaseException) -> bool:
    """SQLAlchemy wraps the driver's error (and its adapter wraps it again)."""
    seen: BaseException | None = exc
    for _ in range(5):
        if seen is None:
            return False
        if isinstance(seen, asyncpg.exceptions.QueryCanceledError):
            return True
        seen = getattr(seen, "orig", None) or seen.__cause__
    return False


def install_problem_handlers(app: FastAPI) -> None:
    async def on_problem(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, Problem)
        return problem_response(exc, request)

    async def on_validation(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, RequestValidationError)
        return problem_response(_validation_problem(exc), request)

    async def on_http(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, StarletteHTTPException)
        titles = {404: "Not found", 405: "Method not allowed", 401: "Authentication required"}
        problem = Problem(
            str(exc.detail) if exc.detail else None,
            status=exc.status_code,
            slug=f"http-{exc.status_code}",
            title=titles.get(exc.status_code, "Request failed"),
            headers=dict(exc.headers) if exc.headers else None,
        )
        return problem_response(problem, request)

    async def on_unexpected(request: Request, exc: Exception) -> JSONResponse:
        if _statement_timed_out(exc):
            log.warning("statement timeout", path=request.url.path)
            return problem_response(DATABASE_TIMEOUT, request)
        log.exception("unhandled error", path=request.url.path)
        problem = Problem(
            "An unexpected error occurred; it has been logged.",
            status=500,
            slug="internal",
            title="Internal server error",
        )
        return problem_response(problem, request)

    app.add_exception_handler(Problem, on_problem)
    app.add_exception_handler(RequestValidationError, on_validation)
    app.add_exception_handler(StarletteHTTPException, on_http)
    app.add_exception_handler(Exception, on_unexpected)


PROBLEM_RESPONSES: dict[int | str, dict[str, Any]] = {
    status: {"model": ProblemDetail, "content": {PROBLEM_MEDIA_TYPE: {}}, "description": text}
    for status, text in [
        (400, "Malformed request (problem+json)"),
        (401, "Missing or invalid identity (problem+json)"),
        (422, "Validation failed; `errors` names each field with a `code` (problem+json)"),
    ]
}

# What each domain error status means, for the OpenAPI descriptions of the routes.
PROBLEM_TEXTS = {
    403: "Missing scope or role",
    404: "Not found",
    409: "Conflict with existing data or the current state",
    410: "Expired",
}


def problem_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI `responses=` for the domain errors a route answers, so clients know them."""
    return {
        status: {
            "model": ProblemDetail,
            "content": {PROBLEM_MEDIA_TYPE: {}},
            "description": f"{PROBLEM_TEXTS.get(status, 'Error')} (problem+json)",
        }
        for status in statuses
    }
