"""The webhooks' way out: the SSRF guard on URLs and the signed POST of one attempt."""

from __future__ import annotations

import asyncio
import email.utils
import socket
import time
from collections.abc import Awaitable, Callable, Iterable
from datetime import UTC, datetime

import httpcore
import httpx
from httpcore import SOCKET_OPTION

from gateway.domain.webhooks import AttemptResult, UnsafeUrl, check_address, check_url_form

USER_AGENT = "Treue-Webhooks/1.0"


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


class GuardedNetworkBackend(httpcore.AsyncNetworkBackend):
    """Opens connections to the addresses the guard checked, never to a second lookup of
    the name: a DNS answer that changes between the check and the connect (DNS rebinding)
    cannot point an attempt inside. The URL keeps the name, so the Host header, TLS SNI and
    the certificate check are for the name; connections are pooled per name."""

    def __init__(self, guard: UrlGuard, inner: httpcore.AsyncNetworkBackend | None = None):
        self.guard = guard
        self.inner = inner or httpcore.AnyIOBackend()

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[SOCKET_OPTION] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        addresses = await asyncio.wait_for(self.guard.addresses(host, port), timeout)
        failure: Exception | None = None
        for address in addresses:
            try:
                return await self.inner.connect_tcp(
                    address, port, timeout, local_address, socket_options
                )
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as error:
                failure = error
        assert failure is not None
        raise failure

    async def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,
        socket_options: Iterable[SOCKET_OPTION] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        raise UnsafeUrl("webhooks are not sent over unix sockets")

    async def sleep(self, seconds: float) -> None:
        await self.inner.sleep(seconds)


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
    """POSTs one attempt over a pooled client that never follows redirects (make_client)."""

    def __init__(self, client: httpx.AsyncClient, body_limit: int) -> None:
        self.client = client
        self.body_limit = body_limit

    async def send(self, url: str, headers: dict[str, str], body: bytes) -> AttemptResult:
        started = time.perf_counter()

        def elapsed() -> int:
            return int((time.perf_counter() - started) * 1000)

        try:
            check_url_form(url)
            request = self.client.build_request(
                "POST",
                url,
                content=body,
                headers={"content-type": "application/json", "user-agent": USER_AGENT, **headers},
            )
            # The client's connections check the host's addresses as they open (make_client):
            # DNS may have changed since the URL was saved.
            answer = await self.client.send(request, stream=True)
            try:
                received = bytearray()
                async for chunk in answer.aiter_raw():
                    received += chunk
                    if len(received) >= self.body_limit:
                        break
            finally:
                await answer.aclose()
        except UnsafeUrl as error:
            return AttemptResult(None, elapsed(), None, f"refused: {error}")
        except (httpx.TimeoutException, TimeoutError):
            return AttemptResult(None, elapsed(), None, "timed out")
        except httpx.HTTPError as error:
            return AttemptResult(None, elapsed(), None, f"{type(error).__name__}: {error}")
        text = bytes(received[: self.body_limit]).decode("utf-8", "replace")
        return AttemptResult(
            status_code=answer.status_code,
            duration_ms=elapsed(),
            response_body=text or None,
            error=None,
            retry_after=retry_after_seconds(answer.headers.get("retry-after"), datetime.now(UTC)),
        )


def make_client(
    timeout_seconds: float, guard: UrlGuard, connections: int = 100
) -> httpx.AsyncClient:
    """Connections open only to addresses `guard` checked. `connections`: as many as
    attempts may be in flight, so none waits for a free one (the wait would count against
    its timeout), and all kept alive: a burst to one subscriber would otherwise close and
    reopen connections on every batch."""
    return httpx.AsyncClient(
        transport=GuardedTransport(guard, connections),
        timeout=timeout_seconds,
        follow_redirects=False,
        # Proxies from the environment would route around the SSRF guard's view of the host.
        trust_env=False,
    )


class GuardedTransport(httpx.AsyncHTTPTransport):
    """httpx's transport over a connection pool whose connections go through the guard."""

    def __init__(self, guard: UrlGuard, connections: int) -> None:
        super().__init__(trust_env=False)
        # httpx takes no network backend of its own; the pool it made is replaced by one
        # with the same defaults (HTTP/1.1, 5 s keep-alive, httpx's trust store).
        self._pool = httpcore.AsyncConnectionPool(
            ssl_context=httpx.create_ssl_context(trust_env=False),
            max_connections=connections,
            max_keepalive_connections=connections,
            keepalive_expiry=5.0,
            network_backend=GuardedNetworkBackend(guard),
        )
