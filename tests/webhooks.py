"""A real webhook subscriber for the fault tests, and what they check of its deliveries.

The receiver is a plain HTTP server on a free local port in threads of its own, so it keeps
answering while the test's event loop is busy driving load; the local stack allows private
webhook URLs (TREUE_WEBHOOKS_ALLOW_PRIVATE_URLS, deploy/local/lib.sh).
"""

from __future__ import annotations

import json
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any

import httpx
from standardwebhooks import Webhook

from tests.support import NotYet

# Two sends of one message in parallel arrive milliseconds apart; a retry waits out a lease
# (more than an attempt's timeout, seconds at least).
RETRY_GAP = 1.0


class _Server(ThreadingHTTPServer):
    # A gateway sends up to batch size x lanes deliveries at once; with the default backlog
    # of 5 connections the kernel would refuse most of them, and the retries wait minutes.
    request_queue_size = 1024
    daemon_threads = True


@dataclass(frozen=True)
class Arrival:
    """One POST the receiver answered 200, at `at` (time.monotonic() of its arrival)."""

    at: float
    headers: dict[str, str]
    body: bytes

    @property
    def webhook_id(self) -> str:
        return self.headers["webhook-id"]

    @property
    def contact_id(self) -> str:
        data: dict[str, Any] = json.loads(self.body)["data"]
        return str(data["contact_id"])


@dataclass
class WebhookReceiver:
    """Answers every POST with 200 after `delay` seconds (a slow subscriber) and records it."""

    delay: float = 0.0
    _arrivals: list[Arrival] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _server: _Server | None = None

    def __enter__(self) -> WebhookReceiver:
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                arrived = time.monotonic()
                body = self.rfile.read(int(self.headers.get("content-length", "0")))
                time.sleep(receiver.delay)
                try:
                    self.send_response(200)
                    self.send_header("content-length", "0")
                    self.end_headers()
                except OSError:
                    return  # the sender gave up (or was killed): not delivered
                headers = {name.lower(): value for name, value in self.headers.items()}
                with receiver._lock:
                    receiver._arrivals.append(Arrival(arrived, headers, body))

            def log_message(self, format: str, *args: Any) -> None:
                """Quiet: hundreds of requests would drown the test's output."""

        self._server = _Server(("127.0.0.1", 0), Handler)
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        assert self._server is not None
        self._server.shutdown()
        self._server.server_close()

    @property
    def url(self) -> str:
        assert self._server is not None
        return f"http://127.0.0.1:{self._server.server_address[1]}/hooks"

    def arrivals(self) -> list[Arrival]:
        with self._lock:
            return list(self._arrivals)

    def all_arrived(self, contact_ids: list[str]) -> bool | NotYet:
        """A `wait_for` predicate: each of these contacts' contact.created has arrived."""
        missing = set(contact_ids) - {arrival.contact_id for arrival in self.arrivals()}
        return not missing or NotYet(f"{len(missing)} of {len(contact_ids)} not delivered")


async def subscribe(client: httpx.AsyncClient, url: str, event_type: str) -> tuple[str, str]:
    """Registers a webhook; answers its id and signing secret."""
    answer = await client.post(
        "/api/v1/webhooks",
        json={"url": url, "event_types": [event_type], "description": "fault test"},
    )
    assert answer.status_code == 201, answer.text
    created = answer.json()
    return str(created["id"]), str(created["secret"])


async def unsubscribe(client: httpx.AsyncClient, webhook_id: str) -> None:
    answer = await client.delete(f"/api/v1/webhooks/{webhook_id}")
    assert answer.status_code == 204, answer.text


def assert_each_delivered(
    arrivals: list[Arrival], contact_ids: list[str], secret: str, killed_at: float
) -> int:
    """Every contact's contact.created arrived, signed (checked with the reference
    library), as one message (one webhook-id per contact). A message arriving twice was a
    retry of what the killed gateway had in flight: the second time after the kill, and
    apart by a lease, never two sends in parallel. Answers how many messages came twice."""
    verifier = Webhook(secret)
    for arrival in arrivals:
        verifier.verify(arrival.body, arrival.headers)
    ids_per_contact: dict[str, set[str]] = defaultdict(set)
    times_per_id: dict[str, list[float]] = defaultdict(list)
    for arrival in arrivals:
        ids_per_contact[arrival.contact_id].add(arrival.webhook_id)
        times_per_id[arrival.webhook_id].append(arrival.at)
    missing = set(contact_ids) - set(ids_per_contact)
    assert not missing, f"{len(missing)} of {len(contact_ids)} contacts never delivered"
    several = {c: ids for c, ids in ids_per_contact.items() if c in contact_ids and len(ids) > 1}
    assert not several, f"contacts delivered as more than one message: {several}"
    repeated = {i: sorted(t) for i, t in times_per_id.items() if len(t) > 1}
    not_retries = {
        i: [round(t - killed_at, 2) for t in times]
        for i, times in repeated.items()
        if len(times) > 2 or times[1] < killed_at or times[1] - times[0] < RETRY_GAP
    }
    assert not not_retries, f"sent again, not as a retry (s after the kill): {not_retries}"
    return len(repeated)
