"""Command line: `python -m router --supergraph PATH --port PORT [--config FILE]`."""

from __future__ import annotations

import argparse
import contextlib
import gc
import os
import signal
import socket
import sys
import tempfile
from collections.abc import Iterator
from types import FrameType
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from router.settings import RouterSettings

__all__ = ["main"]

_STARTUP_FAILURE = 3  # uvicorn's status when the server could not start (e.g. port in use)
_GC_THRESHOLD = 20_000  # allocations before a young-generation collection (CPython's default: 700)


def _ignore(signum: int, frame: FrameType | None) -> None:
    del signum, frame


def _tune_garbage_collector() -> None:
    """Keep the cyclic collector off the hot path.

    Responses are trees freed by reference counting, but with many requests in flight their
    objects live across awaits and get promoted, and every full collection then walks the whole
    heap (schema, plans, modules): a fifth of the CPU of a busy router here. Freezing what start-up
    built takes it out of those walks; a larger first generation makes collections rarer.
    """
    gc.collect()
    gc.freeze()
    gc.set_threshold(_GC_THRESHOLD, *gc.get_threshold()[1:])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="router", description="healthgraph federation router")
    parser.add_argument("--supergraph", help="path to the supergraph SDL")
    parser.add_argument("--port", type=int, help="port to listen on")
    parser.add_argument("--host", help="address to bind")
    parser.add_argument("--config", help="YAML file with router settings")
    parser.add_argument("--workers", type=int, help="processes serving the port (default 1)")
    # set by the supervisor for its workers (router/workers.py)
    parser.add_argument("--worker-index", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    import uvicorn

    from router.http import create_app
    from router.persisted import ManifestError
    from router.settings import load_settings
    from router.supergraph import SupergraphError, load_supergraph

    settings = load_settings(
        args.config,
        supergraph=args.supergraph,
        port=args.port,
        host=args.host,
        workers=1 if args.worker_index is not None else args.workers,
    )
    try:
        supergraph = load_supergraph(str(settings.supergraph))
    except SupergraphError as error:
        sys.stderr.write(f"router: {error}\n")
        return 2
    if settings.workers > 1:
        del supergraph  # each worker loads its own
        return _supervise(settings, sys.argv[1:] if argv is None else argv)
    from router.telemetry import configure_logging, configure_tracing

    configure_logging(service="router", production=settings.production, level=settings.log_level)
    try:
        configure_tracing("router")
    except ValueError as error:
        sys.stderr.write(f"router: {error}\n")
        return 2
    try:
        app = create_app(supergraph, settings, supergraph_path=settings.supergraph)
    except ManifestError as error:
        sys.stderr.write(f"router: {error}\n")
        return 2
    _tune_garbage_collector()
    # uvicorn re-raises the signal that stopped it once shutdown is done; a no-op handler makes
    # that re-raise harmless so a SIGTERM ends in a clean exit status 0 after graceful shutdown
    signal.signal(signal.SIGTERM, _ignore)
    signal.signal(signal.SIGINT, _ignore)
    config = uvicorn.Config(
        app,
        host=settings.host,
        port=settings.port,
        loop="uvloop",
        http="httptools",
        log_level=settings.log_level,
        log_config=None,  # configure_logging above: JSON in production
        access_log=False,
        lifespan="on",
        # the client's address is ours to derive (router/http/forwarded.py), never uvicorn's
        proxy_headers=False,
    )
    front = app.state.front

    class Server(uvicorn.Server):
        """Drains subscriptions (clients get what was sent to them, then close 1012) before
        uvicorn closes the remaining connections."""

        async def shutdown(self, sockets: list[socket.socket] | None = None) -> None:
            await front.subscriptions.drain()
            await super().shutdown(sockets)

    server = Server(config)
    if args.worker_index is None:
        server.run()
    else:
        from router.workers import reuse_port_socket

        app.state.front.worker = args.worker_index
        # bound now, listening only once the lifespan built the service: warm before it accepts
        server.run(sockets=[reuse_port_socket(settings.host, settings.port)])
    return 0 if server.started else _STARTUP_FAILURE


@contextlib.contextmanager
def _shared_metrics_directory() -> Iterator[None]:
    """Prometheus multiprocess mode for the workers: ``/metrics`` on any of them sums them all.

    An operator's ``PROMETHEUS_MULTIPROC_DIR`` is kept; otherwise a fresh directory lives as
    long as the supervisor.
    """
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        yield
        return
    with tempfile.TemporaryDirectory(prefix="router-metrics-") as directory:
        os.environ["PROMETHEUS_MULTIPROC_DIR"] = directory
        try:
            yield
        finally:
            del os.environ["PROMETHEUS_MULTIPROC_DIR"]


def _supervise(settings: RouterSettings, argv: list[str]) -> int:
    """Run `settings.workers` copies of this command line, each a worker on the same port."""
    from router.workers import Supervisor, reuse_port_socket

    try:
        # held (bound, never listening) for as long as the workers run: the port stays ours
        reserved = reuse_port_socket(settings.host, settings.port)
    except OSError as error:
        sys.stderr.write(f"router: cannot bind {settings.host}:{settings.port}: {error}\n")
        return 1
    with reserved, _shared_metrics_directory():
        port = reserved.getsockname()[1]  # port 0 chose one: every worker takes that one

        def command(index: int) -> list[str]:
            # later flags win: the same command line, as one worker on the chosen port
            return [
                sys.executable,
                "-m",
                "router",
                *argv,
                f"--port={port}",
                f"--worker-index={index}",
            ]

        return Supervisor(command, settings.workers).run()
