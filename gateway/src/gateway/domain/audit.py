"""What the audit log remembers of each write (plain Python)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class AuditEntry:
    occurred_at: datetime
    actor_kind: str  # user, api_key or anonymous (e.g. a failed login)
    actor_id: uuid.UUID | None
    method: str
    path: str
    status_code: int
    resource_id: str | None
    client_address: str | None
    user_agent: str | None
    request_id: str | None


def resource_id_of(path: str, location: str | None = None) -> str | None:
    """The innermost id in the path (what the write acted on), else the created one's id."""
    for candidate in (path, location or ""):
        for segment in reversed(candidate.rstrip("/").split("/")):
            try:
                return str(uuid.UUID(segment))
            except ValueError:
                continue
    return None
