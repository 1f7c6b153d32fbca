"""A background loop on an event loop of its own, in a thread of its own.

The outbox relay shares its process with the API. On the API's event loop each of the
relay's awaits (the SELECT, the broker's acknowledgement, the UPDATE) waits behind every
request step already queued, so at saturation an event waited up to a second between its
commit and its send. On its own loop the relay is woken by its own I/O; the interpreter
hands it the GIL at the latest after the switch interval (5 ms).
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import threading
from collections.abc import Callable, Coroutine
from typing import Any

STOP_SECONDS = 10.0


async def run_in_own_loop(run: Callable[[], Coroutine[Any, Any, None]], name: str) -> None:
    """Runs `run()` in thread `name` until it returns or raises (so does this), or until
    this is cancelled, which cancels `run()` there and waits for it to finish."""
    caller = asyncio.get_running_loop()
    finished: asyncio.Future[None] = caller.create_future()
    started = threading.Event()
    own: dict[str, Any] = {}

    def report(error: BaseException | None) -> None:
        if finished.done():
            return
        if error is None:
            finished.set_result(None)
        else:
            finished.set_exception(error)

    def main() -> None:
        loop = asyncio.new_event_loop()
        task = loop.create_task(run())
        own["loop"], own["task"] = loop, task
        started.set()
        error: BaseException | None = None
        try:
            loop.run_until_complete(task)
        except asyncio.CancelledError:
            pass
        except BaseException as raised:  # handed to the awaiting side, which re-raises
            error = raised
        finally:
            loop.close()
            # The caller's loop may be gone already when the process stops.
            with contextlib.suppress(RuntimeError):
                caller.call_soon_threadsafe(report, error)

    # The thread starts with the caller's context: log lines keep the service's fields.
    thread = threading.Thread(
        target=contextvars.copy_context().run, args=(main,), name=name, daemon=True
    )
    thread.start()
    try:
        await asyncio.shield(finished)
    except asyncio.CancelledError:
        started.wait()
        with contextlib.suppress(RuntimeError):  # its loop closed: run() has just ended
            own["loop"].call_soon_threadsafe(own["task"].cancel)
        with contextlib.suppress(TimeoutError, Exception):
            await asyncio.wait_for(finished, STOP_SECONDS)
        raise
