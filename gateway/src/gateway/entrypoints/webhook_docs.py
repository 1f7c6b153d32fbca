"""The event catalogue in the OpenAPI document: one `webhooks` entry per event type, with
the body's schema and an example (OpenAPI 3.1)."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from fastapi import FastAPI
from pydantic import BaseModel, ConfigDict, create_model

from gateway.service_layer.webhook_catalogue import CATALOGUE, CatalogueEntry

HEADERS = [
    {
        "name": "webhook-id",
        "in": "header",
        "required": True,
        "description": "The message id (`msg_…`): the same on every retry; deduplicate by it",
        "schema": {"type": "string"},
    },
    {
        "name": "webhook-timestamp",
        "in": "header",
        "required": True,
        "description": "Unix seconds of this attempt; refuse values far from your clock",
        "schema": {"type": "string"},
    },
    {
        "name": "webhook-signature",
        "in": "header",
        "required": True,
        "description": "`v1,<base64 HMAC-SHA256>` of `{webhook-id}.{webhook-timestamp}.{body}` "
        "keyed with the base64-decoded part of the secret after `whsec_`; after a secret "
        "rotation two signatures separated by a space. Any one matching is enough.",
        "schema": {"type": "string"},
    },
]
ANSWERS: dict[int | str, dict[str, Any]] = {
    "2XX": {"description": "Received; any 2xx ends the delivery"},
    "410": {"description": "Gone: Treue disables the endpoint"},
    "default": {
        "description": "Anything else, or no answer within the timeout, is retried with "
        "backoff (5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h); Retry-After is honoured"
    },
}


def _envelope(entry: CatalogueEntry) -> type[BaseModel]:
    words = entry.event_type.replace(".", "_").split("_")
    name = "Webhook" + "".join(word.title() for word in words)
    example: dict[str, Any] = {
        "type": entry.event_type,
        "timestamp": "2026-11-27T09:14:03.512000+00:00",
        "data": entry.example,
    }
    model: type[BaseModel] = create_model(
        name,
        __config__=ConfigDict(json_schema_extra={"examples": [example]}),
        type=(Literal[entry.event_type], ...),  # type: ignore[arg-type]
        timestamp=(datetime, ...),
        data=(entry.data, ...),
    )
    return model


def register_catalogue(app: FastAPI) -> None:
    for entry in CATALOGUE:
        envelope = _envelope(entry)

        async def receive(body: Any) -> None:
            """Documentation only: the subscriber implements this."""

        receive.__annotations__["body"] = envelope
        app.webhooks.post(
            entry.event_type,
            summary=entry.summary,
            description=f"`{entry.event_type}`: {entry.summary}. "
            + (entry.data.__doc__ or "").strip(),
            operation_id=f"webhook-{entry.event_type.replace('.', '-')}",
            responses=ANSWERS,
            openapi_extra={"parameters": HEADERS},
        )(receive)
