"""202 jobs against a real Postgres: claimed once, progress visible, failures kept."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from structlog.testing import capture_logs

from treue.jobs import JobContext, JobFailed, JobRead, JobRepository, JobRunner, JobStatus
from treue.tables import BackboneTables


async def add_job(
    session_factory: async_sessionmaker[AsyncSession], tables: BackboneTables, kind: str
) -> JobRead:
    async with session_factory() as session, session.begin():
        return await JobRepository(session, tables).add(kind, {"rows": 3}, "tester")


async def get_job(
    session_factory: async_sessionmaker[AsyncSession], tables: BackboneTables, job: JobRead
) -> JobRead:
    async with session_factory() as session:
        found = await JobRepository(session, tables).get(job.id, job.kind)
    assert found is not None
    return found


async def test_a_job_reports_progress_and_ends_with_its_result(
    session_factory: async_sessionmaker[AsyncSession], tables: BackboneTables
) -> None:
    seen: list[float] = []
    job = await add_job(session_factory, tables, "count")

    async def count(context: JobContext) -> dict[str, int]:
        for row in range(context.job.params["rows"]):
            await context.report((row + 1) / 3)
            seen.append((await get_job(session_factory, tables, job)).progress)
        return {"counted": 3}

    ran = await JobRunner(session_factory, tables, {"count": count}).run_next()

    done = await get_job(session_factory, tables, job)
    assert ran
    assert seen == [1 / 3, 2 / 3, 1.0]
    assert done.status == JobStatus.SUCCEEDED
    assert done.result == {"counted": 3}
    assert done.finished_at is not None


async def test_a_failing_job_keeps_its_error_and_nothing_is_left_to_run(
    session_factory: async_sessionmaker[AsyncSession], tables: BackboneTables
) -> None:
    job = await add_job(session_factory, tables, "explode")

    async def explode(context: JobContext) -> None:
        raise ValueError("row 2: quantity must be positive")

    runner = JobRunner(session_factory, tables, {"explode": explode})
    assert await runner.run_next()
    assert not await runner.run_next()

    failed = await get_job(session_factory, tables, job)
    assert failed.status == JobStatus.FAILED
    assert failed.error == "ValueError: row 2: quantity must be positive"


async def test_a_job_refused_for_a_reason_keeps_that_reason_as_its_error_and_logs_no_traceback(
    session_factory: async_sessionmaker[AsyncSession], tables: BackboneTables
) -> None:
    job = await add_job(session_factory, tables, "fit")

    async def fit(context: JobContext) -> None:
        raise JobFailed("no customer has an order up to 2026-01-01")

    with capture_logs() as logs:
        assert await JobRunner(session_factory, tables, {"fit": fit}).run_next()

    failed = await get_job(session_factory, tables, job)
    assert (failed.status, failed.error) == (
        JobStatus.FAILED,
        "no customer has an order up to 2026-01-01",
    )
    [logged] = [entry for entry in logs if entry["event"] == "job failed"]
    assert logged["log_level"] == "warning"
    assert logged["error"] == "no customer has an order up to 2026-01-01"
    assert "exc_info" not in logged


async def test_two_runners_never_take_the_same_job(
    session_factory: async_sessionmaker[AsyncSession], tables: BackboneTables
) -> None:
    jobs = [await add_job(session_factory, tables, "slow") for _ in range(4)]
    started: list[str] = []

    async def slow(context: JobContext) -> None:
        started.append(str(context.job.id))
        await asyncio.sleep(0.2)

    first = JobRunner(session_factory, tables, {"slow": slow})
    second = JobRunner(session_factory, tables, {"slow": slow})
    await asyncio.gather(first.run_next(), second.run_next(), first.run_next(), second.run_next())
    await asyncio.gather(first.run_next(), second.run_next())

    assert sorted(started) == sorted(str(job.id) for job in jobs)


async def test_a_job_whose_runner_died_is_queued_again(
    session_factory: async_sessionmaker[AsyncSession], tables: BackboneTables
) -> None:
    job = await add_job(session_factory, tables, "resume")
    async with session_factory() as session, session.begin():
        await session.execute(
            update(tables.jobs)
            .where(tables.jobs.c.id == job.id)
            .values(status="running", heartbeat_at=tables.jobs.c.created_at - timedelta(minutes=10))
        )

    async def resume(context: JobContext) -> dict[str, bool]:
        return {"resumed": True}

    assert await JobRunner(session_factory, tables, {"resume": resume}).run_next()
    assert (await get_job(session_factory, tables, job)).status == JobStatus.SUCCEEDED


async def test_a_long_silent_job_keeps_its_claim_through_the_heartbeat(
    session_factory: async_sessionmaker[AsyncSession], tables: BackboneTables
) -> None:
    job = await add_job(session_factory, tables, "silent")
    runs: list[str] = []

    async def silent(context: JobContext) -> None:
        runs.append(str(context.job.id))
        await asyncio.sleep(2.5)

    def runner() -> JobRunner:
        return JobRunner(session_factory, tables, {"silent": silent}, stale_after_seconds=1.0)

    working = asyncio.create_task(runner().run_next())
    await asyncio.sleep(1.8)
    taken_twice = await runner().run_next()
    await working

    assert not taken_twice
    assert runs == [str(job.id)]
    assert (await get_job(session_factory, tables, job)).status == JobStatus.SUCCEEDED


async def test_a_runner_that_lost_its_job_leaves_the_new_run_alone(
    session_factory: async_sessionmaker[AsyncSession], tables: BackboneTables
) -> None:
    job = await add_job(session_factory, tables, "taken")
    async with session_factory() as session, session.begin():
        claimed = await JobRepository(session, tables).claim_next(["taken"])
    assert claimed is not None
    async with session_factory() as session, session.begin():
        await session.execute(
            update(tables.jobs)
            .where(tables.jobs.c.id == job.id)
            .values(status="running", started_at=claimed.started_at + timedelta(minutes=3))
        )

    async with session_factory() as session, session.begin():
        recorded = await JobRepository(session, tables).finish(claimed, None, "stale outcome")

    assert not recorded
    now = await get_job(session_factory, tables, job)
    assert (now.status, now.error) == (JobStatus.RUNNING, None)
