"""The start-up sweep: what a dead supervisor left running is stopped; a live one is left alone."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import psutil
import pytest

from subgraphs.stack.orphans import PID_FILE, AlreadyRunningError, PidLedger, sweep_orphans
from subgraphs.stack.postgres import forget_dead_handles


def _sleeper() -> subprocess.Popen[bytes]:
    return subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])


def _dead_pid() -> int:
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()
    return gone.pid


def test_leftovers_of_a_dead_supervisor_are_stopped(tmp_path: Path) -> None:
    orphan = _sleeper()
    ledger = PidLedger(tmp_path)
    ledger.begin()
    ledger.record("router", orphan.pid)
    # Rewrite the supervisor line as a process that is gone.
    lines = (tmp_path / PID_FILE).read_text().splitlines()
    supervisor = json.loads(lines[0]) | {"pid": _dead_pid()}
    (tmp_path / PID_FILE).write_text("\n".join([json.dumps(supervisor), *lines[1:]]) + "\n")

    assert sweep_orphans(tmp_path) == [f"router (pid {orphan.pid})"]
    assert orphan.wait(5) is not None
    assert not (tmp_path / PID_FILE).exists()
    assert sweep_orphans(tmp_path) == []


def test_a_recycled_pid_is_not_ours(tmp_path: Path) -> None:
    stranger = _sleeper()
    try:
        (tmp_path / PID_FILE).write_text(
            json.dumps({"name": "supervisor", "pid": _dead_pid(), "started": 1.0})
            + "\n"
            + json.dumps({"name": "auth", "pid": stranger.pid, "started": 1.0})
            + "\n"
        )
        assert sweep_orphans(tmp_path) == []
        assert stranger.poll() is None
    finally:
        stranger.kill()
        stranger.wait()


def test_a_live_supervisor_is_refused(tmp_path: Path) -> None:
    other = _sleeper()
    try:
        (tmp_path / PID_FILE).write_text(
            json.dumps(
                {
                    "name": "supervisor",
                    "pid": other.pid,
                    "started": psutil.Process(other.pid).create_time(),
                }
            )
            + "\n"
        )
        with pytest.raises(AlreadyRunningError, match=rf"already running .* \(pid {other.pid}\)"):
            sweep_orphans(tmp_path)
        assert (tmp_path / PID_FILE).exists()
    finally:
        other.kill()
        other.wait()


def test_dead_postgres_handles_are_forgotten(tmp_path: Path) -> None:
    handles = tmp_path / ".handle_pids.json"
    handles.write_text(json.dumps([_dead_pid(), psutil.Process().pid]))
    forget_dead_handles(tmp_path)
    assert json.loads(handles.read_text()) == [psutil.Process().pid]
