"""Test support: this process's tracing on, into an in-memory exporter, for one block."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

from router.telemetry.tracing import tracing

__all__ = ["in_memory_tracing"]


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
