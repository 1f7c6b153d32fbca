"""schemathesis hooks of the contract test (loaded through SCHEMATHESIS_HOOKS).

schemathesis reuses identifiers it saw in responses, so a generated PATCH or DELETE may hit
the seeded admin, demo contacts or contracts that later tests and the demo rely on (a run
deactivated the admin it signed in with). Writes aimed at one resource therefore only reach
resources this run created itself; any other existing identifier is swapped for one that
exists nowhere, so the operation is still called and must answer its documented 404.
Malformed identifiers (the invalid cases) are sent as generated.
"""

from __future__ import annotations

import re
import uuid
from typing import Any

import schemathesis

WRITES = frozenset({"POST", "PUT", "PATCH", "DELETE"})
UUID_SHAPE = re.compile(r"^[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$")
# Custom field keys are names, not UUIDs (their shape per the contacts-service).
KEY_SHAPE = re.compile(r"^[a-z][a-z0-9_]{0,62}$")
CREATED: set[str] = set()


@schemathesis.hook
def after_call(context: Any, case: Any, response: Any) -> None:
    if response.status_code != 201:
        return
    try:
        body = response.json()
    except ValueError:
        return
    if isinstance(body, dict):
        CREATED.update(str(body[name]) for name in ("id", "key") if body.get(name) is not None)


@schemathesis.hook
def before_call(context: Any, case: Any, kwargs: dict[str, Any]) -> None:
    if case.method.upper() not in WRITES or not case.path_parameters:
        return
    for name, value in list(case.path_parameters.items()):
        text = str(value)
        if text in CREATED:
            continue
        if UUID_SHAPE.match(text):
            case.path_parameters[name] = str(uuid.uuid4())
        elif name == "key" and KEY_SHAPE.match(text):
            case.path_parameters[name] = f"absent_{uuid.uuid4().hex[:12]}"
