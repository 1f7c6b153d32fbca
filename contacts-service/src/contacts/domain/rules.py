"""What every aggregate of contacts-service shares: rule violations naming a field, and money."""

from __future__ import annotations

import re
from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal

CURRENCY_CODE = re.compile(r"[A-Z]{3}")
CENT = Decimal("0.01")


class RuleViolated(ValueError):
    """A domain rule refused a value; `field_name` is the request field to blame, `code`
    the machine code of what is wrong (a client shows its own text for it) with `ctx` its
    parameters; the codes are the problem's (treue.problems), `invalid` when none fits."""

    def __init__(
        self,
        field_name: str,
        message: str,
        code: str = "invalid",
        ctx: dict[str, str | int | float | bool] | None = None,
    ) -> None:
        super().__init__(f"{field_name}: {message}")
        self.field_name = field_name
        self.message = message
        self.code = code
        self.ctx = ctx


def check_editable(changes: Iterable[str], editable: Iterable[str]) -> None:
    """Refuses a change to any field outside `editable`, naming the first (sorted)."""
    unknown = set(changes) - set(editable)
    if unknown:
        raise RuleViolated(sorted(unknown)[0], "cannot be changed", "not_changeable")


def check_currency(code: str | None, field_name: str = "currency") -> None:
    # The shape only: a list of ISO 4217 codes would go stale, a wrong shape never is valid.
    if code is not None and not CURRENCY_CODE.fullmatch(code):
        raise RuleViolated(field_name, "must be an ISO 4217 code of three upper-case letters")


def check_not_negative(amount: Decimal | None, field_name: str) -> None:
    if amount is not None and amount < 0:
        raise RuleViolated(field_name, "must not be negative", "greater_than_equal", {"ge": 0})


def to_cents(amount: Decimal) -> Decimal:
    """Commercial rounding to the cent, as an invoice would round it. Also gives every
    amount the scale the database stores, so a fresh answer reads like a later one."""
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def cents_or_none(amount: Decimal | None) -> Decimal | None:
    return to_cents(amount) if amount is not None else None


class StateConflict(Exception):
    """The aggregate is in a state that refuses the action (e.g. churning a churned
    contact); answered 409."""
