from gateway.adapters.throttle import FixedWindow, IntervalGate


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_a_window_allows_its_limit_then_refuses_until_it_ends() -> None:
    window = FixedWindow(limit=3, window_seconds=60)
    now = 999_975.0  # 15 s into the window that started at 999_960 (a multiple of 60)

    quotas = [window.quota(count, now) for count in range(1, 5)]

    assert window.start_of(now) == 999_960
    assert [q.allowed for q in quotas] == [True, True, True, False]
    assert [q.remaining for q in quotas] == [2, 1, 0, 0]
    assert [q.retry_after_seconds for q in quotas] == [0, 0, 0, 45]
    assert quotas[-1].reset_seconds == 45


def test_windows_are_aligned_so_every_replica_counts_in_the_same_one() -> None:
    window = FixedWindow(limit=10, window_seconds=300)

    assert window.start_of(1_000_199.9) == window.start_of(1_000_000.0) == 999_900
    assert window.start_of(1_000_200.0) == 1_000_200


def test_the_headers_follow_the_ietf_draft_fields() -> None:
    quota = FixedWindow(limit=10, window_seconds=60).quota(1, 1_000_079.5)

    assert quota.raw_headers() == [
        (b"ratelimit-limit", b"10"),
        (b"ratelimit-remaining", b"9"),
        (b"ratelimit-reset", b"1"),
    ]


def test_the_gate_opens_once_per_interval() -> None:
    clock = Clock()
    gate = IntervalGate(60, clock=clock)

    first, second = gate.due("key"), gate.due("key")
    clock.now += 61

    assert (first, second, gate.due("key")) == (True, False, True)
