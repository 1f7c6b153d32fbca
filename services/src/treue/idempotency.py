"""`Idempotency-Key` on POST: the same key and body return the first answer; another body, 409.

Keys are scoped by caller and path. A request holds its key with a lease while it runs, so
a concurrent retry gets 409 instead of a second write; a server error frees the key so the
client may retry. The unit of work marks the key committed in the transaction of the write
itself: if the process dies after that commit but before the answer is stored, a retry is
told so (409) instead of writing a second time.
"""

from __future__ import annotations

import contextvars
import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import delete, func, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from treue.identity import INTERNAL_TOKEN_HEADER, verify_internal_token
from treue.problems import Conflict, FieldError, Problem, problem_response
from treue.tables import BackboneTables

HEADER = "idempotency-key"
MAX_KEY_LENGTH = 200
LEASE = timedelta(seconds=60)
# The key the request being handled holds; the unit of work marks it committed.
_held_key: contextvars.ContextVar[str | None] = contextvars.ContextVar(
    "idempotency_key", default=None
)


async def mark_committed(session: AsyncSession, tables: BackboneTables) -> None:
    """Within the write's transaction: the request holding a key has changed data."""
    scope = _held_key.get()
    if scope is not None:
        keys = tables.idempotency_keys
        await session.execute(
            update(keys).where(keys.c.scope == scope).values(committed_at=func.now())
        )


@dataclass(frozen=True)
class StoredResponse:
    status_code: int
    content_type: str | None
    body: bytes


class IdempotencyStore:
    def __init__(self, session_factory: async_sessionmaker[AsyncSession], tables: BackboneTables):
        self.session_factory = session_factory
        self.table = tables.idempotency_keys

    async def claim(self, scope: str, request_hash: str) -> StoredResponse | None:
        """Reserve the key for this request, or return the stored answer of the first one."""
        now = datetime.now(UTC)
        async with self.session_factory() as session, session.begin():
            claimed = await session.scalar(
                insert(self.table)
                .values(scope=scope, request_hash=request_hash, locked_until=now + LEASE)
                .on_conflict_do_nothing()
                .returning(self.table.c.scope)
            )
            if claimed is not None:
                return None
            row = (
                await session.execute(
                    select(self.table).where(self.table.c.scope == scope).with_for_update()
                )
            ).one()
            if row.request_hash != request_hash:
                raise _key_problem("was used before with a different request body")
            if row.status_code is not None:
                return StoredResponse(row.status_code, row.content_type, row.body or b"")
            if row.locked_until is not None and row.locked_until > now:
                raise _key_problem("a request with this key is still being processed")
            if row.committed_at is not None:
                raise _key_problem(
                    "was used by a request that changed data but whose answer was lost; "
                    "read the resource instead of retrying"
                )
            await session.execute(
                update(self.table)
                .where(self.table.c.scope == scope)
                .values(locked_until=now + LEASE)
            )
            return None

    async def complete(self, scope: str, response: StoredResponse) -> None:
        async with self.session_factory() as session, session.begin():
            await session.execute(
                update(self.table)
                .where(self.table.c.scope == scope)
                .values(
                    status_code=response.status_code,
                    content_type=response.content_type,
                    body=response.body,
                    locked_until=None,
                )
            )

    async def release(self, scope: str) -> None:
        """Frees the key after a server error, unless the request's write was committed."""
        async with self.session_factory() as session, session.begin():
            await session.execute(
                delete(self.table).where(
                    self.table.c.scope == scope, self.table.c.committed_at.is_(None)
                )
            )
            await session.execute(
                update(self.table).where(self.table.c.scope == scope).values(locked_until=None)
            )


def _key_problem(message: str) -> Problem:
    return Conflict(
        f"Idempotency-Key {message}",
        errors=[FieldError(field="Idempotency-Key", message=message)],
    )


class IdempotencyMiddleware:
    def __init__(
        self, app: ASGIApp, store: Callable[[], IdempotencyStore], secret: Callable[[], str]
    ):
        self.app = app
        self.store = store
        self.secret = secret

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        headers = dict(scope.get("headers", []))
        raw_key = headers.get(HEADER.encode())
        if scope["type"] != "http" or scope["method"] != "POST" or raw_key is None:
            await self.app(scope, receive, send)
            return
        key = raw_key.decode("latin-1")
        token = headers.get(INTERNAL_TOKEN_HEADER.encode())
        if token is None:
            # No caller to scope the key by (public routes); the route decides on access.
            await self.app(scope, receive, send)
            return
        try:
            caller = verify_internal_token(token.decode("latin-1"), self.secret()).subject
            if not key or len(key) > MAX_KEY_LENGTH:
                raise Problem(
                    f"Idempotency-Key must be 1..{MAX_KEY_LENGTH} characters",
                    errors=[FieldError(field="Idempotency-Key", message="invalid length")],
                )
            body = await _read_body(receive)
            request_hash = hashlib.sha256(body).hexdigest()
            key_scope = f"{caller}:{scope['path']}:{key}"
            stored = await self.store().claim(key_scope, request_hash)
        except Problem as problem:
            await problem_response(problem)(scope, receive, send)
            return
        if stored is not None:
            await _replay(stored, send)
            return
        await self._forward(scope, body, send, key_scope)

    async def _forward(self, scope: Scope, body: bytes, send: Send, key_scope: str) -> None:
        status = 500
        content_type: str | None = None
        chunks: list[bytes] = []
        delivered = False

        async def replay_body() -> Message:
            nonlocal delivered
            if delivered:
                return {"type": "http.disconnect"}
            delivered = True
            return {"type": "http.request", "body": body, "more_body": False}

        async def capture(message: Message) -> None:
            nonlocal status, content_type
            if message["type"] == "http.response.start":
                status = message["status"]
                for name, value in message.get("headers", []):
                    if name.lower() == b"content-type":
                        content_type = value.decode("latin-1")
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))
            await send(message)

        held = _held_key.set(key_scope)
        try:
            await self.app(scope, replay_body, capture)
        finally:
            _held_key.reset(held)
            if status >= 500:
                await self.store().release(key_scope)
            else:
                await self.store().complete(
                    key_scope, StoredResponse(status, content_type, b"".join(chunks))
                )


async def _read_body(receive: Receive) -> bytes:
    parts: list[bytes] = []
    while True:
        message = await receive()
        if message["type"] != "http.request":
            break
        parts.append(message.get("body", b""))
        if not message.get("more_body", False):
            break
    return b"".join(parts)


async def _replay(stored: StoredResponse, send: Send) -> None:
    headers = [(b"idempotent-replayed", b"true")]
    if stored.content_type:
        headers.append((b"content-type", stored.content_type.encode()))
    headers.append((b"content-length", str(len(stored.body)).encode()))
    await send({"type": "http.response.start", "status": stored.status_code, "headers": headers})
    await send({"type": "http.response.body", "body": stored.body})
