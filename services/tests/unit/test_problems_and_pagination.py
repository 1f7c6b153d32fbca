import uuid
from typing import Any

import asyncpg
import pytest
from fastapi import FastAPI, Query
from fastapi.testclient import TestClient
from pydantic import BaseModel
from sqlalchemy.exc import DBAPIError

from treue.identity import Identity, issue_internal_token, verify_internal_token
from treue.pagination import Page, decode_cursor, encode_cursor
from treue.problems import (
    ALREADY_USED,
    NotFound,
    Problem,
    ValidationFailed,
    field_path,
    install_problem_handlers,
)

SECRET = "a-test-secret-that-is-long-enough-for-hs256"


@pytest.mark.parametrize(
    ("location", "expected"),
    [
        (("body", "lines", 0, "quantity"), "lines[0].quantity"),
        (("query", "limit"), "limit"),
        (("body",), "body"),
        (("body", "tags", 3), "tags[3]"),
    ],
)
def test_field_paths_read_like_the_json_they_point_at(
    location: tuple[str | int, ...], expected: str
) -> None:
    assert field_path(location) == expected


class Line(BaseModel):
    quantity: int


class Order(BaseModel):
    lines: list[Line]


def make_app() -> FastAPI:
    app = FastAPI()
    install_problem_handlers(app)

    @app.post("/orders")
    async def create(order: Order, limit: int = Query(1, le=10)) -> dict[str, int]:
        return {"lines": len(order.lines)}

    @app.get("/missing")
    async def missing() -> None:
        raise NotFound("order 7 does not exist")

    @app.get("/slow")
    async def slow() -> None:
        # As SQLAlchemy raises it: the driver's error as the cause of its own.
        try:
            raise asyncpg.exceptions.QueryCanceledError(
                "canceling statement due to statement timeout"
            )
        except asyncpg.exceptions.QueryCanceledError as error:
            raise DBAPIError("SELECT …", None, error) from error

    @app.get("/boom")
    async def boom() -> None:
        raise RuntimeError("secret internals")

    return app


def test_validation_errors_name_each_field() -> None:
    client = TestClient(make_app())

    answer = client.post("/orders?limit=99", json={"lines": [{"quantity": "many"}]})

    assert answer.status_code == 422
    assert answer.headers["content-type"] == "application/problem+json"
    fields = {error["field"] for error in answer.json()["errors"]}
    assert fields == {"lines[0].quantity", "limit"}


def test_each_field_error_carries_a_stable_code_and_its_parameters() -> None:
    client = TestClient(make_app())

    answer = client.post("/orders?limit=99", json={"lines": [{"quantity": "many"}, {}]})

    errors = {error["field"]: error for error in answer.json()["errors"]}
    assert errors["lines[0].quantity"]["code"] == "int_parsing"
    assert "ctx" not in errors["lines[0].quantity"]
    assert errors["lines[1].quantity"]["code"] == "missing"
    assert errors["limit"]["code"] == "less_than_equal"
    assert errors["limit"]["ctx"] == {"le": 10}
    # The English message stays for API users.
    assert errors["limit"]["message"] == "Input should be less than or equal to 10"


def test_our_own_refusals_carry_their_code_and_the_default_is_invalid() -> None:
    app = make_app()

    @app.get("/taken")
    async def taken() -> None:
        raise ValidationFailed("email", "already used", ALREADY_USED)

    @app.get("/odd")
    async def odd() -> None:
        raise ValidationFailed("colour", "is odd")

    @app.get("/long")
    async def long() -> None:
        raise ValidationFailed("name", "too long", "string_too_long", {"max_length": 5})

    client = TestClient(app)
    assert client.get("/taken").json()["errors"] == [
        {"field": "email", "message": "already used", "code": "already_used"}
    ]
    assert client.get("/odd").json()["errors"][0]["code"] == "invalid"
    assert client.get("/long").json()["errors"][0]["ctx"] == {"max_length": 5}


