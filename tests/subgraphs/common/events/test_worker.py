"""The background worker shape shared by the relay and the consumers: start, stop, readiness."""

from __future__ import annotations

import asyncio

import pytest

from subgraphs.common.events.worker import BackgroundWorker


class Ticker(BackgroundWorker):
    def __init__(self, *, stubborn: bool = False) -> None:
        super().__init__("ticker")
        self.ticks = 0
        self.stubborn = stubborn
        self.events: list[str] = []

    async def _run(self) -> None:
        while self.stubborn or not self._stopping.is_set():
            self.ticks += 1
            if self.stubborn:
                await asyncio.sleep(0.01)  # deaf to stop(): only cancellation ends it
            else:
                await self._sleep(0.01)

    def _on_start(self) -> None:
        self.events.append("start")

    def _on_stopping(self) -> None:
        self.events.append("stopping")

    def _on_stopped(self) -> None:
        self.events.append("stopped")


async def test_runs_until_stopped_and_reports_readiness() -> None:
    ticker = Ticker()
    with pytest.raises(RuntimeError, match="not running"):
        await ticker.check_ready()
    async with ticker:
        await asyncio.sleep(0.05)
        assert _running(ticker)
        await ticker.check_ready()
    assert not _running(ticker)
    assert ticker.ticks > 1
    assert ticker.events == ["start", "stopping", "stopped"]
    await ticker.stop()  # stopping twice is harmless


async def test_a_worker_that_ignores_stop_is_cancelled_after_the_grace() -> None:
    ticker = Ticker(stubborn=True)
    ticker.start()
    loop = asyncio.get_running_loop()
    started = loop.time()
    await ticker.stop(grace=0.1)
    assert loop.time() - started < 1.0
    assert not ticker.running


async def test_a_crashed_worker_is_not_ready() -> None:
    class Crashing(BackgroundWorker):
        async def _run(self) -> None:
            raise RuntimeError("synthetic crash")

    worker = Crashing("crashing")
    worker.start()
    await asyncio.sleep(0.01)
    with pytest.raises(RuntimeError, match="stopped unexpectedly"):
        await worker.check_ready()
    with pytest.raises(RuntimeError, match="synthetic crash"):
        await worker.stop()


def _running(worker: BackgroundWorker) -> bool:
    return worker.running
