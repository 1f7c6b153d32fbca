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
