"""Leftovers of a ``healthgraph up`` that died without stopping its processes (SIGKILL, OOM).

Its children normally die with it (``PR_SET_PDEATHSIG``, see :mod:`subgraphs.stack.process`).
As a fallback, and where that does not exist, the supervisor records itself and every process it
starts in ``<data dir>/healthgraph.pids``; the next ``healthgraph up`` on that data dir stops
whatever a dead supervisor left running before it checks its ports.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
from dataclasses import dataclass
from pathlib import Path

import psutil

__all__ = ["PID_FILE", "AlreadyRunningError", "PidLedger", "sweep_orphans"]

PID_FILE = "healthgraph.pids"


class AlreadyRunningError(RuntimeError):
    """Another live ``healthgraph up`` uses this data directory."""


@dataclass(frozen=True, slots=True)
class _Entry:
    name: str
    pid: int
    started: float  # the process's create time: a recycled pid is not ours

    def process(self) -> psutil.Process | None:
        """The recorded process if it still runs (and is not a zombie)."""
        try:
            process = psutil.Process(self.pid)
            if abs(process.create_time() - self.started) > 1.0:
                return None
            if process.status() == psutil.STATUS_ZOMBIE:
                return None
        except psutil.Error:
            return None
        return process


def _entry(name: str, pid: int) -> _Entry:
    try:
        started = psutil.Process(pid).create_time()
    except psutil.Error:
        started = 0.0
    return _Entry(name, pid, started)


class PidLedger:
    """The supervisor's record of what it runs: one JSON object per line, removed on a clean stop."""

    def __init__(self, data_dir: Path) -> None:
        self.path = data_dir / PID_FILE

    def begin(self) -> None:
        """Start a new record naming this process as the supervisor."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.path.write_text("")
        self.record("supervisor", os.getpid())

    def record(self, name: str, pid: int) -> None:
        entry = _entry(name, pid)
        with self.path.open("a") as file:
            file.write(json.dumps({"name": name, "pid": pid, "started": entry.started}) + "\n")

    def close(self) -> None:
        """Everything was stopped: forget it."""
        self.path.unlink(missing_ok=True)

    def entries(self) -> list[_Entry]:
        try:
            lines = self.path.read_text().splitlines()
        except FileNotFoundError:
            return []
        found: list[_Entry] = []
        for line in lines:
            with contextlib.suppress(ValueError, KeyError, TypeError):
                data = json.loads(line)
                found.append(_Entry(str(data["name"]), int(data["pid"]), float(data["started"])))
        return found


def _stop(process: psutil.Process, timeout: float) -> None:
    """SIGTERM the process (its group when it leads one), SIGKILL what is left after ``timeout``."""
    victims = [process]
    with contextlib.suppress(psutil.Error):
        victims += process.children(recursive=True)
    for victim in victims:
        with contextlib.suppress(psutil.Error):
            victim.send_signal(signal.SIGTERM)
    _, alive = psutil.wait_procs(victims, timeout=timeout)
    for victim in alive:
        with contextlib.suppress(psutil.Error):
            victim.kill()
    psutil.wait_procs(alive, timeout=timeout)


def sweep_orphans(data_dir: Path, *, timeout: float = 5.0) -> list[str]:
    """Stop what a dead supervisor of ``data_dir`` left running; ``name (pid N)`` of each.

    Raises :class:`AlreadyRunningError` when that supervisor is alive.
    """
    ledger = PidLedger(data_dir)
    entries = ledger.entries()
    if not entries:
        return []
    supervisor = next((e for e in entries if e.name == "supervisor"), None)
    if supervisor is not None and supervisor.pid != os.getpid() and supervisor.process():
        raise AlreadyRunningError(
            f"healthgraph is already running with {data_dir} (pid {supervisor.pid}); "
            "stop it first (Ctrl-C in its terminal, or kill -TERM that pid)"
        )
    stopped: list[str] = []
    for entry in entries:
        if entry.name == "supervisor":
            continue
        process = entry.process()
        if process is not None:
            _stop(process, timeout)
            stopped.append(f"{entry.name} (pid {entry.pid})")
    ledger.close()
    return stopped
