"""The import's two writers, with a fake batch writer that logs what it does: batches
overlap only as `BatchWriters` promises, commit in file order, and a lost race rolls back
the batch behind before the two are tried again."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field

import pytest

from contacts.domain.imports import ImportCounts
from contacts.service_layer.import_writers import BatchKeys, BatchWriters, Turn
from treue.problems import Conflict


@dataclass
class FakeBatch:
    name: str
    keys: BatchKeys = frozenset()
    rows: int = 10
    conflicts: int = 0
    error: Exception | None = None
    # Set when the writer starts it.
    started: asyncio.Event = field(default_factory=asyncio.Event)
    # The lookup returns (the locks are held) once this is set.
    looked_up: asyncio.Event = field(default_factory=asyncio.Event)
    # The batch commits once this is set.
    may_commit: asyncio.Event = field(default_factory=asyncio.Event)

    def __post_init__(self) -> None:
        self.looked_up.set()
        self.may_commit.set()


@dataclass
class FakeWriter:
    log: list[str] = field(default_factory=list)
    settled: list[str] = field(default_factory=list)

    async def write(self, batch: FakeBatch, turn: Turn) -> ImportCounts:
        self.log.append(f"start {batch.name}")
        batch.started.set()
        try:
            await batch.looked_up.wait()
            turn.locked.set()
            await batch.may_commit.wait()
            if batch.conflicts:
                batch.conflicts -= 1
                raise Conflict("another contact has the same email")
            if batch.error is not None:
                raise batch.error
            before = await turn.totals_before()
        except Exception:
            self.log.append(f"rollback {batch.name}")
            raise
        self.log.append(f"commit {batch.name}")
        return before.plus(ImportCounts(created=batch.rows))

    async def settle(self, batch: FakeBatch) -> None:
        self.settled.append(batch.name)

    def writers(self) -> BatchWriters[FakeBatch]:
        return BatchWriters(self.write, keys_of, ImportCounts(), self.settle)


async def keys_of(batch: FakeBatch) -> BatchKeys:
    return batch.keys


def commit_once_started(waiting: FakeBatch, started: FakeBatch) -> asyncio.Task[None]:
    """Lets `waiting` go on to its commit once the writer started `started`."""

    async def release() -> None:
        await started.started.wait()
        waiting.may_commit.set()

    return asyncio.create_task(release())


async def run(writer: FakeWriter, *batches: FakeBatch) -> ImportCounts:
    writers = writer.writers()
    try:
        for batch in batches:
            await writers.add(batch)
        return await writers.finish()
    finally:
        await writers.close()


async def test_batches_with_other_keys_overlap_and_commit_in_file_order() -> None:
    writer = FakeWriter()
    first = FakeBatch("1", frozenset({("email", "a@x.de")}), rows=3)
    first.may_commit.clear()
    second = FakeBatch("2", frozenset({("email", "b@x.de")}), rows=4)

    opener = commit_once_started(first, second)
    totals = await run(writer, first, second)
    await opener

    assert writer.log == ["start 1", "start 2", "commit 1", "commit 2"]
    assert writer.settled == ["1", "2"]
    assert totals == ImportCounts(created=7)


async def test_a_batch_starts_only_once_the_one_ahead_holds_its_locks() -> None:
    writer = FakeWriter()
    first = FakeBatch("1", frozenset({("email", "a@x.de")}))
    first.looked_up.clear()

    async def finish_the_lookup_later() -> None:
        for _ in range(20):
            await asyncio.sleep(0)
        writer.log.append("locked 1")
        first.looked_up.set()

    locker = asyncio.create_task(finish_the_lookup_later())
    await run(writer, first, FakeBatch("2", frozenset({("email", "b@x.de")})))
    await locker

    assert writer.log.index("locked 1") < writer.log.index("start 2")


@pytest.mark.parametrize(
    ("first_keys", "second_keys"),
    [
        (frozenset({("email", "a@x.de")}), frozenset({("email", "a@x.de"), ("email", "b@x")})),
        (frozenset({("external_id", "crm-1")}), frozenset({("external_id", "crm-1")})),
        (None, frozenset({("email", "b@x.de")})),
        (frozenset({("email", "a@x.de")}), None),
    ],
)
async def test_batches_naming_a_common_key_or_without_keys_do_not_overlap(
    first_keys: BatchKeys, second_keys: BatchKeys
) -> None:
    writer = FakeWriter()
    await run(writer, FakeBatch("1", first_keys), FakeBatch("2", second_keys))

    assert writer.log == ["start 1", "commit 1", "start 2", "commit 2"]


async def test_a_lost_race_rolls_back_the_batch_behind_and_tries_both_again_in_order() -> None:
    writer = FakeWriter()
    first = FakeBatch("1", frozenset({("email", "a@x.de")}), rows=3, conflicts=1)
    first.may_commit.clear()
    second = FakeBatch("2", frozenset({("email", "b@x.de")}), rows=4)

    racer = commit_once_started(first, second)
    totals = await run(writer, first, second, FakeBatch("3", frozenset(), rows=5))
    await racer

    assert writer.log[:6] == [
        "start 1",
        "start 2",
        "rollback 1",
        "rollback 2",
        "start 1",
        "commit 1",
    ]
    assert writer.log[6] == "start 2"
    assert [entry for entry in writer.log if entry.startswith("commit")] == [
        "commit 1",
        "commit 2",
        "commit 3",
    ]
    assert writer.settled == ["1", "2", "3"]
    assert totals == ImportCounts(created=12)


async def test_a_batch_that_loses_the_race_twice_fails_the_job_and_nothing_behind_commits() -> None:
    writer = FakeWriter()
    first = FakeBatch("1", frozenset({("email", "a@x.de")}), conflicts=2)

    with pytest.raises(Conflict):
        await run(writer, first, FakeBatch("2", frozenset({("email", "b@x.de")})))

    assert [entry for entry in writer.log if entry.startswith("commit")] == []
    assert writer.settled == []


async def test_an_error_in_a_batch_rolls_back_the_one_behind_and_ends_the_job() -> None:
    writer = FakeWriter()
    first = FakeBatch("1", frozenset({("email", "a@x.de")}), error=RuntimeError("gone"))
    first.may_commit.clear()
    second = FakeBatch("2", frozenset({("email", "b@x.de")}))

    failer = commit_once_started(first, second)
    with pytest.raises(RuntimeError, match="gone"):
        await run(writer, first, second)
    await failer

    assert writer.log == ["start 1", "start 2", "rollback 1", "rollback 2"]
    assert writer.settled == []


async def test_a_job_stopped_early_rolls_back_the_batches_in_flight() -> None:
    writer = FakeWriter()
    first = FakeBatch("1", frozenset({("email", "a@x.de")}))
    first.may_commit.clear()
    second = FakeBatch("2", frozenset({("email", "b@x.de")}))
    job = asyncio.create_task(run(writer, first, second))
    await second.started.wait()

    job.cancel()
    with pytest.raises(asyncio.CancelledError):
        await job

    assert [entry for entry in writer.log if entry.startswith("commit")] == []
    assert writer.settled == []
