"""`--workers N`: N router processes sharing one port through SO_REUSEPORT, and their supervisor.

Each worker is a whole `python -m router` (supergraph, planner, plan cache, hot reload of its
own): it binds the port with SO_REUSEPORT and starts listening only once its lifespan has built
the service, so a worker accepts no connection before it is warm, and the kernel spreads new
connections over the workers that listen. The supervisor holds the port bound (not listening:
it takes no connection) so that another program cannot take it, restarts a worker that dies
(with a growing delay when it dies young), and on SIGTERM/SIGINT stops every worker with SIGTERM,
waits for their graceful shutdown and exits 0. A worker is sent SIGTERM by the kernel should its
supervisor die (`PR_SET_PDEATHSIG`), so none is left behind.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import select
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from types import FrameType

from router.telemetry.prometheus import forget_worker_metrics

__all__ = ["Supervisor", "reuse_port_socket"]

_PR_SET_PDEATHSIG = 1
_YOUNG = 5.0  # a worker that dies sooner than this after its start is restarted after a delay
_MAX_DELAY = 30.0


def reuse_port_socket(host: str, port: int) -> socket.socket:
    """A TCP socket bound to `host:port` with SO_REUSEPORT, not yet listening."""
    family, kind, proto, _, address = socket.getaddrinfo(
        host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE
    )[0]
    sock = socket.socket(family, kind, proto)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
        sock.bind(address)
    except OSError:
        sock.close()
        raise
    return sock


def _die_with_parent() -> None:
    """`preexec_fn` of a worker: SIGTERM when the supervisor goes (Linux)."""
    if sys.platform == "linux":
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)


@dataclass
class _Worker:
    index: int
    process: subprocess.Popen[bytes] | None = None
    started: float = 0.0
    restart_at: float = 0.0
    delay: float = 0.0
    restarts: int = 0


class Supervisor:
    """Runs `count` workers, `command(index)` each, until SIGTERM or SIGINT."""

    def __init__(
        self,
        command: Callable[[int], Sequence[str]],
        count: int,
        *,
        grace: float = 30.0,
        log: Callable[[str], object] = sys.stderr.write,
    ) -> None:
        self._command = command
        self._workers = [_Worker(index) for index in range(1, count + 1)]
        self._grace = grace
        self._log = log
        self._stopping = False

    @property
    def pids(self) -> list[int]:
        return [w.process.pid for w in self._workers if w.process and w.process.poll() is None]

    def _start(self, worker: _Worker) -> None:
        worker.process = subprocess.Popen(  # noqa: S603 - our own interpreter and arguments
            list(self._command(worker.index)),
            preexec_fn=_die_with_parent,  # noqa: PLW1509 - one prctl before exec; no threads here
        )
        worker.started = time.monotonic()

    def _on_signal(self, signum: int, frame: FrameType | None) -> None:
        del frame
        if signum in (signal.SIGTERM, signal.SIGINT):
            self._stopping = True

    def run(self) -> int:
        """Start the workers, keep them running, stop them all on a signal; the exit status."""
        read_end, write_end = os.pipe()
        os.set_blocking(write_end, False)
        previous_wakeup = signal.set_wakeup_fd(write_end)
        handled = (signal.SIGTERM, signal.SIGINT, signal.SIGCHLD)
        previous = {signum: signal.signal(signum, self._on_signal) for signum in handled}
        try:
            for worker in self._workers:
                self._start(worker)
            self._log(
                f"router: {len(self._workers)} workers started (pids "
                f"{', '.join(map(str, self.pids))})\n"
            )
            while not self._stopping:
                timeout = self._tend()
                # a signal (a worker's death included) writes to the pipe and ends the wait
                ready, _, _ = select.select([read_end], [], [], timeout)
                if ready:
                    with contextlib.suppress(BlockingIOError):
                        os.read(read_end, 512)
            return self._stop_all()
        finally:
            signal.set_wakeup_fd(previous_wakeup)
            for signum, handler in previous.items():
                signal.signal(signum, handler)
            os.close(read_end)
            os.close(write_end)

    def _tend(self) -> float:
        """Restart dead workers that are due; seconds until the next one is."""
        now = time.monotonic()
        wait = 1.0
        for worker in self._workers:
            process = worker.process
            if process is not None and process.poll() is None:
                continue
            if process is not None:  # it just died
                lived = now - worker.started
                worker.delay = (
                    min(max(worker.delay * 2, 0.5), _MAX_DELAY) if lived < _YOUNG else 0.0
                )
                worker.restart_at = now + worker.delay
                worker.process = None
                forget_worker_metrics(process.pid)
                self._log(
                    f"router: worker {worker.index} (pid {process.pid}) exited with status "
                    f"{process.returncode}; restarting it in {worker.delay:g}s\n"
                )
            if now >= worker.restart_at:
                worker.restarts += 1
                self._start(worker)
            else:
                wait = min(wait, worker.restart_at - now)
        return wait

    def _stop_all(self) -> int:
        running = [w.process for w in self._workers if w.process and w.process.poll() is None]
        for process in running:
            with contextlib.suppress(ProcessLookupError):
                process.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + self._grace
        for process in running:
            try:
                process.wait(timeout=max(0.0, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                self._log(f"router: worker pid {process.pid} ignored SIGTERM; killing it\n")
                process.kill()
                process.wait()
        return 0
