"""The subscriber of bench/webhooks.py and bench/webhook_latency.py: answers 200 to every
POST and remembers, per request, its arrival time minus the body's `timestamp` (the event's
time), and its arrival time by the body's `data.response_id` (detractor answers).

GET /stats answers both; GET /reset forgets them. Kept apart from webhooks.py
so it starts in its own process without importing the gateway.

    .venv/bin/python bench/webhook_receiver.py PORT
"""

from __future__ import annotations

import sys
import time
from datetime import datetime
from typing import Any

import orjson
import uvicorn

latencies: list[float] = []
arrivals: dict[str, float] = {}


async def receiver(scope: dict[str, Any], receive: Any, send: Any) -> None:
    if scope["type"] != "http":
        return
    body = b""
    while True:
        message = await receive()
        body += message.get("body", b"")
        if not message.get("more_body"):
            break
    answer = b""
    if scope["method"] == "POST":
        arrived = time.time()
        message = orjson.loads(body)
        latencies.append(arrived - datetime.fromisoformat(message["timestamp"]).timestamp())
        response_id = message.get("data", {}).get("response_id")
        # The first arrival counts: a retry of the same message comes later.
        if response_id is not None and response_id not in arrivals:
            arrivals[response_id] = arrived
    elif scope["path"] == "/stats":
        answer = orjson.dumps({"latencies": latencies, "arrivals": arrivals})
    elif scope["path"] == "/reset":
        latencies.clear()
        arrivals.clear()
    await send({"type": "http.response.start", "status": 200, "headers": []})
    await send({"type": "http.response.body", "body": answer})


if __name__ == "__main__":
    uvicorn.run(receiver, host="127.0.0.1", port=int(sys.argv[1]), log_level="warning")
