import pytest

from treue.identity import Identity, issue_internal_token, verify_internal_token
from treue.problems import Unauthorized
from treue.token_memo import TokenMemo

SECRET = "s" * 32


class Clock:
    def __init__(self) -> None:
        self.now = 1_000.0

    def __call__(self) -> float:
        return self.now


class Verifier:
    """Counts its calls; answers the token's text and an expiry 60 s after 1,000."""

    def __init__(self) -> None:
        self.calls = 0

    def __call__(self, token: str) -> tuple[str, float]:
        self.calls += 1
        if token == "forged":
            raise Unauthorized("bad signature")
        return token.upper(), 1_060.0


def test_a_token_is_verified_once_until_it_expires_and_again_after() -> None:
    clock, verify = Clock(), Verifier()
    memo: TokenMemo[str] = TokenMemo(clock=clock)

    assert memo.verified("abc", SECRET, lambda: verify("abc")) == "ABC"
    clock.now = 1_059.9
    assert memo.verified("abc", SECRET, lambda: verify("abc")) == "ABC"
    assert verify.calls == 1

    clock.now = 1_060.0
    memo.verified("abc", SECRET, lambda: verify("abc"))
    assert verify.calls == 2


def test_a_token_that_fails_is_verified_again_every_time() -> None:
    memo: TokenMemo[str] = TokenMemo(clock=Clock())
    verify = Verifier()
    for _ in range(2):
        with pytest.raises(Unauthorized):
            memo.verified("forged", SECRET, lambda: verify("forged"))
    assert verify.calls == 2


def test_the_same_token_under_another_secret_is_verified_on_its_own() -> None:
    memo: TokenMemo[str] = TokenMemo(clock=Clock())
    verify = Verifier()
    memo.verified("abc", SECRET, lambda: verify("abc"))
    memo.verified("abc", "another secret", lambda: verify("abc"))
    assert verify.calls == 2


def test_the_oldest_token_goes_first_beyond_the_limit() -> None:
    memo: TokenMemo[str] = TokenMemo(max_entries=2, clock=Clock())
    verify = Verifier()
    for token in ("a", "b", "c"):
        memo.verified(token, SECRET, lambda t=token: verify(t))  # type: ignore[misc]
    memo.verified("c", SECRET, lambda: verify("c"))
    memo.verified("a", SECRET, lambda: verify("a"))
    assert verify.calls == 4


def test_internal_tokens_are_kept_per_secret_and_an_expired_one_is_refused() -> None:
    identity = Identity(subject="u1", kind="user", role="agent")
    good = issue_internal_token(identity, SECRET)
    assert verify_internal_token(good, SECRET) == identity
    assert verify_internal_token(good, SECRET) is verify_internal_token(good, SECRET)
    with pytest.raises(Unauthorized):
        verify_internal_token(good, "x" * 32)
    expired = issue_internal_token(identity, SECRET, ttl=-1)
    with pytest.raises(Unauthorized):
        verify_internal_token(expired, SECRET)
