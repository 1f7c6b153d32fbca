"""When the consumer commits applied offsets: not after every batch, but once the interval
has passed while events flow, or at once when the stream pauses."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from aiokafka import TopicPartition

from treue.inbox import PendingOffsets

FIRST, SECOND = TopicPartition("treue.contacts", 0), TopicPartition("treue.contacts", 1)


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def batch(tp: TopicPartition, *offsets: int) -> dict[TopicPartition, list[Any]]:
    return {tp: [SimpleNamespace(offset=offset) for offset in offsets]}


def test_batches_wait_for_the_interval_and_commit_the_next_offset_of_each_partition() -> None:
    clock = Clock()
    pending = PendingOffsets(1.0, clock)
    assert not pending.due(idle=True)  # nothing applied yet

    pending.add(batch(FIRST, 10, 11))
    pending.add(batch(SECOND, 3))
    pending.add(batch(FIRST, 12))
    clock.now += 0.5
    assert not pending.due(idle=False)

    clock.now += 0.5
    assert pending.due(idle=False)
    assert pending.take() == {FIRST: 13, SECOND: 4}
    assert pending.offsets == {}
    assert not pending.due(idle=False)


def test_a_pause_commits_at_once_and_the_interval_restarts_at_each_commit() -> None:
    clock = Clock()
    pending = PendingOffsets(1.0, clock)
    pending.add(batch(FIRST, 7))
    assert pending.due(idle=True)
    assert pending.take() == {FIRST: 8}

    clock.now += 0.9
    pending.add(batch(FIRST, 8))
    assert not pending.due(idle=False)  # 0.9 s since the last commit, not since the start
    clock.now += 0.1
    assert pending.due(idle=False)
