"""Telemetry shared by the router and the subgraphs: OpenTelemetry traces, Prometheus metrics, logs."""

from router.telemetry.logs import bind_request_id, configure_logging
from router.telemetry.prometheus import BoundedLabel, metrics_response_body
from router.telemetry.tracing import Tracing, configure_tracing, tracing

__all__ = [
    "BoundedLabel",
    "Tracing",
    "bind_request_id",
    "configure_logging",
    "configure_tracing",
    "metrics_response_body",
    "tracing",
]
