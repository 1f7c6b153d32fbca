import uuid

from gateway.adapters.internal_tokens import InternalTokens
from gateway.adapters.sign_in_cache import PrincipalCache
from gateway.domain.policy import Principal
from treue.identity import Identity, verify_internal_token

SECRET = "a-test-secret-of-at-least-thirty-two-bytes"
KEY = Principal(kind="api_key", id=uuid.uuid4(), name="Webshop", scopes=("contacts:read",))


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def listening_cache(clock: Clock, ttl: float = 5.0) -> PrincipalCache:
    cache = PrincipalCache(ttl, clock)
    cache.listening = True
    return cache


def test_a_principal_is_remembered_for_the_ttl() -> None:
    clock = Clock()
    cache = listening_cache(clock)

    cache.put("k", KEY, cache.generation)
    clock.now += 4.9
    remembered = cache.get("k")
    clock.now += 0.2

    assert remembered == KEY
    assert cache.get("k") is None


def test_nothing_is_remembered_while_the_replica_does_not_listen_for_changes() -> None:
    clock = Clock()
    cache = listening_cache(clock)
    cache.put("k", KEY, cache.generation)

    cache.listening = False
    cache.put("other", KEY, cache.generation)
    cache.listening = True

    assert cache.get("k") == KEY
    assert cache.get("other") is None


def test_a_lookup_that_began_before_a_clear_is_not_remembered() -> None:
    cache = listening_cache(Clock())
    started = cache.generation

    cache.clear()
    cache.put("k", KEY, started)

    assert cache.get("k") is None


def test_a_clear_forgets_everyone() -> None:
    cache = listening_cache(Clock())
    cache.put("k", KEY, cache.generation)

    cache.clear()

    assert cache.get("k") is None


def identity() -> Identity:
    return Identity(subject=str(KEY.id), kind="api_key", scopes=list(KEY.scopes), name=KEY.name)


def test_the_identity_token_is_reused_until_half_its_lifetime_is_gone() -> None:
    clock = Clock()
    tokens = InternalTokens(SECRET, ttl_seconds=60, clock=clock)
    made = 0

    def counted() -> Identity:
        nonlocal made
        made += 1
        return identity()

    first = tokens.token_for(KEY, counted)
    clock.now += 28
    again = tokens.token_for(KEY, counted)
    clock.now += 2
    renewed = tokens.token_for(KEY, counted)

    assert first == again
    assert made == 2
    assert verify_internal_token(renewed, SECRET).subject == str(KEY.id)


def test_each_caller_gets_a_token_of_its_own() -> None:
    tokens = InternalTokens(SECRET)
    other = Principal(kind="api_key", id=uuid.uuid4(), name="CRM", scopes=("admin",))

    mine = verify_internal_token(tokens.token_for(KEY, identity), SECRET)
    theirs = verify_internal_token(
        tokens.token_for(
            other, lambda: Identity(subject=str(other.id), kind="api_key", scopes=["admin"])
        ),
        SECRET,
    )

    assert (mine.subject, theirs.subject) == (str(KEY.id), str(other.id))
    assert theirs.scopes == ["admin"]
