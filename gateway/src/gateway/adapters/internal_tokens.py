"""The signed identity token for the services, made once per caller and reused.

Signing costs a JSON dump and an HMAC per request; the token is the same for every request
of one caller (it names the caller, not the request). It is reused until half its lifetime
is gone, so a service always receives one that is valid for at least that long.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Hashable

from treue.identity import DEFAULT_TTL_SECONDS, Identity, issue_internal_token

# Beyond this many callers the oldest entries go first (a dict keeps insertion order).
MAX_ENTRIES = 10_000


class InternalTokens:
    def __init__(
        self,
        secret: str,
        ttl_seconds: int = DEFAULT_TTL_SECONDS,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.secret = secret
        self.ttl = ttl_seconds
        self.clock = clock
        self._tokens: dict[Hashable, tuple[float, str]] = {}

    def token_for(self, caller: Hashable, identity: Callable[[], Identity]) -> str:
        """`caller` must change whenever the identity would (the gateway's Principal,
        which holds the role, scopes and name, does)."""
        now = self.clock()
        entry = self._tokens.get(caller)
        if entry is not None and now < entry[0]:
            return entry[1]
        token = issue_internal_token(identity(), self.secret, self.ttl)
        if entry is None and len(self._tokens) >= MAX_ENTRIES:
            del self._tokens[next(iter(self._tokens))]
        # The token's own clock is whole seconds (iat): renew a second early to be safe.
        self._tokens[caller] = (now + self.ttl / 2 - 1, token)
        return token
