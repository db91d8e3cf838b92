"""Subscriptions through one router process: concurrent WebSocket subscribers and event latency.

Run: ``python -m tests.benchmarks subscriptions``. It starts ``python -m router`` on a supergraph
of two fake subgraphs (``tests/router/live.py``: ``live`` serves ``appointmentChanged`` over
graphql-transport-ws, ``records`` resolves each event's ``patientName`` through ``_entities``),
served by this process. Then:

1. ``HG_BENCH_SUBSCRIBERS`` clients (default 1,000; the target is 10,000) each open a socket to
   the router and subscribe; it prints the router's resident memory before and after, per
   connection, and how long connecting took;
2. with ``HG_BENCH_LATENCY_SUBSCRIBERS`` of them (default 1,000) subscribed, it publishes
   ``HG_BENCH_EVENTS`` events (default 50), one at a time, and prints event-to-client latency
   p50/p99 over every delivery: from the moment the subgraph publishes the event to the moment
   its frame reaches each client's socket (the router resolves ``patientName`` from ``records``
   per event; one real graphql-transport-ws client checks every event's content).

``HG_BENCH_USERS`` (default 1) spreads the clients over that many users (tokens): identical
subscriptions of one user share one upstream (deduplication), so users = upstreams. The clients
only timestamp what arrives (no frame parsing), so that thousands of them in this process cost
little; they still share the machine with the router.
``HG_BENCH_ROUTER_PYTHON_ARGS`` goes before ``-m router`` (e.g. ``-m cProfile -o FILE``).
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import gc
import os
import resource
import statistics
import sys
import tempfile
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any, cast

import httpx
import orjson
from websockets.asyncio.client import connect
from websockets.typing import Subprotocol

from subgraphs.stack.ports import free_port
from tests.router.live import LiveSubgraph, supergraph_sdl, token
from tests.router.loopback import FakeSubgraph, serve

__all__ = ["main"]

ROOT = Path(__file__).resolve().parents[2]
SUBSCRIBERS = int(os.environ.get("HG_BENCH_SUBSCRIBERS", "1000"))
LATENCY_SUBSCRIBERS = int(os.environ.get("HG_BENCH_LATENCY_SUBSCRIBERS", "1000"))
EVENTS = int(os.environ.get("HG_BENCH_EVENTS", "50"))
USERS = int(os.environ.get("HG_BENCH_USERS", "1"))
QUERY = (
    "subscription($d: ID) { appointmentChanged(doctorId: $d) "
    "{ position appointmentId appointment { id patientName } } }"
)
_CONNECT_BATCH = 200


def _rss_kb(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text(encoding="utf-8").splitlines():
        if line.startswith("VmRSS"):
            return int(line.split()[1])
    return 0


def _raise_file_limit(needed: int) -> None:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < needed:
        resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, needed), hard))


@contextlib.asynccontextmanager
async def _router(supergraph: Path, urls: dict[str, str], port: int) -> AsyncIterator[int]:
    env = dict(
        os.environ,
        ROUTER_SUBGRAPH_URLS=orjson.dumps(urls).decode(),
        ROUTER_SUPERGRAPH_POLL_INTERVAL="0",
        ROUTER_WS_MAX_CONNECTIONS_PER_ADDRESS=str(max(SUBSCRIBERS, LATENCY_SUBSCRIBERS) + 100),
        ROUTER_WS_MAX_CONNECTIONS_PER_USER=str(max(SUBSCRIBERS, LATENCY_SUBSCRIBERS) + 100),
        ROUTER_PLAYGROUND="false",
    )
    command = [
        sys.executable,
        *os.environ.get("HG_BENCH_ROUTER_PYTHON_ARGS", "").split(),
        "-m",
        "router",
        "--supergraph",
        str(supergraph),
        "--port",
        str(port),
    ]
    process = await asyncio.create_subprocess_exec(*command, cwd=ROOT, env=env)
    try:
        async with httpx.AsyncClient() as http:
            for _ in range(600):
                with contextlib.suppress(httpx.HTTPError):
                    if (await http.get(f"http://127.0.0.1:{port}/health")).status_code == 200:
                        break
                await asyncio.sleep(0.1)
        yield process.pid
    finally:
        process.terminate()
        await asyncio.wait_for(process.wait(), 60)


def _frame(message: dict[str, Any]) -> bytes:
    """A masked client text frame (RFC 6455 section 5.2; a zero mask leaves the payload as is)."""
    payload = orjson.dumps(message)
    length = len(payload)
    header = (
        bytes([0x81, 0x80 | length]) if length < 126 else bytes([0x81, 0xFE]) + length.to_bytes(2)
    )
    return header + b"\x00\x00\x00\x00" + payload


class Subscriber(asyncio.Protocol):
    """A socket with one subscription that only timestamps what arrives (no frame parsing), so
    that thousands of them cost this process little; a probe client checks the content."""

    def __init__(self, bearer: str) -> None:
        self.bearer = bearer
        self.transport: asyncio.Transport | None = None
        self.upgraded: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self.buffer = b""
        self.arrivals: list[float] = []

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        # uvloop's transports implement asyncio.Transport without subclassing it
        self.transport = cast("asyncio.Transport", transport)

    def data_received(self, data: bytes) -> None:
        if self.upgraded.done():
            self.arrivals.append(time.perf_counter())
            return
        self.buffer += data
        head, separator, _ = self.buffer.partition(b"\r\n\r\n")
        if separator:
            if head.startswith(b"HTTP/1.1 101"):
                self.upgraded.set_result(None)
            else:
                self.upgraded.set_exception(RuntimeError(head.decode(errors="replace")))

    def connection_lost(self, exc: Exception | None) -> None:
        if not self.upgraded.done():
            self.upgraded.set_exception(exc or ConnectionError("closed before the upgrade"))

    def close(self) -> None:
        if self.transport is not None:
            self.transport.close()


async def _subscribe(port: int, bearer: str) -> Subscriber:
    loop = asyncio.get_running_loop()
    transport, subscriber = await loop.create_connection(
        lambda: Subscriber(bearer), "127.0.0.1", port
    )
    subscriber.connection_made(transport)  # uvloop calls it only in its next step
    assert subscriber.transport is not None
    key = base64.b64encode(os.urandom(16)).decode()
    subscriber.transport.write(
        (
            f"GET /graphql HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nUpgrade: websocket\r\n"
            f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n"
            "Sec-WebSocket-Protocol: graphql-transport-ws\r\n\r\n"
        ).encode()
    )
    await asyncio.wait_for(subscriber.upgraded, 60)
    subscriber.transport.write(
        _frame({"type": "connection_init", "payload": {"authorization": f"Bearer {bearer}"}})
        + _frame(
            {"id": "1", "type": "subscribe", "payload": {"query": QUERY, "variables": {"d": "d1"}}}
        )
    )
    return subscriber


async def _connect_all(port: int, count: int, tokens: list[str]) -> list[Subscriber]:
    subscribers: list[Subscriber] = []
    for start in range(0, count, _CONNECT_BATCH):
        batch = range(start, min(start + _CONNECT_BATCH, count))
        subscribers.extend(
            await asyncio.gather(*(_subscribe(port, tokens[i % len(tokens)]) for i in batch))
        )
    return subscribers


@contextlib.asynccontextmanager
async def _probe(port: int, bearer: str) -> AsyncIterator[list[dict[str, Any]]]:
    """A real graphql-transport-ws client whose events are decoded and checked."""
    received: list[dict[str, Any]] = []
    async with connect(
        f"ws://127.0.0.1:{port}/graphql", subprotocols=[Subprotocol("graphql-transport-ws")]
    ) as socket:
        init = {"type": "connection_init", "payload": {"authorization": f"Bearer {bearer}"}}
        await socket.send(orjson.dumps(init).decode())
        assert orjson.loads(await socket.recv())["type"] == "connection_ack"
        payload = {"query": QUERY, "variables": {"d": "d1"}}
        await socket.send(
            orjson.dumps({"id": "1", "type": "subscribe", "payload": payload}).decode()
        )

        async def read() -> None:
            async for raw in socket:
                # appended as each event arrives (an async comprehension would wait for them all)
                received.append(orjson.loads(raw)["payload"]["data"]["appointmentChanged"])  # noqa: PERF401

        reader = asyncio.create_task(read())
        try:
            yield received
        finally:
            reader.cancel()


def _close_all(subscribers: list[Subscriber]) -> None:
    for subscriber in subscribers:
        subscriber.close()


async def _wait_for(condition: Any, limit: float) -> bool:
    deadline = time.monotonic() + limit
    while not condition():
        if time.monotonic() > deadline:
            return False
        await asyncio.sleep(0.005)
    return True


def _percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


async def main() -> None:
    _raise_file_limit(2 * SUBSCRIBERS + 1000)
    live = LiveSubgraph()
    records = FakeSubgraph(
        "type Query { appointment(id: ID!): Appointment }\n"
        "type Appointment { id: ID! patientName: String! }",
        entities={"Appointment": lambda rep: {"patientName": f"Patient of {rep['id']}"}},
    )
    tokens = [token(f"user-{i}", lifetime=3600) for i in range(USERS)]
    with tempfile.TemporaryDirectory() as directory:
        supergraph = Path(directory) / "supergraph.graphql"
        supergraph.write_text(supergraph_sdl(), encoding="utf-8")
        async with serve(live.app()) as live_url, serve(records.app()) as records_url:
            urls = {"live": f"{live_url}/graphql", "records": f"{records_url}/graphql"}
            port = free_port()
            async with _router(supergraph, urls, port) as pid:
                await _memory(pid, port, tokens, live)
                await _latency(port, tokens, live)


async def _memory(pid: int, port: int, tokens: list[str], live: LiveSubgraph) -> None:
    before = _rss_kb(pid)
    started = time.perf_counter()
    subscribers = await _connect_all(port, SUBSCRIBERS, tokens)
    await _wait_for(lambda: len(live.queues) >= len(tokens), 60)
    connected = time.perf_counter() - started
    await asyncio.sleep(1.0)
    after = _rss_kb(pid)
    print(
        f"{SUBSCRIBERS} subscribers ({len(tokens)} user(s), {len(live.queues)} upstream "
        f"subscription(s)) connected and subscribed in {connected:.1f}s"
    )
    print(
        f"router RSS {before / 1024:.0f} MB -> {after / 1024:.0f} MB: "
        f"{(after - before) / SUBSCRIBERS:.1f} KB per connection"
    )
    _close_all(subscribers)
    await _wait_for(lambda: not live.queues, 30)


async def _latency(port: int, tokens: list[str], live: LiveSubgraph) -> None:
    subscribers = await _connect_all(port, LATENCY_SUBSCRIBERS, tokens)
    await _wait_for(lambda: len(live.queues) >= len(tokens), 60)
    latencies: list[float] = []
    # this process hosts the fake subgraphs too: a full collection of its heap (thousands of
    # sockets) would stall the entity fetch of an event by ~50 ms and be counted as the router's
    gc.collect()
    gc.freeze()
    gc.disable()
    async with _probe(port, tokens[0]) as probe:
        await asyncio.sleep(0.5)
        for _ in range(EVENTS):
            marks = [len(s.arrivals) for s in subscribers]
            sent = time.perf_counter()
            position = live.publish("a1", "d1")
            delivered = await _wait_for(
                lambda m=marks: all(
                    len(s.arrivals) > mark for s, mark in zip(subscribers, m, strict=True)
                ),
                10,
            )
            assert delivered, f"event {position} did not reach every subscriber"
            latencies.extend(
                (s.arrivals[mark] - sent) * 1000 for s, mark in zip(subscribers, marks, strict=True)
            )
            await asyncio.sleep(0.02)
        await _wait_for(lambda: len(probe) >= EVENTS, 10)
        assert [c["appointment"]["patientName"] for c in probe] == ["Patient of a1"] * EVENTS
    gc.enable()
    gc.unfreeze()
    print(
        f"event-to-client latency at {LATENCY_SUBSCRIBERS} subscribers, {EVENTS} events: "
        f"p50 {statistics.median(latencies):.1f} ms, p99 {_percentile(latencies, 0.99):.1f} ms, "
        f"max {max(latencies):.1f} ms"
    )
    _close_all(subscribers)
