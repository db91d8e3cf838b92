"""Development supervision: dead children come back with backoff; fast failures end in a clear stop."""

from __future__ import annotations

import io
import os
import re
import sys
import time
from pathlib import Path

import pytest
from rich.console import Console

from subgraphs.stack.process import ChildProcess
from subgraphs.stack.restarts import GaveUpError, Restarter, RestartPolicy
from subgraphs.stack.settings import StackSettings
from subgraphs.stack.supervisor import Stack, StartupError

# stable_after leaves room for a slow interpreter start on a busy machine
FAST = RestartPolicy(initial_delay=0.05, max_delay=0.2, stable_after=10.0, max_fast_failures=3)


def _child(tmp_path: Path, code: str) -> ChildProcess:
    child = ChildProcess(
        "fake", [sys.executable, "-c", code], env=dict(os.environ), log_file=tmp_path / "fake.log"
    )
    child.start()
    return child


def _poll_until(restarter: Restarter, child: ChildProcess, done: object, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        restarter.poll([child])
        if callable(done) and done():
            return
        time.sleep(0.02)
    pytest.fail("the restarter did not get there in time")


def test_backoff_doubles_up_to_the_cap() -> None:
    policy = RestartPolicy(initial_delay=1, max_delay=30)
    assert [policy.delay(n) for n in range(1, 8)] == [1, 2, 4, 8, 16, 30, 30]


def test_a_child_that_dies_is_restarted_and_said_so(tmp_path: Path) -> None:
    marker = tmp_path / "crashed-once"
    child = _child(
        tmp_path,
        f"import pathlib, sys, time\n"
        f"marker = pathlib.Path({str(marker)!r})\n"
        f"if not marker.exists():\n    marker.touch()\n    sys.exit(3)\n"
        f"time.sleep(30)\n",
    )
    said: list[str] = []
    restarter = Restarter(FAST, said.append)
    first_pid = child.pid
    try:
        _poll_until(restarter, child, lambda: any("restarted" in line for line in said), 10)
        assert child.exit_code() is None
        assert child.pid != first_pid
        assert "fake exited with code 3" in said[0]
        assert "restarting in 0.05s" in said[0]
    finally:
        child.stop()


def test_repeated_fast_failures_give_up_with_the_log(tmp_path: Path) -> None:
    child = _child(tmp_path, "import sys; print('cannot bind the port'); sys.exit(7)")
    said: list[str] = []
    restarter = Restarter(FAST, said.append)
    with pytest.raises(GaveUpError) as raised:
        _poll_until(restarter, child, lambda: False, 10)
    message = str(raised.value)
    assert "fake exited with code 7 3 times in a row" in message
    assert "giving up" in message
    assert "cannot bind the port" in message
    delays = [re.search(r"restarting in (\S+)s", line) for line in said]
    assert [m.group(1) for m in delays if m][:2] == ["0.05", "0.1"]  # doubled


def test_a_long_run_resets_the_count() -> None:
    clock = [0.0]

    class Dead(ChildProcess):
        def __init__(self) -> None:
            super().__init__("dead", ["true"], env={}, log_file=Path("/nonexistent/log"))
            self.alive = True

        def exit_code(self) -> int | None:
            return None if self.alive else 1

        def start(self) -> None:
            self.alive = True

        def stop(self, timeout: float = 10.0) -> None:
            del timeout

    policy = RestartPolicy(initial_delay=1, max_delay=30, stable_after=10, max_fast_failures=2)
    said: list[str] = []
    restarter = Restarter(policy, said.append, clock=lambda: clock[0])
    child = Dead()
    restarter.poll([child])
    for _ in range(5):  # dies after 60 s each time: never "fast", never gives up
        clock[0] += 60
        child.alive = False
        restarter.poll([child])
        clock[0] += 1
        restarter.poll([child])
        assert child.alive
    assert all("restarting in 1s" in line for line in said if "exited" in line)


def test_restart_policy_is_configurable_from_the_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("HEALTHGRAPH_RESTART__MAX_FAST_FAILURES", "9")
    assert StackSettings().restart.max_fast_failures == 9


def test_production_stops_the_stack_when_a_child_dies(tmp_path: Path) -> None:
    child = _child(tmp_path, "import sys; sys.exit(5)")
    stack = Stack(StackSettings(environment="production"), Console(file=io.StringIO()))
    stack.children.append(child)
    with pytest.raises(StartupError, match="fake exited unexpectedly with code 5"):
        stack.wait()


def test_development_restarts_through_the_stack(tmp_path: Path) -> None:
    child = _child(tmp_path, "import sys; sys.exit(6)")
    output = io.StringIO()
    settings = StackSettings(environment="development", restart=FAST)
    stack = Stack(settings, Console(file=output, width=200))
    stack.children.append(child)
    with pytest.raises(StartupError, match="giving up"):
        stack.wait()
    assert "fake exited with code 6" in output.getvalue()
