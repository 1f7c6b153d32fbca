"""What verifying a signed token yielded, kept by the token's exact text until it expires.

A caller sends the same token with every request: the gateway's access token until it
expires, the gateway's internal identity token for half its lifetime. Checking an HS256
signature and decoding the claims costs about a tenth of a millisecond each time, for the
same answer. The answer depends only on the token's text and the secret, so it is kept by
both, and only until the token's own expiry, which is checked on every use. A token that
fails verification is not kept: it fails again, the same way, every time.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Generic, TypeVar

T = TypeVar("T")

# Beyond this many tokens the oldest go first (a dict keeps insertion order).
MAX_ENTRIES = 10_000


class TokenMemo(Generic[T]):
    def __init__(
        self, max_entries: int = MAX_ENTRIES, clock: Callable[[], float] = time.time
    ) -> None:
        self.max_entries = max_entries
        self.clock = clock
        self._verified: dict[tuple[str, str], tuple[float, T]] = {}

    def verified(self, token: str, secret: str, verify: Callable[[], tuple[T, float]]) -> T:
        """`verify()` checks the token and returns its value and its expiry (epoch seconds);
        it raises for a bad token, and is only called when the token is not kept."""
        key = (secret, token)
        entry = self._verified.get(key)
        if entry is not None:
            if self.clock() < entry[0]:
                return entry[1]
            del self._verified[key]
        value, expires_at = verify()
        if len(self._verified) >= self.max_entries:
            del self._verified[next(iter(self._verified))]
        self._verified[key] = (expires_at, value)
        return value
