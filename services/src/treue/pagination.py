"""Cursor pagination: `?limit=&cursor=` in, `{items, next_cursor}` out.

The cursor is the opaque, URL-safe encoding of the last row's sort key; a query continues
strictly after it (keyset pagination), so pages stay stable while rows are inserted.
"""

from __future__ import annotations

import base64
from collections.abc import Callable, Sequence
from typing import Annotated, Any, Generic, TypeVar, overload

import orjson
from fastapi import Query
from pydantic import BaseModel
from sqlalchemy import ColumnElement, String, cast, literal, tuple_

from treue.problems import ValidationFailed

DEFAULT_LIMIT = 50
MAX_LIMIT = 500

Limit = Annotated[int, Query(ge=1, le=MAX_LIMIT, description="Page size (1..500)")]
Cursor = Annotated[
    str | None, Query(max_length=1000, description="`next_cursor` of the previous page")
]


T = TypeVar("T")
R = TypeVar("R")


class Page(BaseModel, Generic[T]):
    items: list[T]
    next_cursor: str | None = None

    @overload
    @classmethod
    def of(cls, rows: Sequence[T], limit: int, key: Callable[[T], list[Any]]) -> Page[T]: ...

    @overload
    @classmethod
    def of(
        cls,
        rows: Sequence[R],
        limit: int,
        key: Callable[[R], list[Any]],
        item: Callable[[R], T],
    ) -> Page[T]: ...

    @classmethod
    def of(
        cls,
        rows: Sequence[Any],
        limit: int,
        key: Callable[[Any], list[Any]],
        item: Callable[[Any], Any] | None = None,
    ) -> Page[Any]:
        """The page of `rows` fetched as `limit + 1` (the extra row only says there is more).

        `key` gives the sort key of the last row shown, which the next page continues after;
        `item` turns each shown row into what the page lists (the rows themselves without it).
        """
        shown = rows[:limit]
        next_cursor = encode_cursor(key(shown[-1])) if len(rows) > limit else None
        items = list(shown) if item is None else [item(row) for row in shown]
        return cls(items=items, next_cursor=next_cursor)


def encode_cursor(values: list[Any]) -> str:
    return base64.urlsafe_b64encode(orjson.dumps(values)).decode().rstrip("=")


def decode_cursor(cursor: str, size: int) -> list[Any]:
    try:
        values = orjson.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    except (ValueError, orjson.JSONDecodeError) as error:
        raise ValidationFailed("cursor", "not a cursor this API issued") from error
    if not isinstance(values, list) or len(values) != size:
        raise ValidationFailed("cursor", "not a cursor this API issued")
    return values


def after(
    columns: list[ColumnElement[Any]], values: list[Any], descending: bool
) -> ColumnElement[bool]:
    """The keyset condition: rows strictly after the cursor in the sort order.

    Cursor values travel as JSON strings; Postgres casts them back to each column's type.
    """
    key = tuple_(*columns)
    bound = tuple_(
        *[cast(literal(str(v), String), c.type) for c, v in zip(columns, values, strict=True)]
    )
    return key < bound if descending else key > bound
