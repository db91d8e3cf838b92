"""Development supervision: a child that dies is restarted with exponential backoff, until it
keeps failing fast (then the stack gives up with the reason)."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from pydantic import BaseModel, Field

from subgraphs.stack.process import ChildProcess

__all__ = ["GaveUpError", "RestartPolicy", "Restarter"]


class RestartPolicy(BaseModel):
    """``HEALTHGRAPH_RESTART__*``: delays double from ``initial_delay`` up to ``max_delay``; a
    run shorter than ``stable_after`` seconds is a fast failure; ``max_fast_failures`` of them
    in a row and the stack stops."""

    model_config = {"frozen": True}

    initial_delay: float = Field(default=1.0, gt=0)
    max_delay: float = Field(default=30.0, gt=0)
    stable_after: float = Field(default=10.0, gt=0)
    max_fast_failures: int = Field(default=5, ge=1)

    def delay(self, failures: int) -> float:
        """Seconds before restart number ``failures`` (1, 2, ...) of a child."""
        return float(min(self.max_delay, self.initial_delay * 2 ** max(failures - 1, 0)))


class GaveUpError(RuntimeError):
    """A child kept dying right after it started; the message names it and shows its log."""


@dataclass
class _Watch:
    started_at: float
    failures: int = 0  # consecutive fast failures
    restart_at: float | None = None


class Restarter:
    """Call :meth:`poll` periodically: it notices dead children, says so, and restarts them."""

    def __init__(
        self,
        policy: RestartPolicy,
        say: Callable[[str], object],
        *,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._policy = policy
        self._say = say
        self._clock = clock
        self._watches: dict[str, _Watch] = {}

    def poll(self, children: Sequence[ChildProcess]) -> None:
        now = self._clock()
        for child in children:
            watch = self._watches.setdefault(child.name, _Watch(started_at=now))
            if watch.restart_at is not None:
                if now >= watch.restart_at:
                    child.stop()  # whatever it left in its process group
                    child.start()
                    watch.started_at, watch.restart_at = now, None
                    self._say(f"  [green]↻[/] {child.name} restarted (pid {child.pid})")
                continue
            code = child.exit_code()
            if code is None:
                if watch.failures and now - watch.started_at >= self._policy.stable_after:
                    watch.failures = 0  # it has run long enough: start counting afresh
                continue
            self._died(child, watch, code, now)

    def _died(self, child: ChildProcess, watch: _Watch, code: int, now: float) -> None:
        ran = now - watch.started_at
        fast = ran < self._policy.stable_after
        watch.failures = watch.failures + 1 if fast else 1
        if fast and watch.failures >= self._policy.max_fast_failures:
            raise GaveUpError(
                f"{child.name} exited with code {code} {watch.failures} times in a row, each "
                f"within {self._policy.stable_after:g}s of starting; giving up. "
                f"Last lines of {child.log_file}:\n{child.log_tail()}"
            )
        delay = self._policy.delay(watch.failures)
        watch.restart_at = now + delay
        self._say(
            f"  [yellow]![/] {child.name} exited with code {code} after {ran:.1f}s; "
            f"restarting in {delay:g}s (attempt {watch.failures + 1}; "
            f"see {child.log_file})"
        )
