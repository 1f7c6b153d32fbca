"""The domain's refusals as problems: a broken rule answers 422, a refused state 409."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from contacts.domain.rules import RuleViolated, StateConflict
from treue.problems import Conflict, ValidationFailed


def rule_problem(error: RuleViolated) -> ValidationFailed:
    """The 422 of a broken rule: its field, message, code and the code's parameters."""
    return ValidationFailed(error.field_name, error.message, error.code, error.ctx)


@contextmanager
def domain_errors() -> Iterator[None]:
    try:
        yield
    except RuleViolated as error:
        raise rule_problem(error) from error
    except StateConflict as error:
        raise Conflict(str(error)) from error
