"""Telemetry around one supergraph request: its server span, operation metrics and log request id.

The span follows the OpenTelemetry GraphQL conventions
(https://opentelemetry.io/docs/specs/semconv/graphql/graphql-spans/): ``graphql.operation.name``
and ``graphql.operation.type``, set by :class:`TelemetryStage` once the operation is known.
"""

from __future__ import annotations

import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass

from graphql import DocumentNode, OperationDefinitionNode
from opentelemetry import trace
from opentelemetry.trace import SpanKind

from router.pipeline.request import SupergraphRequest
from router.pipeline.stages import BaseStage
from router.telemetry.logs import bind_request_id
from router.telemetry.router_metrics import OPERATION_NAMES, observe_operation
from router.telemetry.tracing import tracing

__all__ = ["OperationObservation", "TelemetryStage", "observe"]


@dataclass(slots=True)
class OperationObservation:
    """What the caller learns while serving: the outcome (``ok`` until told otherwise)."""

    outcome: str = "failed"

    def identify(self, request: SupergraphRequest) -> None:
        """Log lines and the span carry this request's id from now on."""
        request_id = request.context.get("request_id")
        bind_request_id(request_id)
        if tracing.tracer is not None and request_id:
            trace.get_current_span().set_attribute("healthgraph.request_id", request_id)


@contextmanager
def observe(headers: Mapping[str, str], operation_name: object) -> Iterator[OperationObservation]:
    """Time and count one operation (by bounded name and outcome); a server span when tracing."""
    observation = OperationObservation()
    name = OPERATION_NAMES(operation_name)
    started = time.perf_counter()
    try:
        if tracing.tracer is None:
            yield observation
        else:
            with tracing.span(
                "graphql.request",
                kind=SpanKind.SERVER,
                parent=tracing.extract(headers),
                attributes={"graphql.operation.name": name},
            ) as span:
                yield observation
                if span is not None:
                    span.set_attribute("healthgraph.outcome", observation.outcome)
    finally:
        observe_operation(name, observation.outcome, time.perf_counter() - started)


class TelemetryStage(BaseStage):
    """Names the request's span after its operation (added only while tracing is on)."""

    def on_operation(
        self,
        request: SupergraphRequest,
        document: DocumentNode,
        operation: OperationDefinitionNode,
    ) -> None:
        del request, document
        span = trace.get_current_span()
        kind = operation.operation.value
        span.set_attribute("graphql.operation.type", kind)
        if operation.name is not None:
            span.update_name(f"{kind} {OPERATION_NAMES(operation.name.value)}")
        else:
            span.update_name(kind)
