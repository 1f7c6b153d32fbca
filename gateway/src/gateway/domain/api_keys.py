"""API keys for business systems: scoped, shown once, revocable (plain Python)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

# Bearer tokens starting with this are API keys; access tokens are JWTs ("eyJ…").
KEY_PREFIX = "treue_"


class Scope(StrEnum):
    CONTACTS_READ = "contacts:read"
    CONTACTS_WRITE = "contacts:write"
    SURVEYS_READ = "surveys:read"
    SURVEYS_WRITE = "surveys:write"
    ANALYTICS_READ = "analytics:read"
    WEBHOOKS_MANAGE = "webhooks:manage"
    ADMIN = "admin"


@dataclass
class ApiKey:
    id: uuid.UUID
    name: str
    scopes: list[str]
    # The first characters of the key, so admins can tell keys apart without the secret.
    prefix: str
    key_hash: str
    created_by: uuid.UUID | None
    created_at: datetime
    last_used_at: datetime | None = None
    revoked_at: datetime | None = None

    def revoke(self, now: datetime) -> None:
        if self.revoked_at is None:
            self.revoked_at = now
