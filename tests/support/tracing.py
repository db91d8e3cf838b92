"""Test support: this process's tracing on, into an in-memory exporter, for one block."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Iterator

from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

from router.http import create_app
from router.settings import RouterSettings
from router.supergraph import parse_supergraph
from router.telemetry.tracing import tracing
from subgraphs.common.telemetry import TelemetryMiddleware
from tests.router.hospital import Hospital
from tests.router.loopback import sample_sdl, serve

__all__ = ["in_memory_tracing", "serve_traced_hospital"]


@contextlib.contextmanager
def in_memory_tracing(service: str = "test") -> Iterator[InMemorySpanExporter]:
    """Every span finished inside the block lands in the yielded exporter; tracing is off after."""
    assert not tracing.enabled, "tracing is already on"
    exporter = InMemorySpanExporter()
    tracing.enable(service, SimpleSpanProcessor(exporter))
    try:
        yield exporter
    finally:
        tracing.disable()


@contextlib.asynccontextmanager
async def serve_traced_hospital(hospital: Hospital) -> AsyncIterator[str]:
    """The hospital's fake subgraphs, each behind the subgraphs' telemetry middleware, and a
    router in front of them, on loopback; yields the router's base URL."""
    async with contextlib.AsyncExitStack() as stack:
        urls = {}
        for name, subgraph in hospital.as_dict().items():
            base = await stack.enter_async_context(serve(TelemetryMiddleware(subgraph.app())))
            urls[name] = f"{base}/graphql"
        app = create_app(parse_supergraph(sample_sdl()), RouterSettings(subgraph_urls=urls))
        yield await stack.enter_async_context(serve(app))
