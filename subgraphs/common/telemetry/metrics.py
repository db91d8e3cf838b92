"""The kernel's Prometheus metrics every subgraph serves at ``/metrics`` (https://prometheus.io/docs/practices/naming/).

Labels are bounded: operation names through :class:`~router.telemetry.prometheus.BoundedLabel`,
topics from the topic registry, consumer groups and partitions from the deployment.
"""

from __future__ import annotations

import time
from collections.abc import Iterator

from fastapi import APIRouter
from fastapi.responses import Response
from prometheus_client import Counter, Gauge, Histogram
from strawberry.extensions import SchemaExtension

from router.telemetry.prometheus import CONTENT_TYPE, BoundedLabel, metrics_response_body

__all__ = [
    "CONSUMER_LAG",
    "OUTBOX_BACKLOG",
    "OUTBOX_OLDEST_AGE",
    "OUTBOX_PUBLISHED",
    "OUTBOX_RELAY_LAG",
    "OperationMetrics",
    "metrics_endpoint",
]

_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)
_LAG_BUCKETS = (0.01, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0, 300.0, 1800.0)

_OPERATION_NAMES = BoundedLabel()
_OPERATIONS = Counter(
    "healthgraph_subgraph_operations",
    "GraphQL operations this subgraph executed, by operation name and outcome (ok or error).",
    ["operation", "outcome"],
)
_OPERATION_SECONDS = Histogram(
    "healthgraph_subgraph_operation_duration_seconds",
    "Time to parse, validate and execute a GraphQL operation, by operation name.",
    ["operation"],
    buckets=_BUCKETS,
)
OUTBOX_BACKLOG = Gauge(
    "healthgraph_outbox_backlog_events",
    "Outbox events committed but not yet acknowledged by Kafka (measured by the active relay).",
    multiprocess_mode="max",
)
OUTBOX_OLDEST_AGE = Gauge(
    "healthgraph_outbox_oldest_event_age_seconds",
    "Age of the oldest unpublished outbox event (0 when the outbox is drained).",
    multiprocess_mode="max",
)
OUTBOX_PUBLISHED = Counter(
    "healthgraph_outbox_published_events",
    "Outbox events the relay published (acknowledged by Kafka), by topic.",
    ["topic"],
)
OUTBOX_RELAY_LAG = Histogram(
    "healthgraph_outbox_relay_lag_seconds",
    "Time from an event's commit to its acknowledgement by Kafka, by topic.",
    ["topic"],
    buckets=_LAG_BUCKETS,
)
CONSUMER_LAG = Gauge(
    "healthgraph_kafka_consumer_lag_records",
    "Records in a partition not yet handled by a consumer group (high watermark - next offset).",
    ["group", "topic", "partition"],
    multiprocess_mode="max",
)


class OperationMetrics(SchemaExtension):
    """Counts and times each operation by its (bounded) name and outcome."""

    def on_operation(self) -> Iterator[None]:
        started = time.perf_counter()
        yield
        context = self.execution_context
        result = context.result
        failed = bool(context.pre_execution_errors) or bool(result is not None and result.errors)
        name = _OPERATION_NAMES(context.operation_name)
        _OPERATIONS.labels(name, "error" if failed else "ok").inc()
        _OPERATION_SECONDS.labels(name).observe(time.perf_counter() - started)


def metrics_endpoint() -> APIRouter:
    """``GET /metrics``: this process's metrics in the Prometheus text format."""
    router = APIRouter()

    @router.get("/metrics", include_in_schema=False)
    async def metrics() -> Response:
        return Response(metrics_response_body(), media_type=CONTENT_TYPE)

    return router
