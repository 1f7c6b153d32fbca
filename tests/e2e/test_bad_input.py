"""Bad bodies through the gateway, to every service and the gateway's own routes: malformed
or deeply nested JSON is a 400 or 422 problem, never a 500 (OWASP API4/API8)."""

from __future__ import annotations

import httpx
import pytest

pytestmark = pytest.mark.e2e

# One write route per service, and two of the gateway's own.
WRITES = [
    "/api/v1/contacts",
    "/api/v1/surveys",
    "/api/v1/analytics/segments",
    "/api/v1/users",
    "/api/v1/api-keys",
]
DEPTH = 100_000
BODIES = {
    "malformed": b'{"first_name": ',
    "deep array": b"[" * DEPTH + b"]" * DEPTH,
    "deep object in a field": b'{"name": ' + b'{"a": ' * DEPTH + b"1" + b"}" * DEPTH + b"}",
    "not an object": b"[1, 2, 3]",
    "not UTF-8": b'{"name": "\xff\xfe"}',
}


@pytest.mark.parametrize("path", WRITES)
@pytest.mark.parametrize("kind", list(BODIES))
async def test_a_bad_body_is_a_client_error_problem(
    client: httpx.AsyncClient, path: str, kind: str
) -> None:
    answer = await client.post(
        path, content=BODIES[kind], headers={"Content-Type": "application/json"}
    )

    assert answer.status_code in (400, 422), (answer.status_code, answer.text[:300])
    assert answer.headers["content-type"] == "application/problem+json"
    assert answer.json()["status"] == answer.status_code
