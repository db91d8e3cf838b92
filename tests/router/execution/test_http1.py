"""The keep-alive HTTP/1.1 pool against a scripted raw TCP server: framing, reuse, failures."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Callable

import pytest

from router.execution.http1 import ConnectError, ConnectionPool, DisconnectedError, ProtocolError
from tests.router.loopback import free_port

Script = Callable[[bytes, int], bytes | None]  # (request, index on connection) -> raw answer


class Server:
    """Reads one request at a time per connection and writes the scripted raw answer."""

    def __init__(self, script: Script, close_after: bool = False) -> None:
        self.script = script
        self.close_after = close_after
        self.requests: list[bytes] = []
        self.connections = 0

    async def handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.connections += 1
        index = 0
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                length = next(
                    int(line.split(b":", 1)[1])
                    for line in head.split(b"\r\n")
                    if line.lower().startswith(b"content-length:")
                )
                request = head + await reader.readexactly(length)
                self.requests.append(request)
                answer = self.script(request, index)
                index += 1
                if answer is None:  # hang up without answering
                    break
                writer.write(answer)
                await writer.drain()
                if self.close_after:
                    break
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            writer.close()


@contextlib.asynccontextmanager
async def serve(server: Server) -> AsyncIterator[str]:
    listener = await asyncio.start_server(server.handle, "127.0.0.1", 0)
    port = listener.sockets[0].getsockname()[1]
    try:
        yield f"http://127.0.0.1:{port}/graphql?x=1"
    finally:
        listener.close()


def _ok(body: bytes, extra: bytes = b"") -> bytes:
    return b"HTTP/1.1 200 OK\r\ncontent-length: %d\r\n%s\r\n%s" % (len(body), extra, body)


async def test_content_length_answers_reuse_one_connection() -> None:
    server = Server(lambda _request, index: _ok(b'{"n":%d}' % index))
    pool = ConnectionPool()
    async with serve(server) as url:
        for index in range(3):
            response = await pool.post(url, b"{}", {"x-request-id": "r"}, 5)
            assert (response.status, response.body) == (200, b'{"n":%d}' % index)
    await pool.aclose()
    assert server.connections == 1
    head = server.requests[0].split(b"\r\n\r\n")[0].split(b"\r\n")
    assert head[0] == b"POST /graphql?x=1 HTTP/1.1"
    assert b"x-request-id: r" in head
    assert any(line.startswith(b"host: 127.0.0.1:") for line in head)


async def test_connections_idle_too_long_are_not_reused(monkeypatch: pytest.MonkeyPatch) -> None:
    # A server may close an idle keep-alive connection at any moment after its own timeout.
    monkeypatch.setattr("router.execution.http1.MAX_IDLE_SECONDS", 0.05)
    server = Server(lambda _request, index: _ok(b'{"n":%d}' % index))
    pool = ConnectionPool()
    async with serve(server) as url:
        await pool.post(url, b"{}", {}, 5)
        await pool.post(url, b"{}", {}, 5)  # at once: reused
        await asyncio.sleep(0.1)
        response = await pool.post(url, b"{}", {}, 5)  # idle too long: a new connection
    await pool.aclose()
    assert response.body == b'{"n":0}'
    assert server.connections == 2


async def test_chunked_and_close_delimited_bodies() -> None:
    chunked = (
        b'HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n3\r\n{"a\r\n5\r\n":1}\n\r\n0\r\n\r\n'
    )
    server = Server(lambda _request, _index: chunked)
    pool = ConnectionPool()
    async with serve(server) as url:
        assert (await pool.post(url, b"{}", {}, 5)).body == b'{"a":1}\n'
    unframed = Server(lambda _request, _index: b'HTTP/1.1 502 Bad\r\n\r\n{"b":2}', close_after=True)
    async with serve(unframed) as url:
        response = await pool.post(url, b"{}", {}, 5)
        assert (response.status, response.body) == (502, b'{"b":2}')
    await pool.aclose()


async def test_interim_responses_are_skipped_and_connection_close_is_honoured() -> None:
    answer = b"HTTP/1.1 100 Continue\r\n\r\n" + _ok(b"{}", b"connection: close\r\n")
    server = Server(lambda _request, _index: answer)
    pool = ConnectionPool()
    async with serve(server) as url:
        for _ in range(2):
            assert (await pool.post(url, b"{}", {}, 5)).status == 200
    await pool.aclose()
    assert server.connections == 2


async def test_header_injection_is_neutralised() -> None:
    server = Server(lambda _request, _index: _ok(b"{}"))
    pool = ConnectionPool()
    async with serve(server) as url:
        await pool.post(
            url,
            b"{}",
            {"authorization": "x\r\nx-evil: 1", "content-length": "999", "Host": "h"},
            5,
        )
    await pool.aclose()
    head = server.requests[0].split(b"\r\n\r\n")[0].split(b"\r\n")
    assert b"authorization: xx-evil: 1" in head
    assert b"content-length: 2" in head
    assert b"Host: h" in head
    assert not any(line.startswith(b"host:") for line in head)


async def test_failures_are_typed_and_broken_connections_are_not_reused() -> None:
    pool = ConnectionPool()
    with pytest.raises(ConnectError):
        await pool.post(f"http://127.0.0.1:{free_port()}/", b"{}", {}, 5)
    hang_up = Server(lambda _request, _index: None)
    async with serve(hang_up) as url:
        with pytest.raises(DisconnectedError):
            await pool.post(url, b"{}", {}, 5)
    garbage = Server(lambda _request, _index: b"NOT HTTP AT ALL\r\n\r\n")
    async with serve(garbage) as url:
        with pytest.raises(ProtocolError):
            await pool.post(url, b"{}", {}, 5)
    with pytest.raises(ValueError, match="not an http"):
        await pool.post("ftp://127.0.0.1/", b"{}", {}, 5)
    await pool.aclose()


async def test_a_timed_out_request_never_answers_the_next_one() -> None:
    async def slow_then_fast(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        server.connections += 1
        connection = server.connections
        with contextlib.suppress(asyncio.IncompleteReadError, ConnectionError):
            while True:
                await reader.readuntil(b"\r\n\r\n")
                server.requests.append(await reader.readexactly(2))
                # the first and third requests are slow: each answer names its connection
                await asyncio.sleep(0.3 if len(server.requests) in (1, 3) else 0)
                writer.write(_ok(b'{"from":%d}' % connection))
                await writer.drain()
        writer.close()

    server = Server(lambda _request, _index: None)
    server.handle = slow_then_fast  # type: ignore[method-assign]
    pool = ConnectionPool()
    async with serve(server) as url:
        with pytest.raises(TimeoutError):  # the pool's own deadline
            await pool.post(url, b"{}", {}, 0.05)
        assert (await pool.post(url, b"{}", {}, 5)).body == b'{"from":2}'
        with pytest.raises(TimeoutError):  # a caller's cancellation scope, on connection 2
            async with asyncio.timeout(0.05):
                await pool.post(url, b"{}", {}, 5)
        assert (await pool.post(url, b"{}", {}, 5)).body == b'{"from":3}'
    await pool.aclose()
    assert server.connections == 3


async def test_a_stale_keep_alive_connection_is_retried_once_for_idempotent_requests() -> None:
    # the server closes each connection when a second request arrives, as a server closing an
    # idle keep-alive connection does when a reused request races its close
    server = Server(lambda _request, index: _ok(b"{}") if index == 0 else None)
    pool = ConnectionPool()
    async with serve(server) as url:
        assert (await pool.post(url, b"{}", {}, 5)).body == b"{}"
        assert (await pool.post(url, b"{}", {}, 5)).body == b"{}"
        assert server.connections == 2
        with pytest.raises(DisconnectedError):
            await pool.post(url, b"{}", {}, 5, idempotent=False)
        assert server.connections == 2  # a request that may change data is not sent twice
    await pool.aclose()
