"""Copies of what the other services say about a contact (survey responses, analytics'
flags), kept for the timeline."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, Table, func, literal, select

from contacts.adapters.orm import contacts


def for_live_contact(table: Table, values: dict[str, Any]) -> tuple[list[str], Select[Any]]:
    """The columns and the one row to insert into `table` for `values["contact_id"]`: none
    for a contact never seen here or erased (another service may still speak of one after
    the erasure, which must not bring data back); a merged-away duplicate's goes to the
    survivor, where the duplicate's history went."""
    names = [name for name in values if name != "contact_id"]
    rows = select(
        func.coalesce(contacts.c.merged_into_id, contacts.c.id),
        *(literal(values[name], table.c[name].type) for name in names),
    ).where(contacts.c.id == values["contact_id"], contacts.c.erased_at.is_(None))
    return ["contact_id", *names], rows
