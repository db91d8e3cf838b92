"""A lean keep-alive HTTP/1.1 client connection pool for subgraph POSTs (RFC 9112).

Subgraph fetches are the router's inner loop (the nested benchmark query makes 16 per request):
a request here is one preformatted write and an httptools (llhttp) parse of the answer, about a
quarter of what a general-purpose client costs per request. It speaks only what the router
needs: POST with a complete body, responses delimited by Content-Length, chunked encoding or
connection close, keep-alive reuse, TLS for ``https`` URLs.
"""

from __future__ import annotations

import asyncio
import ssl
from collections import deque
from collections.abc import Mapping
from dataclasses import dataclass
from typing import cast
from urllib.parse import urlsplit

import httptools

__all__ = ["ConnectError", "ConnectionPool", "DisconnectedError", "HttpResponse", "ProtocolError"]

# hop-by-hop and framing headers are the pool's to write, never a caller's
_RESERVED = frozenset(
    {"content-length", "transfer-encoding", "connection", "keep-alive", "upgrade", "te"}
)
_FORBIDDEN = str.maketrans("", "", "\r\n\0")


def _clean(text: str) -> str:
    """A header name or value without CR, LF or NUL, which would let a caller smuggle headers
    or whole requests."""
    if "\r" in text or "\n" in text or "\0" in text:
        return text.translate(_FORBIDDEN)
    return text


class ConnectError(OSError):
    """No connection to the origin could be opened."""


class DisconnectedError(OSError):
    """The server closed the connection before the response was complete."""


class ProtocolError(OSError):
    """The server's answer is not valid HTTP/1.1."""


@dataclass(frozen=True, slots=True)
class HttpResponse:
    status: int
    body: bytes


@dataclass(frozen=True, slots=True)
class _Origin:
    key: tuple[str, str, int]
    host: str
    port: int
    tls: bool
    host_header: str
    target: str


class _Connection(asyncio.Protocol):
    """One HTTP/1.1 connection; at most one request in flight."""

    def __init__(self) -> None:
        self.transport: asyncio.Transport | None = None
        self.parser = httptools.HttpResponseParser(self)
        self.waiter: asyncio.Future[HttpResponse] | None = None
        self.closed = False
        self.keep_alive = True
        self.idle_since = 0.0
        self.received = False  # any byte of the current request's answer
        self._body: list[bytes] = []
        self._headers_done = False
        self._framed = False  # Content-Length or chunked: the body's end is known

    # asyncio.Protocol
    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = cast("asyncio.Transport", transport)  # uvloop's is not a subclass

    def data_received(self, data: bytes) -> None:
        self.received = True
        if self.waiter is None:  # nothing was asked: a confused or hostile server
            self.close()
            return
        try:
            self.parser.feed_data(data)
        except httptools.HttpParserError as error:
            self._fail(ProtocolError(str(error)))
            self.close()

    def connection_lost(self, exc: Exception | None) -> None:
        self.closed = True
        if self.waiter is not None and not self.waiter.done():
            if self._headers_done and not self._framed:
                # the body was delimited by the connection's end (RFC 9112 section 6.3)
                self._complete()
            else:
                self._fail(DisconnectedError(str(exc) if exc else "server disconnected"))

    # httptools callbacks
    def on_header(self, name: bytes, value: bytes) -> None:
        lowered = name.lower()
        if lowered == b"content-length" or (
            lowered == b"transfer-encoding" and b"chunked" in value.lower()
        ):
            self._framed = True

    def on_headers_complete(self) -> None:
        self._headers_done = True

    def on_body(self, body: bytes) -> None:
        self._body.append(body)

    def on_message_complete(self) -> None:
        status = self.parser.get_status_code()
        if 100 <= status < 200:  # interim response: the final one follows
            self._reset()
            return
        self.keep_alive = self.parser.should_keep_alive()
        self._complete()

    # helpers
    def _reset(self) -> None:
        self._body = []
        self._headers_done = False
        self._framed = False

    def _complete(self) -> None:
        waiter = self.waiter
        self.waiter = None
        body = self._body[0] if len(self._body) == 1 else b"".join(self._body)
        status = self.parser.get_status_code()
        self._reset()
        if waiter is not None and not waiter.done():
            waiter.set_result(HttpResponse(status, body))

    def _fail(self, error: Exception) -> None:
        waiter = self.waiter
        self.waiter = None
        if waiter is not None and not waiter.done():
            waiter.set_exception(error)

    async def send(self, data: bytes, deadline: float) -> HttpResponse:
        """Write one request and wait for its response until the loop time ``deadline``."""
        assert self.transport is not None
        loop = asyncio.get_running_loop()
        self.waiter = loop.create_future()
        self.received = False
        # a plain timer is much cheaper than a timeout scope around every request
        timer = loop.call_at(deadline, self._time_out)
        self.transport.write(data)
        try:
            return await self.waiter
        finally:
            timer.cancel()

    def _time_out(self) -> None:
        self._fail(TimeoutError())
        self.close()

    def close(self) -> None:
        self.closed = True
        if self.transport is not None:
            self.transport.close()


