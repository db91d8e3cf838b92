"""A child process of the stack: started in its own session, logged to a file, stopped for sure.

On Linux every child asks the kernel for SIGTERM when the supervisor dies (``PR_SET_PDEATHSIG``,
prctl(2)), so that a SIGKILLed or OOM-killed ``healthgraph up`` leaves no process holding a port.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import signal
import subprocess
import sys
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from subgraphs.stack.orphans import PidLedger

__all__ = ["ChildProcess", "die_with_parent", "terminate"]

_PR_SET_PDEATHSIG = 1  # <linux/prctl.h>
_LIBC = ctypes.CDLL(None, use_errno=True) if sys.platform.startswith("linux") else None


def die_with_parent() -> Callable[[], None] | None:
    """A ``preexec_fn`` that makes the child receive SIGTERM when this process dies (Linux).

    None elsewhere: there the start-up sweep of :mod:`subgraphs.stack.orphans` is the fallback.
    The death signal follows the thread that forks; the supervisor forks from its main thread.
    """
    libc = _LIBC
    if libc is None:
        return None
    parent = os.getpid()

    def preexec() -> None:
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)
        if os.getppid() != parent:  # the parent died before prctl took effect
            os._exit(1)

    return preexec


def terminate(process: subprocess.Popen[bytes], timeout: float, *, group: bool = False) -> None:
    """SIGTERM ``process`` (its whole process group with ``group``), SIGKILL it after ``timeout``."""
    if process.poll() is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        if group:
            os.killpg(process.pid, signal.SIGTERM)
        else:
            process.terminate()
    try:
        process.wait(timeout)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            if group:
                os.killpg(process.pid, signal.SIGKILL)
            else:
                process.kill()
        process.wait()


class ChildProcess:
    """One service process. It does not see the terminal's Ctrl-C; the stack stops it explicitly."""

    def __init__(
        self, name: str, args: list[str], *, env: Mapping[str, str], log_file: Path
    ) -> None:
        self.name = name
        self.args = args
        self.env = dict(env)
        self.log_file = log_file
        self._process: subprocess.Popen[bytes] | None = None
        self.ledger: PidLedger | None = None  # where each start is recorded, if anywhere

    @property
    def pid(self) -> int | None:
        return self._process.pid if self._process else None

    def start(self) -> None:
        self.log_file.parent.mkdir(parents=True, exist_ok=True)
        with self.log_file.open("ab") as log:
            self._process = subprocess.Popen(  # noqa: S603 (our own interpreter and arguments)
                self.args,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,
                preexec_fn=die_with_parent(),  # noqa: PLW1509 (only prctl and getppid run there)
            )
        if self.ledger is not None:
            self.ledger.record(self.name, self._process.pid)

    def exit_code(self) -> int | None:
        """None while running; the exit code once it has ended."""
        return None if self._process is None else self._process.poll()

    def log_tail(self, lines: int = 20) -> str:
        try:
            text = self.log_file.read_text(errors="replace")
        except OSError:
            return ""
        return "\n".join(text.splitlines()[-lines:])

    def stop(self, timeout: float = 10.0) -> None:
        """SIGTERM the whole process group, then SIGKILL whatever is left after ``timeout``."""
        if self._process is not None:
            terminate(self._process, timeout, group=True)
        self._process = None
