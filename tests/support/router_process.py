"""Test support: ``python -m router`` on the sample supergraph as a child process."""

from __future__ import annotations

import contextlib
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from tests.router.loopback import free_port, sample_sdl

__all__ = ["RouterProcess", "router_process", "stop_router"]

ROOT = Path(__file__).resolve().parents[2]


class RouterProcess:
    def __init__(self, process: subprocess.Popen[bytes], port: int, supergraph: Path) -> None:
        self.process = process
        self.port = port
        self.supergraph = supergraph


@contextlib.contextmanager
def router_process(
    directory: Path, env: dict[str, str], output: IO[bytes] | int = subprocess.DEVNULL
) -> Iterator[RouterProcess]:
    """The router on a free port with ``env``, its output to ``output``; killed if still running."""
    port = free_port()
    supergraph = directory / "supergraph.graphql"
    supergraph.write_text(sample_sdl(), encoding="utf-8")
    process = subprocess.Popen(
        [sys.executable, "-m", "router", "--supergraph", str(supergraph), "--port", str(port)],
        cwd=ROOT,
        stdout=output,
        stderr=subprocess.STDOUT,
        env=env,
    )
    try:
        yield RouterProcess(process, port, supergraph)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


def stop_router(router: RouterProcess) -> int:
    """SIGTERM, then its exit status (it must stop within 30 s)."""
    router.process.send_signal(signal.SIGTERM)
    return router.process.wait(timeout=30)
