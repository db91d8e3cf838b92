"""Starting a coroutine at once, in the caller's step, as Python 3.12's eager tasks do.

A send to a client socket usually completes without waiting (the transport takes the bytes), so
running it right away costs a function call instead of a queue hand-off and a task switch per
subscriber. Only a send that must wait (a slow client's buffer is full) becomes a task.
"""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine, Generator
from typing import Any

__all__ = ["start_eagerly"]


def start_eagerly(coroutine: Coroutine[Any, Any, None]) -> asyncio.Task[None] | None:
    """Run ``coroutine`` up to its first suspension: None when it finished there, else a task
    that runs the rest (exceptions it raises before suspending propagate to the caller)."""
    try:
        waiting_on = coroutine.send(None)
    except StopIteration:
        return None
    return asyncio.ensure_future(_rest(coroutine, waiting_on))


async def _rest(coroutine: Coroutine[Any, Any, None], waiting_on: Any) -> None:
    await _Resumed(coroutine, waiting_on)


class _Resumed:
    """Awaitable that hands what a started coroutine waits on to the running task, and resumes
    the coroutine with what the task sends back (results, exceptions, cancellation)."""

    __slots__ = ("_coroutine", "_waiting_on")

    def __init__(self, coroutine: Coroutine[Any, Any, None], waiting_on: Any) -> None:
        self._coroutine = coroutine
        self._waiting_on = waiting_on

    def __await__(self) -> Generator[Any, Any, None]:
        coroutine = self._coroutine
        waiting_on = self._waiting_on
        while True:
            try:
                sent = yield waiting_on
            except BaseException as error:  # noqa: BLE001  # cancellation included: the coroutine decides
                try:
                    waiting_on = coroutine.throw(error)
                except StopIteration:
                    return
            else:
                try:
                    waiting_on = coroutine.send(sent)
                except StopIteration:
                    return
