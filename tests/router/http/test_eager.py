"""Starting a coroutine eagerly: finished in the caller's step, or the rest run by a task."""

from __future__ import annotations

import asyncio

import pytest

from router.http.eager import start_eagerly


async def test_a_coroutine_that_never_waits_finishes_in_the_callers_step() -> None:
    done: list[str] = []

    async def work() -> None:
        done.append("sent")

    assert start_eagerly(work()) is None
    assert done == ["sent"]


async def test_a_coroutine_that_waits_is_finished_by_a_task_with_the_results_it_awaits() -> None:
    gate: asyncio.Future[str] = asyncio.get_running_loop().create_future()
    seen: list[str] = []

    async def work() -> None:
        seen.append("started")
        seen.append(await gate)
        await asyncio.sleep(0)  # a bare yield to the loop is handed on too
        seen.append("finished")

    task = start_eagerly(work())
    assert task is not None
    assert seen == ["started"]
    gate.set_result("woken")
    await task
    assert seen == ["started", "woken", "finished"]


async def test_exceptions_and_cancellation_reach_the_coroutine() -> None:
    gate: asyncio.Future[str] = asyncio.get_running_loop().create_future()
    cleaned: list[str] = []

    async def failing() -> None:
        await gate

    task = start_eagerly(failing())
    assert task is not None
    gate.set_exception(ValueError("broken"))
    with pytest.raises(ValueError, match="broken"):
        await task

    async def cancelled() -> None:
        try:
            await asyncio.Event().wait()
        finally:
            cleaned.append("finally ran")

    task = start_eagerly(cancelled())
    assert task is not None
    await asyncio.sleep(0)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert cleaned == ["finally ran"]


def test_an_error_before_the_first_wait_is_raised_to_the_caller() -> None:
    async def broken() -> None:
        raise RuntimeError("at once")

    with pytest.raises(RuntimeError, match="at once"):
        start_eagerly(broken())
