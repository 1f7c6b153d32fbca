"""Users of the web app and their roles (plain Python)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

MIN_PASSWORD_LENGTH = 12


class Role(StrEnum):
    ADMIN = "admin"
    MANAGER = "manager"
    AGENT = "agent"
    VIEWER = "viewer"


class LastAdminRemains(ValueError):
    """Treue would be left without an active admin, and nobody could manage users again."""


@dataclass
class User:
    id: uuid.UUID
    email: str
    name: str
    role: str
    password_hash: str
    active: bool
    created_at: datetime

    @property
    def is_active_admin(self) -> bool:
        return self.active and self.role == Role.ADMIN

    def change(self, changes: dict[str, Any], other_active_admins: int) -> None:
        """Apply name/role/active/password_hash; refuse to remove the last active admin."""
        stays_admin = changes.get("active", self.active) and (
            changes.get("role", self.role) == Role.ADMIN
        )
        if self.is_active_admin and not stays_admin and other_active_admins == 0:
            raise LastAdminRemains("this is the last active admin; make another user admin first")
        for name in ("name", "role", "active", "password_hash"):
            if name in changes:
                setattr(self, name, changes[name])
