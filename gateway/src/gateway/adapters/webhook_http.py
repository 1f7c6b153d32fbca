"""The webhooks' way out: the SSRF guard on URLs and the signed POST of one attempt."""

from __future__ import annotations

import asyncio
import email.utils
import socket
import time
from datetime import UTC, datetime

import httpx

from gateway.domain.webhooks import AttemptResult, UnsafeUrl, check_address, check_url_form

USER_AGENT = "Treue-Webhooks/1.0"


class UrlGuard:
    """Refuses URLs whose host resolves into a private range, unless allowed (development)."""

    def __init__(self, allow_private: bool) -> None:
        self.allow_private = allow_private

    async def check(self, url: str) -> None:
        host = check_url_form(url)
        if self.allow_private:
            return
        try:
            infos = await asyncio.get_running_loop().getaddrinfo(
                host, None, type=socket.SOCK_STREAM
            )
        except (socket.gaierror, UnicodeError) as error:
            raise UnsafeUrl(f"the host {host} does not resolve") from error
        # Every address, not the first: a name with one public and one private address
        # could otherwise send some attempts inside.
        for info in infos:
            check_address(str(info[4][0]))


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
    """POSTs one attempt over a pooled client that never follows redirects."""

    def __init__(self, client: httpx.AsyncClient, guard: UrlGuard, body_limit: int) -> None:
        self.client = client
        self.guard = guard
        self.body_limit = body_limit

    async def send(self, url: str, headers: dict[str, str], body: bytes) -> AttemptResult:
        started = time.perf_counter()

        def elapsed() -> int:
            return int((time.perf_counter() - started) * 1000)

        try:
            # Checked again at every attempt: DNS may have changed since the URL was saved.
            await self.guard.check(url)
        except UnsafeUrl as error:
            return AttemptResult(None, elapsed(), None, f"refused: {error}")
        request = self.client.build_request(
            "POST",
            url,
            content=body,
            headers={"content-type": "application/json", "user-agent": USER_AGENT, **headers},
        )
        try:
            answer = await self.client.send(request, stream=True)
            try:
                received = bytearray()
                async for chunk in answer.aiter_raw():
                    received += chunk
                    if len(received) >= self.body_limit:
                        break
            finally:
                await answer.aclose()
        except httpx.TimeoutException:
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


def make_client(timeout_seconds: float, connections: int = 100) -> httpx.AsyncClient:
    """`connections`: as many as attempts may be in flight, so none waits for a free one
    (the wait would count against its timeout), and all kept alive: a burst to one
    subscriber would otherwise close and reopen connections on every batch."""
    return httpx.AsyncClient(
        timeout=timeout_seconds,
        follow_redirects=False,
        limits=httpx.Limits(max_connections=connections, max_keepalive_connections=connections),
        # Proxies from the environment would route around the SSRF guard's view of the host.
        trust_env=False,
    )
