"""What the audit log remembers of each write and of each read of personal data in bulk or
for GDPR access (plain Python)."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from datetime import datetime

from gateway.domain.policy import WRITE_METHODS

_ID = "[^/]+"
# GETs that hand out personal data wholesale: a contact's GDPR export (joined here or one
# service's part of it) and the contacts CSV export. The POST export is a write method and
# recorded as every POST is.
PERSONAL_DATA_READS = tuple(
    re.compile(pattern)
    for pattern in (
        f"/api/v1/contacts/{_ID}/export",
        "/api/v1/contacts/export.csv",
        f"/api/v1/surveys/contacts/{_ID}/export",
        f"/api/v1/analytics/customers/{_ID}/export",
    )
)


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


def is_audited(method: str, path: str) -> bool:
    """Every write, and the reads of personal data (who saw whose data is accountable too)."""
    if method in WRITE_METHODS:
        return True
    return method == "GET" and any(read.fullmatch(path) for read in PERSONAL_DATA_READS)


def resource_id_of(path: str, location: str | None = None) -> str | None:
    """The innermost id in the path (what the write acted on), else the created one's id."""
    for candidate in (path, location or ""):
        for segment in reversed(candidate.rstrip("/").split("/")):
            try:
                return str(uuid.UUID(segment))
            except ValueError:
                continue
    return None
