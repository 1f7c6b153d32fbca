import asyncio
import threading

import pytest

from treue.own_loop import run_in_own_loop


async def test_the_coroutine_runs_on_a_loop_and_thread_of_its_own() -> None:
    seen: dict[str, object] = {}

    async def work() -> None:
        seen["thread"] = threading.current_thread().name
        seen["loop"] = asyncio.get_running_loop()

    await run_in_own_loop(work, "worker-under-test")
    assert seen["thread"] == "worker-under-test"
    assert seen["loop"] is not asyncio.get_running_loop()


async def test_cancelling_it_cancels_the_coroutine_there_and_waits_for_its_cleanup() -> None:
    running, cleaned_up = threading.Event(), threading.Event()

    async def forever() -> None:
        running.set()
        try:
            await asyncio.sleep(3600)
        finally:
            await asyncio.sleep(0.05)  # cleanup that awaits, as closing a connection does
            cleaned_up.set()

    task = asyncio.create_task(run_in_own_loop(forever, "forever"))
    await asyncio.to_thread(running.wait, 5)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert cleaned_up.is_set()


async def test_an_error_there_is_raised_here() -> None:
    async def failing() -> None:
        raise ValueError("broken")

    with pytest.raises(ValueError, match="broken"):
        await run_in_own_loop(failing, "failing")
