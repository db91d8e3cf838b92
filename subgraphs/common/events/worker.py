"""A long-running background task with a clean stop: the shape of the outbox relay and consumers."""

from __future__ import annotations

import asyncio
import contextlib
from types import TracebackType
from typing import Self

__all__ = ["BackgroundWorker"]


class BackgroundWorker:
    """Runs :meth:`_run` in a task from :meth:`start` until :meth:`stop` (or ``async with``).

    :meth:`_run` should return soon after ``self._stopping`` is set; :meth:`stop` waits ``grace``
    seconds for that, then cancels the task.
    """

    def __init__(self, name: str) -> None:
        self.name = name
        self._task: asyncio.Task[None] | None = None
        self._stopping = asyncio.Event()

    @property
    def running(self) -> bool:
        return self._task is not None and not self._task.done()

    def start(self) -> None:
        if self.running:
            return
        self._stopping.clear()
        self._on_start()
        self._task = asyncio.create_task(self._run(), name=self.name)

    async def stop(self, *, grace: float = 10.0) -> None:
        """Ask the worker to finish, wait up to ``grace`` seconds, then cancel it."""
        task, self._task = self._task, None
        if task is None:
            return
        self._stopping.set()
        self._on_stopping()
        try:
            await asyncio.wait_for(asyncio.shield(task), grace)
        except TimeoutError:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        finally:
            self._on_stopped()

    async def check_ready(self) -> None:
        """Readiness: raise unless the worker's task is alive."""
        if self._task is None:
            raise RuntimeError(f"{self.name} is not running")
        if self._task.done():
            raise RuntimeError(f"{self.name} stopped unexpectedly")

    async def __aenter__(self) -> Self:
        self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.stop()

    async def _run(self) -> None:
        """The work; subclasses implement it."""
        raise NotImplementedError

    def _on_start(self) -> None:
        """Called by :meth:`start` before the task is created."""

    def _on_stopping(self) -> None:
        """Called by :meth:`stop` right after ``_stopping`` is set (e.g. to wake the loop)."""

    def _on_stopped(self) -> None:
        """Called by :meth:`stop` once the task is over."""

    async def _sleep(self, seconds: float) -> None:
        """Sleep, but wake at once when stopping."""
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._stopping.wait(), seconds)
