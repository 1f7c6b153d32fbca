"""Who may make whom the owner (or assignee) of a record: object-level authorization."""

from __future__ import annotations

import uuid

import pytest

from treue.identity import Identity
from treue.problems import Forbidden

ME, OTHER = uuid.uuid4(), uuid.uuid4()
AGENT = Identity(subject=str(ME), kind="user", role="agent")
MANAGER = Identity(subject=str(ME), kind="user", role="manager")
ADMIN = Identity(subject=str(ME), kind="user", role="admin")
KEY = Identity(subject="key-1", kind="api_key", scopes=["contacts:write"])


@pytest.mark.parametrize(
    ("current", "new"),
    [(None, ME), (ME, ME), (ME, None), (None, None), (OTHER, OTHER)],
    ids=["takes-unowned", "keeps-own", "gives-back-own", "unowned-stays", "unchanged"],
)
def test_an_agent_takes_unowned_records_for_themselves(
    current: uuid.UUID | None, new: uuid.UUID | None
) -> None:
    assert AGENT.may_assign(current, new)


@pytest.mark.parametrize(
    ("current", "new"),
    [(None, OTHER), (OTHER, ME), (OTHER, None), (ME, OTHER)],
    ids=["assigns-other", "takes-others", "clears-others", "hands-own-to-other"],
)
def test_an_agent_neither_assigns_others_nor_takes_their_records(
    current: uuid.UUID | None, new: uuid.UUID | None
) -> None:
    assert not AGENT.may_assign(current, new)
    # A user without a known role is held to the agent's rule.
    assert not Identity(subject=str(ME), kind="user").may_assign(current, new)


@pytest.mark.parametrize("caller", [MANAGER, ADMIN, KEY], ids=["manager", "admin", "api-key"])
def test_managers_admins_and_api_keys_assign_anyone(caller: Identity) -> None:
    assert caller.may_assign(OTHER, uuid.uuid4())
    assert caller.may_assign(None, OTHER)
    caller.require_assigns_anyone("owner_id")


def test_a_refusal_is_a_403_naming_the_field() -> None:
    with pytest.raises(Forbidden) as refused:
        AGENT.require_assignable("assignee_id", OTHER, ME)
    AGENT.require_assignable("assignee_id", None, ME)

    assert refused.value.status == 403
    assert [error.field for error in refused.value.errors or []] == ["assignee_id"]
    with pytest.raises(Forbidden) as bulk:
        AGENT.require_assigns_anyone("owner_id")
    assert [error.field for error in bulk.value.errors or []] == ["owner_id"]
