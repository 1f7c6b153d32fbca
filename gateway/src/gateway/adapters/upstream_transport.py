"""httpx's client API over aiohttp's connection pool, for the requests to the services.

httpx's own network layer (httpcore, anyio, h11) was about 40 % of the gateway's CPU per
proxied request: its pool scans every pooled connection per request, with a readability
check of each idle one, and anyio wraps every socket operation. aiohttp's connector keeps
idle connections in a queue per host and parses answers in C. The gateway's own requests
(the contact export) are httpx requests and responses over it; the proxy sends on it
directly (`send`), without building either, and reads aiohttp's answer. Both report
failures as httpx's errors, by what can have reached the service.

Why not the `httpx-aiohttp` package (0.2.0): it reports a connection that the service
dropped after the request was sent as `ConnectTimeout`, which here means "never sent", so a
POST lost that way would be retried on another replica (a second write) and answered 503
instead of 502; and it lets yarl re-quote the URL, which decodes `%2e%2e` and removes dot
segments, so the service would not get the path the caller sent. This transport maps
aiohttp's errors onto httpx's by what reached the service, and sends the URL as encoded.
"""

from __future__ import annotations

from collections.abc import AsyncIterable, AsyncIterator
from dataclasses import dataclass

import aiohttp
import httpx
from yarl import URL


class AiohttpTransport(httpx.AsyncBaseTransport):
    """Sends httpx requests over one pooled aiohttp session. Open it in the running event
    loop (`async with`, or as an httpx.AsyncClient's transport, which closes it)."""

    def __init__(self, limits: httpx.Limits) -> None:
        self._connector = aiohttp.TCPConnector(
            limit=limits.max_connections or 0,
            limit_per_host=0,
            # Idle connections are dropped after this, before the service closes them (see
            # gateway_resources): a request sent on a closing connection fails unsent.
            keepalive_timeout=limits.keepalive_expiry or 0,
            # The services are named in configuration; their addresses rarely move, but a
            # replaced pod must be found again.
            ttl_dns_cache=10,
        )
        self._session = aiohttp.ClientSession(
            connector=self._connector,
            cookie_jar=aiohttp.DummyCookieJar(),
            # Each request carries its own timeouts (httpx's, in its extensions).
            timeout=aiohttp.ClientTimeout(total=None),
            trust_env=False,
            # Answers pass through as the service encoded them; httpx set the headers.
            auto_decompress=False,
            skip_auto_headers=("Accept-Encoding", "User-Agent", "Content-Type"),
        )

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        timeout = request.extensions.get("timeout", {})
        headers = [
            (name.decode("latin-1"), value.decode("latin-1"))
            for name, value in request.headers.raw
            # aiohttp frames the body itself (chunked for a stream, a length for bytes).
            if name.lower() not in (b"transfer-encoding", b"content-length")
        ]
        data: bytes | AsyncIterable[bytes] | None
        try:
            data = request.content or None
        except httpx.RequestNotRead:
            data = request.stream  # type: ignore[assignment]
        answer = await self.send(
            request.method,
            str(request.url),
            headers,
            data,
            UpstreamTimeout(
                connect=timeout.get("connect"), pool=timeout.get("pool"), read=timeout.get("read")
            ),
            request,
        )
        return httpx.Response(
            status_code=answer.status,
            headers=answer.raw_headers,
            stream=AnswerStream(answer, request),
            request=request,
            extensions={"http_version": b"HTTP/1.1"},
        )

    async def send(
        self,
        method: str,
        url: str,
        headers: list[tuple[str, str]],
        body: bytes | AsyncIterable[bytes] | None,
        timeout: UpstreamTimeout,
        request: httpx.Request | None = None,
    ) -> aiohttp.ClientResponse:
        """Sends one request as given, without building an httpx request first (the proxy's
        path); failures raise the httpx error for what can have reached the service. The
        caller reads the answer and releases it."""
        try:
            return await self._session.request(
                method,
                # As encoded by the caller: yarl must not decode or normalise the path.
                URL(url, encoded=True),
                headers=headers,
                data=body,
                allow_redirects=False,
                timeout=aiohttp.ClientTimeout(
                    total=None,
                    # aiohttp's `connect` includes waiting for a free pooled connection.
                    connect=timeout.pool,
                    sock_connect=timeout.connect,
                    sock_read=timeout.read,
                ),
            )
        except (aiohttp.ClientError, TimeoutError) as error:
            raise httpx_error(error, request) from error

    async def aclose(self) -> None:
        await self._session.close()


@dataclass(frozen=True)
class UpstreamTimeout:
    """Seconds to wait for a connection (`connect`), for a free pooled one (`pool`) and for
    each read of the answer (`read`); None waits as long as it takes."""

    connect: float | None
    pool: float | None
    read: float | None

    @classmethod
    def every(cls, seconds: float) -> UpstreamTimeout:
        return cls(connect=seconds, pool=seconds, read=seconds)


class AnswerStream(httpx.AsyncByteStream):
    def __init__(self, answer: aiohttp.ClientResponse, request: httpx.Request) -> None:
        self.answer = answer
        self.request = request

    async def __aiter__(self) -> AsyncIterator[bytes]:
        try:
            async for chunk in self.answer.content.iter_any():
                yield chunk
        except (aiohttp.ClientError, TimeoutError) as error:
            raise httpx_error(error, self.request) from error

    async def aclose(self) -> None:
        # Back to the pool when the answer was read to its end; closed otherwise.
        self.answer.release()


def httpx_error(error: BaseException, request: httpx.Request | None) -> httpx.TransportError:
    """The httpx error for an aiohttp one, by whether the request can have reached the
    service: only connection failures and waits for a connection mean it did not (the
    proxy may then send it to another replica; see gateway.adapters.upstreams)."""
    message = f"{type(error).__name__}: {error}"
    mapped: httpx.TransportError
    if isinstance(error, aiohttp.ConnectionTimeoutError):
        mapped = httpx.ConnectTimeout(message)
    elif isinstance(error, aiohttp.ClientConnectorError):
        mapped = httpx.ConnectError(message)
    elif isinstance(error, TimeoutError):
        # aiohttp.SocketTimeoutError, or another wait after the request was sent.
        mapped = httpx.ReadTimeout(message)
    elif isinstance(error, aiohttp.ServerDisconnectedError | aiohttp.ClientPayloadError):
        mapped = httpx.RemoteProtocolError(message)
    elif isinstance(error, aiohttp.ClientConnectionError):
        mapped = httpx.ReadError(message)
    else:
        mapped = httpx.RemoteProtocolError(message)
    if request is not None:
        mapped.request = request
    return mapped
