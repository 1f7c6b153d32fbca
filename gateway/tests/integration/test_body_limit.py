"""Bodies over the size limit are refused with 413, declared or streamed."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any


async def chunks(count: int, size: int) -> AsyncIterator[bytes]:
    for _ in range(count):
        yield b"x" * size


async def test_a_declared_length_over_the_limit_is_refused_up_front(
    another_gateway: Any, admin: dict[str, str]
) -> None:
    async with another_gateway(body_limit_bytes=1000) as small:
        answer = await small.post("/api/v1/contacts", content=b"x" * 1001, headers=admin)

    assert answer.status_code == 413
    assert answer.headers["content-type"] == "application/problem+json"


async def test_a_streamed_body_is_cut_off_once_it_passes_the_limit(
    another_gateway: Any, admin: dict[str, str]
) -> None:
    async with another_gateway(body_limit_bytes=1000) as small:
        under = await small.post("/api/v1/contacts", content=chunks(4, 200), headers=admin)
        over = await small.post("/api/v1/contacts", content=chunks(6, 200), headers=admin)
        own_route = await small.post("/api/v1/users", content=chunks(6, 200), headers=admin)

    assert under.status_code == 201
    assert under.json()["body_bytes"] == 800
    assert over.status_code == 413
    assert over.json()["type"] == "urn:treue:problem:body-too-large"
    assert own_route.status_code == 413


async def test_imports_have_their_own_larger_limit(
    another_gateway: Any, admin: dict[str, str]
) -> None:
    async with another_gateway(
        body_limit_bytes=1000, body_limits_by_prefix={"/api/v1/imports": 5000}
    ) as small:
        contacts = await small.post("/api/v1/contacts", content=b"x" * 3000, headers=admin)
        imports = await small.post("/api/v1/imports", content=b"x" * 3000, headers=admin)

    assert contacts.status_code == 413
    assert imports.status_code == 201


async def test_a_50_mb_multipart_import_passes_whole_with_its_boundary(
    client: Any, admin: dict[str, str]
) -> None:
    """The default limits take a realistic import file; the body is streamed on unchanged,
    with the multipart boundary the service needs to read it."""
    row = b"Jana,Becker,jana.becker@example.de,Becker Werkzeugbau GmbH,maschinenbau\n"
    content = row * (50 * 1024 * 1024 // len(row))
    request = client.build_request(
        "POST",
        "/api/v1/imports",
        files={"file": ("contacts.csv", content, "text/csv")},
        data={"kind": "contacts"},
        headers=admin,
    )
    body = request.read()
    answer = await client.send(request)

    assert answer.status_code == 201
    assert answer.json()["body_bytes"] == len(body) > 50_000_000
    assert answer.json()["content_type"] == request.headers["content-type"]
    assert "boundary=" in answer.json()["content_type"]
