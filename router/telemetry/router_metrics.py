"""The router's Prometheus metrics (https://prometheus.io/docs/practices/naming/).

Labels are bounded: operation names pass through :class:`BoundedLabel` (unknown or too many
collapse to ``other``), subgraph names come from the supergraph, outcomes are a fixed set.
"""

from __future__ import annotations

from prometheus_client import Counter, Gauge, Histogram

from router.telemetry.prometheus import BoundedLabel

__all__ = [
    "OPERATIONS",
    "OPERATION_NAMES",
    "OPERATION_SECONDS",
    "PLAN_CACHE_HITS",
    "PLAN_CACHE_MISSES",
    "SUBGRAPH_FETCHES",
    "SUBGRAPH_FETCH_SECONDS",
    "SUBSCRIPTIONS",
    "WEBSOCKETS",
    "observe_fetch",
    "observe_operation",
]

# latency buckets from 1 ms to 30 s (the default subgraph timeout)
_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)

OPERATION_NAMES = BoundedLabel()

OPERATIONS = Counter(
    "healthgraph_router_operations",
    "GraphQL operations served over HTTP, by operation name and outcome "
    "(ok, error: the response has errors, refused: a request error, failed: internal error).",
    ["operation", "outcome"],
)
OPERATION_SECONDS = Histogram(
    "healthgraph_router_operation_duration_seconds",
    "Time to answer a GraphQL operation over HTTP, by operation name.",
    ["operation"],
    buckets=_BUCKETS,
)
SUBGRAPH_FETCHES = Counter(
    "healthgraph_router_subgraph_fetches",
    "Requests the router sent to subgraphs, by subgraph and outcome "
    "(ok, error: GraphQL errors in the answer, failed: no GraphQL answer).",
    ["subgraph", "outcome"],
)
SUBGRAPH_FETCH_SECONDS = Histogram(
    "healthgraph_router_subgraph_fetch_duration_seconds",
    "Time of one subgraph request, by subgraph.",
    ["subgraph"],
    buckets=_BUCKETS,
)
_PLAN_CACHE = Counter(
    "healthgraph_router_plan_cache_lookups",
    "Query plan cache lookups, by result (hit or miss).",
    ["result"],
)
PLAN_CACHE_HITS = _PLAN_CACHE.labels("hit")
PLAN_CACHE_MISSES = _PLAN_CACHE.labels("miss")
WEBSOCKETS = Gauge(
    "healthgraph_router_websocket_connections",
    "Open client WebSocket connections.",
    multiprocess_mode="livesum",
)
SUBSCRIPTIONS = Gauge(
    "healthgraph_router_subscriptions",
    "Active client subscriptions (WebSocket, multipart and SSE).",
    multiprocess_mode="livesum",
)


def observe_operation(operation: str, outcome: str, seconds: float) -> None:
    OPERATIONS.labels(operation, outcome).inc()
    OPERATION_SECONDS.labels(operation).observe(seconds)


def observe_fetch(subgraph: str, outcome: str, seconds: float) -> None:
    SUBGRAPH_FETCHES.labels(subgraph, outcome).inc()
    SUBGRAPH_FETCH_SECONDS.labels(subgraph).observe(seconds)