def test_malformed_json_is_a_400_naming_the_body() -> None:
    client = TestClient(make_app())

    answer = client.post(
        "/orders", content=b"{not json", headers={"content-type": "application/json"}
    )

    assert answer.status_code == 400
    assert answer.json()["errors"] == [
        {"field": "body", "message": "not valid JSON", "code": "json_invalid"}
    ]


def test_domain_problems_and_unknown_routes_are_problem_json() -> None:
    client = TestClient(make_app())

    missing = client.get("/missing")
    unknown = client.get("/nowhere")

    assert missing.status_code == 404
    assert missing.json()["detail"] == "order 7 does not exist"
    assert unknown.status_code == 404
    assert unknown.headers["content-type"] == "application/problem+json"


def test_unexpected_errors_are_a_500_problem_without_internals() -> None:
    client = TestClient(make_app(), raise_server_exceptions=False)

    answer = client.get("/boom")

    assert answer.status_code == 500
    assert "secret" not in answer.text
    assert answer.json()["type"] == "urn:treue:problem:internal"


def test_a_statement_timeout_is_a_503_problem_to_retry() -> None:
    client = TestClient(make_app(), raise_server_exceptions=False)

    answer = client.get("/slow")

    assert answer.status_code == 503
    assert answer.headers["retry-after"] == "30"
    assert answer.json()["type"] == "urn:treue:problem:timeout"


def test_cursor_round_trip_and_foreign_cursors_are_refused() -> None:
    cursor = encode_cursor(["2026-01-01T00:00:00+00:00", str(uuid.UUID(int=5))])

    assert decode_cursor(cursor, 2) == ["2026-01-01T00:00:00+00:00", str(uuid.UUID(int=5))]
    with pytest.raises(Problem) as wrong_size:
        decode_cursor(cursor, 3)
    with pytest.raises(Problem):
        decode_cursor("%%%garbage", 2)
    assert wrong_size.value.errors is not None
    assert wrong_size.value.errors[0].field == "cursor"


def test_internal_tokens_are_verified_and_forgeries_refused() -> None:
    identity = Identity(subject="u1", kind="api_key", scopes=["contacts:read"])
    token = issue_internal_token(identity, SECRET)

    assert verify_internal_token(token, SECRET) == identity
    with pytest.raises(Problem) as forged:
        verify_internal_token(token, SECRET + "x")
    with pytest.raises(Problem) as expired:
        verify_internal_token(issue_internal_token(identity, SECRET, ttl=-10), SECRET)
    assert forged.value.status == 401
    assert expired.value.status == 401


def test_api_keys_need_the_scope_users_do_not() -> None:
    key = Identity(subject="k", kind="api_key", scopes=["contacts:read"])

    key.require_scope("contacts:read")
    with pytest.raises(Problem) as refused:
        key.require_scope("contacts:write")
    assert refused.value.status == 403
    Identity(subject="u", kind="user", role="agent").require_scope("contacts:write")


class Row(BaseModel):
    id: int
    name: str


def rows(count: int) -> list[Row]:
    return [Row(id=n, name=f"row {n}") for n in range(1, count + 1)]


def by_id(row: Row) -> list[Any]:
    return [row.id]


def test_a_page_of_exactly_limit_rows_is_the_last() -> None:
    page = Page.of(rows(3), 3, by_id)

    assert [row.id for row in page.items] == [1, 2, 3]
    assert page.next_cursor is None


def test_the_extra_row_is_cut_and_the_cursor_continues_after_the_last_shown() -> None:
    page = Page.of(rows(4), 3, by_id, item=lambda row: row.name)

    assert page.items == ["row 1", "row 2", "row 3"]
    assert page.next_cursor is not None
    assert decode_cursor(page.next_cursor, 1) == [3]


def test_an_empty_page_has_no_cursor_and_never_asks_for_a_key() -> None:
    def no_key(row: Row) -> list[Any]:
        raise AssertionError("an empty page has no last row")

    page = Page.of([], 3, no_key, item=lambda row: row.name)

    assert page.items == []
    assert page.next_cursor is None
