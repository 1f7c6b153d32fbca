"""Liveness and readiness.

Readiness fails when Postgres is unreachable: without it nothing works. Kafka is checked
and reported, but a broker outage leaves the service ready on purpose: writes keep landing
in the outbox and are relayed when the broker is back, which is what the outbox is for.
"""

from __future__ import annotations

import asyncio
from typing import Literal

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

CHECK_TIMEOUT_SECONDS = 2.0

router = APIRouter(prefix="/health", tags=["health"])


class Readiness(BaseModel):
    status: Literal["ready", "degraded", "unavailable"]
    postgres: bool
    kafka: bool
    outbox_relay_leader: bool


async def postgres_reachable(engine: AsyncEngine) -> bool:
    try:
        async with asyncio.timeout(CHECK_TIMEOUT_SECONDS), engine.connect() as conn:
            await conn.execute(text("SELECT 1"))
    except Exception:
        return False
    return True


async def kafka_reachable(bootstrap_servers: str) -> bool:
    for server in bootstrap_servers.split(","):
        host, _, port = server.strip().rpartition(":")
        try:
            async with asyncio.timeout(CHECK_TIMEOUT_SECONDS):
                _, writer = await asyncio.open_connection(host, int(port))
            writer.close()
            return True
        except (OSError, TimeoutError, ValueError):
            continue
    return False


@router.get("/live", operation_id="health-live")
async def live() -> dict[str, str]:
    return {"status": "alive"}


@router.get("/ready", operation_id="health-ready", response_model=Readiness)
async def ready(request: Request) -> JSONResponse:
    runtime = request.app.state.runtime
    postgres, kafka = await asyncio.gather(
        postgres_reachable(runtime.engine),
        kafka_reachable(runtime.settings.kafka_bootstrap_servers),
    )
    status = "ready" if postgres and kafka else "degraded" if postgres else "unavailable"
    body = Readiness(
        status=status,
        postgres=postgres,
        kafka=kafka,
        outbox_relay_leader=runtime.relay.is_leader,
    )
    return JSONResponse(body.model_dump(), status_code=200 if postgres else 503)
