"""A subgraph's telemetry: request spans, SQL spans, Prometheus metrics (router.telemetry is the core)."""

from subgraphs.common.telemetry.asgi import TelemetryMiddleware
from subgraphs.common.telemetry.metrics import OperationMetrics, metrics_endpoint
from subgraphs.common.telemetry.sql import trace_sql

__all__ = ["OperationMetrics", "TelemetryMiddleware", "metrics_endpoint", "trace_sql"]
