"""OpenTelemetry tracing, off by default (https://opentelemetry.io/docs/specs/otel/configuration/sdk-environment-variables/).

Tracing is on when the environment names an exporter: ``OTEL_TRACES_EXPORTER`` (``otlp`` or
``console``; ``none`` keeps it off) or an OTLP endpoint (``OTEL_EXPORTER_OTLP_ENDPOINT`` /
``OTEL_EXPORTER_OTLP_TRACES_ENDPOINT``), and ``OTEL_SDK_DISABLED`` is not ``true``. The SDK reads
the other standard variables itself (``OTEL_SERVICE_NAME``, ``OTEL_RESOURCE_ATTRIBUTES``,
``OTEL_TRACES_SAMPLER``, ``OTEL_BSP_*``, ``OTEL_EXPORTER_OTLP_*``). Context crosses processes as W3C
``traceparent``/``tracestate`` headers (https://www.w3.org/TR/trace-context/).

While off, :data:`tracing` has no tracer and every helper returns at once: callers test
``tracing.tracer is None`` before doing any tracing work.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping, MutableMapping
from contextlib import contextmanager
from typing import Any

from opentelemetry import context as otel_context
from opentelemetry import trace
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import SpanProcessor, TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor, ConsoleSpanExporter, SpanExporter
from opentelemetry.trace import Span, SpanKind, Status, StatusCode, Tracer
from opentelemetry.trace.propagation.tracecontext import TraceContextTextMapPropagator

__all__ = ["Tracing", "configure_tracing", "tracing"]

_PROPAGATOR = TraceContextTextMapPropagator()
_TRUE = {"true", "1", "yes"}


class Tracing:
    """This process's tracer (None: tracing is off) and the helpers every service uses."""

    def __init__(self) -> None:
        self.tracer: Tracer | None = None
        self.provider: TracerProvider | None = None

    @property
    def enabled(self) -> bool:
        return self.tracer is not None

    def enable(self, service_name: str, processor: SpanProcessor) -> TracerProvider:
        """Trace through ``processor`` (tests pass a SimpleSpanProcessor over an in-memory exporter)."""
        name = os.environ.get("OTEL_SERVICE_NAME") or service_name
        provider = TracerProvider(resource=Resource.create({"service.name": name}))
        provider.add_span_processor(processor)
        self.provider = provider
        self.tracer = provider.get_tracer("healthgraph")
        return provider

    def disable(self) -> None:
        provider, self.provider, self.tracer = self.provider, None, None
        if provider is not None:
            provider.shutdown()

    # ------------------------------------------------------------------ propagation

    @staticmethod
    def extract(headers: Mapping[str, str]) -> otel_context.Context | None:
        """The remote parent a request's ``traceparent`` names (None without one)."""
        if "traceparent" not in headers:
            return None
        return _PROPAGATOR.extract(headers)

    @staticmethod
    def inject(
        headers: MutableMapping[str, str], context: otel_context.Context | None = None
    ) -> None:
        """Write the current span (or ``context``'s) as ``traceparent``/``tracestate``."""
        _PROPAGATOR.inject(headers, context=context)

    def traceparent(self) -> str | None:
        """The current span's ``traceparent`` (None when off or outside a span)."""
        if self.tracer is None:
            return None
        carrier: dict[str, str] = {}
        _PROPAGATOR.inject(carrier)
        return carrier.get("traceparent")

    @staticmethod
    def trace_id() -> str | None:
        """The current trace id as 32 hex digits (None outside a recorded span)."""
        span_context = trace.get_current_span().get_span_context()
        if not span_context.is_valid:
            return None
        return format(span_context.trace_id, "032x")

    # ------------------------------------------------------------------ spans

    @contextmanager
    def span(
        self,
        name: str,
        *,
        kind: SpanKind = SpanKind.INTERNAL,
        parent: otel_context.Context | None = None,
        attributes: Mapping[str, Any] | None = None,
    ) -> Iterator[Span | None]:
        """A current span (``None`` and no work when tracing is off); errors mark it failed."""
        tracer = self.tracer
        if tracer is None:
            yield None
            return
        with tracer.start_as_current_span(
            name,
            context=parent,
            kind=kind,
            attributes=dict(attributes or {}),
            record_exception=False,  # exception messages may carry patient data
            set_status_on_exception=False,
        ) as span:
            try:
                yield span
            except BaseException as error:
                span.set_status(Status(StatusCode.ERROR, type(error).__name__))
                raise


def _exporter(name: str) -> SpanExporter:
    if name == "console":
        return ConsoleSpanExporter()
    from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

    return OTLPSpanExporter()  # endpoint, headers, timeout: OTEL_EXPORTER_OTLP_(TRACES_)*


def configure_tracing(service_name: str, environ: Mapping[str, str] | None = None) -> bool:
    """Turn tracing on when the ``OTEL_*`` environment asks for it; True when it is on."""
    env = os.environ if environ is None else environ
    if tracing.enabled:
        return True
    if env.get("OTEL_SDK_DISABLED", "").strip().lower() in _TRUE:
        return False
    names = [n.strip().lower() for n in env.get("OTEL_TRACES_EXPORTER", "").split(",") if n.strip()]
    endpoint = env.get("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT") or env.get(
        "OTEL_EXPORTER_OTLP_ENDPOINT"
    )
    if not names and endpoint:
        names = ["otlp"]
    names = [n for n in names if n != "none"]
    if not names:
        return False
    unknown = set(names) - {"otlp", "console"}
    if unknown:
        raise ValueError(
            f"OTEL_TRACES_EXPORTER: unsupported exporter(s) {sorted(unknown)}; use otlp or console"
        )
    provider: TracerProvider | None = None
    for name in names:
        processor = BatchSpanProcessor(_exporter(name))
        if provider is None:
            provider = tracing.enable(service_name, processor)
        else:
            provider.add_span_processor(processor)
    return True


# this process's tracing; off until configure_tracing (or a test) enables it
tracing = Tracing()
