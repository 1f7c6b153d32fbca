"""Users of the web app and their roles (plain Python)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum


class Role(StrEnum):
    ADMIN = "admin"
    MANAGER = "manager"
    AGENT = "agent"
    VIEWER = "viewer"


@dataclass
class User:
    id: uuid.UUID
    email: str
    name: str
    role: str
    password_hash: str
    active: bool
    created_at: datetime
