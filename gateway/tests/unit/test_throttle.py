from gateway.adapters.throttle import IntervalGate, TokenBucketLimiter


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_a_bucket_allows_a_burst_of_its_limit_then_refills_smoothly() -> None:
    clock = Clock()
    limiter = TokenBucketLimiter(limit=3, window_seconds=60, clock=clock)

    burst = [limiter.hit("jonas") for _ in range(4)]
    clock.now += 20  # one request's worth
    refilled = limiter.hit("jonas")

    assert [q.allowed for q in burst] == [True, True, True, False]
    assert [q.remaining for q in burst] == [2, 1, 0, 0]
    assert burst[-1].retry_after_seconds == 20
    assert burst[-1].reset_seconds == 60
    assert refilled.allowed


def test_callers_have_their_own_buckets() -> None:
    limiter = TokenBucketLimiter(limit=1, window_seconds=60, clock=Clock())

    assert limiter.hit("a").allowed
    assert limiter.hit("b").allowed
    assert not limiter.hit("a").allowed


def test_the_headers_follow_the_ietf_draft_fields() -> None:
    quota = TokenBucketLimiter(limit=10, window_seconds=60, clock=Clock()).hit("a")

    assert quota.headers() == {
        "RateLimit-Limit": "10",
        "RateLimit-Remaining": "9",
        "RateLimit-Reset": "6",
    }


def test_the_gate_opens_once_per_interval() -> None:
    clock = Clock()
    gate = IntervalGate(60, clock=clock)

    first, second = gate.due("key"), gate.due("key")
    clock.now += 61

    assert (first, second, gate.due("key")) == (True, False, True)
