"""Command line: `python -m router --supergraph PATH --port PORT [--config FILE]`."""

from __future__ import annotations

import argparse
import gc
import signal
import socket
import sys
from types import FrameType

__all__ = ["main"]

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
    args = parser.parse_args(argv)

    import uvicorn

    from router.http import create_app
    from router.settings import load_settings
    from router.supergraph import SupergraphError, load_supergraph

    settings = load_settings(
        args.config, supergraph=args.supergraph, port=args.port, host=args.host
    )
    try:
        supergraph = load_supergraph(str(settings.supergraph))
    except SupergraphError as error:
        sys.stderr.write(f"router: {error}\n")
        return 2
    app = create_app(supergraph, settings, supergraph_path=settings.supergraph)
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

    Server(config).run()
    return 0
