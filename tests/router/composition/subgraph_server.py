"""A real HTTP server answering ``{ _service { sdl } }`` for SDL-fetch tests."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

__all__ = ["serve_sdl"]


@contextmanager
def serve_sdl(sdl: str | None, *, status: int = 200) -> Iterator[str]:
    """Serve ``sdl`` as a subgraph's ``_service.sdl`` on a free loopback port; yield the URL."""

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("content-length", "0"))
            query = json.loads(self.rfile.read(length))["query"]
            body: dict[str, object]
            if sdl is None or "_service" not in query:
                body = {"errors": [{"message": 'Cannot query field "_service" on type "Query".'}]}
            else:
                body = {"data": {"_service": {"sdl": sdl}}}
            payload = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("content-type", "application/json")
            self.send_header("content-length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def log_message(self, *_args: object) -> None:
            """Keep test output quiet."""

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/graphql"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