# Idle connections older than this are closed, not reused: uvicorn closes its side after 5 s, and
# a request sent as that close is in flight fails with "server disconnected".
MAX_IDLE_SECONDS = 2.0


class ConnectionPool:
    """Keep-alive connections per origin, at most ``max_connections`` requests in flight."""

    def __init__(self, *, max_connections: int = 512) -> None:
        self._limit = asyncio.Semaphore(max_connections)
        self._max_idle = max_connections
        self._idle: dict[tuple[str, str, int], deque[_Connection]] = {}
        self._origins: dict[str, _Origin] = {}
        self._tls: ssl.SSLContext | None = None
        self._closed = False

    def _origin(self, url: str) -> _Origin:
        origin = self._origins.get(url)
        if origin is None:
            parts = urlsplit(url)
            if parts.scheme not in ("http", "https") or not parts.hostname:
                raise ValueError(f"not an http(s) URL: {url}")
            tls = parts.scheme == "https"
            port = parts.port or (443 if tls else 80)
            host = parts.hostname
            default = (tls and port == 443) or (not tls and port == 80)
            bracketed = f"[{host}]" if ":" in host else host
            target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
            origin = _Origin(
                key=(parts.scheme, host, port),
                host=host,
                port=port,
                tls=tls,
                host_header=bracketed if default else f"{bracketed}:{port}",
                target=target,
            )
            if len(self._origins) > 1024:
                self._origins.clear()
            self._origins[url] = origin
        return origin

    @staticmethod
    def _request(origin: _Origin, body: bytes, headers: Mapping[str, str]) -> bytes:
        lines = [f"POST {origin.target} HTTP/1.1"]
        host = True
        for name, value in headers.items():
            lowered = name.lower()
            if lowered in _RESERVED:
                continue
            if lowered == "host":
                host = False
            lines.append(f"{_clean(name)}: {_clean(value)}")
        if host:
            lines.append(f"host: {origin.host_header}")
        lines.append(f"content-length: {len(body)}\r\n\r\n")
        head = "\r\n".join(lines)
        try:
            encoded = head.encode("latin-1")
        except UnicodeEncodeError:
            encoded = head.encode("utf-8")
        return encoded + body

    async def _connect(self, origin: _Origin) -> _Connection:
        loop = asyncio.get_running_loop()
        context: ssl.SSLContext | None = None
        if origin.tls:
            if self._tls is None:
                self._tls = ssl.create_default_context()
            context = self._tls
        try:
            _, connection = await loop.create_connection(
                _Connection, origin.host, origin.port, ssl=context
            )
        except OSError as error:
            raise ConnectError(str(error)) from error
        return connection

    def _take_idle(self, origin: _Origin) -> _Connection | None:
        idle = self._idle.get(origin.key)
        oldest = asyncio.get_running_loop().time() - MAX_IDLE_SECONDS
        while idle:
            connection = idle.pop()
            if connection.closed:
                continue
            if connection.idle_since < oldest:
                # The most recently used is newest: every other one is older still.
                connection.close()
                while idle:
                    idle.pop().close()
                return None
            return connection
        return None

    def _release(self, origin: _Origin, connection: _Connection) -> None:
        if self._closed or connection.closed or not connection.keep_alive:
            connection.close()
            return
        idle = self._idle.setdefault(origin.key, deque())
        if len(idle) >= self._max_idle:
            connection.close()
            return
        connection.idle_since = asyncio.get_running_loop().time()
        idle.append(connection)

    async def post(
        self,
        url: str,
        body: bytes,
        headers: Mapping[str, str],
        time_limit: float,
        *,
        idempotent: bool = True,
    ) -> HttpResponse:
        """POST ``body`` to ``url`` within ``time_limit`` seconds in all (TimeoutError after);
        raises an OSError subclass on transport failures.

        An ``idempotent`` request that meets a reused connection the server closed before
        answering a byte (an idle keep-alive closing as we reuse it) is sent once more on a
        fresh connection (RFC 9112 section 9.3.1)."""
        deadline = asyncio.get_running_loop().time() + time_limit
        origin = self._origin(url)
        data = self._request(origin, body, headers)
        if self._limit.locked():
            async with asyncio.timeout_at(deadline):
                await self._limit.acquire()
        else:
            await self._limit.acquire()
        try:
            connection = self._take_idle(origin)
            retry = idempotent and connection is not None
            while True:
                if connection is None:
                    async with asyncio.timeout_at(deadline):
                        connection = await self._connect(origin)
                try:
                    response = await connection.send(data, deadline)
                except DisconnectedError:
                    connection.close()
                    if not retry or connection.received:
                        raise
                    retry, connection = False, None
                    continue
                except BaseException:
                    # timed out, cancelled or broken: a late answer must never meet the next
                    # request
                    connection.close()
                    raise
                self._release(origin, connection)
                return response
        finally:
            self._limit.release()

    async def aclose(self) -> None:
        self._closed = True
        for idle in self._idle.values():
            while idle:
                idle.pop().close()
        self._idle.clear()
