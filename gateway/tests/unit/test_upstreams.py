import httpx
import pytest

from gateway.adapters.upstreams import ReplicaSet, may_retry, means_down
from gateway.settings import GatewaySettings

REQUEST = httpx.Request("POST", "http://contacts/api/v1/contacts")


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_requests_take_turns_over_the_replicas() -> None:
    replicas = ReplicaSet(["http://a", "http://b/", "http://c"], down_seconds=5)

    firsts = [replicas.attempt_order()[0] for _ in range(4)]

    assert firsts == ["http://a", "http://b", "http://c", "http://a"]
    assert replicas.attempt_order() == ["http://b", "http://c", "http://a"]


def test_a_replica_marked_down_is_tried_last_until_its_time_is_up() -> None:
    clock = Clock()
    replicas = ReplicaSet(["http://a", "http://b"], down_seconds=5, clock=clock)
    replicas.mark_down("http://a")

    assert [replicas.attempt_order() for _ in range(2)] == [["http://b", "http://a"]] * 2
    assert replicas.is_down("http://a")
    clock.now += 5.1
    assert replicas.attempt_order() == ["http://a", "http://b"]


def test_when_every_replica_is_down_the_one_back_soonest_comes_first() -> None:
    clock = Clock()
    replicas = ReplicaSet(["http://a", "http://b"], down_seconds=5, clock=clock)
    replicas.mark_down("http://b")
    clock.now += 1
    replicas.mark_down("http://a")

    assert replicas.attempt_order() == ["http://b", "http://a"]


def test_a_success_clears_the_mark() -> None:
    replicas = ReplicaSet(["http://a", "http://b"], down_seconds=5)
    replicas.mark_down("http://a")
    replicas.mark_up("http://a")

    assert not replicas.is_down("http://a")


def test_a_service_needs_a_replica() -> None:
    with pytest.raises(ValueError, match="at least one"):
        ReplicaSet([], down_seconds=5)


@pytest.mark.parametrize(
    "error",
    [httpx.ConnectError("refused", request=REQUEST), httpx.ConnectTimeout("slow", request=REQUEST)],
)
def test_a_request_that_never_left_is_always_retried(error: httpx.TransportError) -> None:
    assert may_retry(error, "POST", idempotency_key=False, body_replayable=False)
    assert means_down(error)


@pytest.mark.parametrize(
    ("method", "key", "replayable", "expected"),
    [
        ("POST", False, True, False),  # may have been applied: never twice
        ("PATCH", False, True, False),
        ("POST", True, True, True),  # the service answers a replay with the first result
        ("GET", False, True, True),
        ("DELETE", False, True, True),
        ("PUT", False, False, False),  # the streamed body is gone
    ],
)
def test_after_sending_only_idempotent_requests_are_retried(
    method: str, key: bool, replayable: bool, expected: bool
) -> None:
    dropped = httpx.RemoteProtocolError("server disconnected", request=REQUEST)

    assert may_retry(dropped, method, idempotency_key=key, body_replayable=replayable) is expected
    assert means_down(dropped)


def test_a_timeout_is_neither_retried_nor_taken_for_a_dead_replica() -> None:
    slow = httpx.ReadTimeout("slow", request=REQUEST)

    assert not may_retry(slow, "GET", idempotency_key=True, body_replayable=True)
    assert not means_down(slow)


def test_the_replica_lists_replace_the_single_urls_when_set() -> None:
    settings = GatewaySettings(
        contacts_urls="http://127.0.0.1:8001, http://127.0.0.1:8011",
        survey_url="http://survey:8002",
    )

    replicas = settings.upstream_replicas()

    assert replicas["contacts"] == ["http://127.0.0.1:8001", "http://127.0.0.1:8011"]
    assert replicas["survey"] == ["http://survey:8002"]
