"""The webhooks' way out: the SSRF guard on URLs and the signed POST of one attempt."""

from __future__ import annotations

import asyncio
import email.utils
import functools
import ipaddress
import socket
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Self

import aiohttp
from aiohttp.abc import AbstractResolver, ResolveResult

from gateway.domain.webhooks import AttemptResult, UnsafeUrl, check_address, check_url_form

USER_AGENT = "Treue-Webhooks/1.0"
KEEPALIVE_SECONDS = 4.0


Resolver = Callable[[str, int], Awaitable[list[str]]]


async def system_resolver(host: str, port: int) -> list[str]:
    """Every address of `host` the system resolver gives, in its order."""
    infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return [str(info[4][0]) for info in infos]


class UrlGuard:
    """Refuses URLs whose host resolves into a private range, unless allowed (development)."""

    def __init__(self, allow_private: bool, resolver: Resolver = system_resolver) -> None:
        self.allow_private = allow_private
        self.resolver = resolver

    async def check(self, url: str) -> None:
        host = check_url_form(url)
        if not self.allow_private:
            await self.addresses(host, 0)

    async def addresses(self, host: str, port: int) -> list[str]:
        """The host resolved once, every address checked: a name with one public and one
        private address could otherwise send some attempts inside."""
        try:
            addresses = await self.resolver(host, port)
        except (OSError, UnicodeError) as error:
            raise UnsafeUrl(f"the host {host} does not resolve") from error
        if not addresses:
            raise UnsafeUrl(f"the host {host} does not resolve")
        if not self.allow_private:
            for address in addresses:
                check_address(address)
        return addresses

    def check_before_sending(self, url: str) -> None:
        """The URL's form, and its host if that is an IP address: aiohttp connects to an
        address in the URL without asking the resolver (names are checked there)."""
        _check_before_sending(url, self.allow_private)


# Every attempt checks its URL; a replica sends to a few thousand URLs at most, and parsing
# each once saves a tenth of an attempt's CPU. Refusals raise, and are not cached.
@functools.lru_cache(maxsize=4096)
def _check_before_sending(url: str, allow_private: bool) -> None:
    host = check_url_form(url)
    try:
        ipaddress.ip_address(host.split("%")[0])
    except ValueError:
        return
    if not allow_private:
        check_address(host)


class GuardedResolver(AbstractResolver):
    """aiohttp looks names up through this: the guard resolves once and checks every
    address, and the connection opens to one of those addresses, never to a second lookup
    of the name, so a DNS answer that changes between the check and the connect (DNS
    rebinding) cannot point an attempt inside. The URL keeps the name, so the Host header,
    TLS SNI and the certificate check are for the name; connections are pooled per name."""

    def __init__(self, guard: UrlGuard) -> None:
        self.guard = guard

    async def resolve(
        self, host: str, port: int = 0, family: socket.AddressFamily = socket.AF_INET
    ) -> list[ResolveResult]:
        return [
            ResolveResult(
                hostname=host,
                host=address,
                port=port,
                family=socket.AF_INET6 if ":" in address else socket.AF_INET,
                proto=0,
                flags=socket.AI_NUMERICHOST,
            )
            for address in await self.guard.addresses(host, port)
        ]

    async def close(self) -> None:
        """Nothing to release: the guard's resolver holds no resources."""


def retry_after_seconds(value: str | None, now: datetime) -> float | None:
    """Retry-After as seconds or as an HTTP date."""
    if not value:
        return None
    if value.strip().isdigit():
        return float(value.strip())
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max((when - now).total_seconds(), 0.0)


class WebhookSender:
    """POSTs attempts over one pooled aiohttp session, opened and closed with `async with`.

    aiohttp, not httpx: bench/webhook_http.py measured about a twentieth of httpx's CPU per
    POST, which is what lets one replica send hundreds of deliveries a second. Redirects
    are not followed, proxies from the environment are ignored (they would route around
    the guard's view of the host), cookies are not kept (one subscriber's would go to the
    next), and each attempt has one timeout from its start to its truncated answer."""

    def __init__(
        self, guard: UrlGuard, timeout_seconds: float, body_limit: int, connections: int = 100
    ) -> None:
        self.guard = guard
        self.timeout_seconds = timeout_seconds
        self.body_limit = body_limit
        self.connections = connections
        self._session: aiohttp.ClientSession | None = None

    async def __aenter__(self) -> Self:
        connector = aiohttp.TCPConnector(
            # As many as attempts may be in flight, so none waits for a free connection
            # (the wait would count against its timeout).
            limit=self.connections,
            limit_per_host=0,
            resolver=GuardedResolver(self.guard),
            # Below the 5 s after which common servers (uvicorn, Node) close an idle
            # connection: a POST on a connection the server is closing would fail.
            keepalive_timeout=KEEPALIVE_SECONDS,
        )
        self._session = aiohttp.ClientSession(
            connector=connector,
            cookie_jar=aiohttp.DummyCookieJar(),
            # One timeout for the whole attempt: the lookup, connecting, sending, the answer
            # and reading its (truncated) body.
            timeout=aiohttp.ClientTimeout(total=self.timeout_seconds),
            trust_env=False,
            # Answers are stored as they arrive, truncated: asking for no compression keeps
            # the stored text readable and a small compressed answer from inflating.
            auto_decompress=False,
            skip_auto_headers=("Accept-Encoding",),
            headers={"content-type": "application/json", "user-agent": USER_AGENT},
        )
        return self

    async def __aexit__(self, *_: object) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None

    async def send(self, url: str, headers: dict[str, str], body: bytes) -> AttemptResult:
        assert self._session is not None, "the sender is used inside `async with`"
        started = time.perf_counter()

        def elapsed() -> int:
            return int((time.perf_counter() - started) * 1000)

        try:
            self.guard.check_before_sending(url)
            async with self._session.post(
                url, data=body, headers=headers, allow_redirects=False
            ) as answer:
                received = await self._read_truncated(answer)
        except UnsafeUrl as error:
            return AttemptResult(None, elapsed(), None, f"refused: {error}")
        except TimeoutError:
            return AttemptResult(None, elapsed(), None, "timed out")
        except aiohttp.ClientError as error:
            return AttemptResult(None, elapsed(), None, f"{type(error).__name__}: {error}")
        text = received.decode("utf-8", "replace")
        return AttemptResult(
            status_code=answer.status,
            duration_ms=elapsed(),
            response_body=text or None,
            error=None,
            retry_after=retry_after_seconds(answer.headers.get("retry-after"), datetime.now(UTC)),
        )

    async def _read_truncated(self, answer: aiohttp.ClientResponse) -> bytes:
        """At most body_limit bytes of the answer; the rest is never read (the connection
        is then closed rather than reused)."""
        received = bytearray()
        while len(received) < self.body_limit:
            chunk = await answer.content.read(self.body_limit - len(received))
            if not chunk:
                break
            received += chunk
        return bytes(received)
