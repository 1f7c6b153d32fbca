"""The domain's refusals as problems: a broken rule answers 422, a refused state 409."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from contacts.domain.rules import RuleViolated, StateConflict
from treue.problems import Conflict, ValidationFailed


@contextmanager
def domain_errors() -> Iterator[None]:
    try:
        yield
    except RuleViolated as error:
        raise ValidationFailed(error.field_name, error.message) from error
    except StateConflict as error:
        raise Conflict(str(error)) from error
